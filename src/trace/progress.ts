/**
 * How far a run has got: messages heard (gets of real messages, never the "done" sentinel) out
 * of messageCount × shouters. Reads the trace incrementally, so asking often costs only what
 * is new since the last time.
 */
import { EventKind, SENTINEL } from '../protocol/events';
import { CHUNK, CHUNK_BITS, type TraceStore } from './traceStore';

export class HeardProgress {
  private scanned = 0;
  private heardCount = 0;
  readonly total: number;

  constructor(private readonly trace: TraceStore, config: { messageCount: number; shouters: number }) {
    this.total = config.messageCount * config.shouters;
  }

  /** Messages heard so far (at most `total`). */
  get heard(): number {
    const n = this.trace.length;
    while (this.scanned < n) {
      const chunk = this.trace.chunks[this.scanned >>> CHUNK_BITS];
      const from = this.scanned & (CHUNK - 1);
      const to = Math.min(chunk.length, from + (n - this.scanned));
      for (let i = from; i < to; i++) {
        if (chunk.kind[i] === EventKind.Get && chunk.value[i] !== SENTINEL) { this.heardCount++; }
      }
      this.scanned += to - from;
      if (to === from) { break; }
    }
    return Math.min(this.heardCount, this.total);
  }
}
