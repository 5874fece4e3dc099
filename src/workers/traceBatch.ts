/**
 * A process's trace records, batched into Trace frames: the one buffer and flush rule of the
 * workers (runtime.ts) and of the scheduler (syncChannel.ts). Records are encoded by the wire
 * codec; a batch goes out when full, when its owner asks, or before a blocking wait once the
 * oldest pending record is `maxAgeMs` old (a blocked process cannot run a timer).
 */
import type { EventKind } from '../protocol/events';
import { TRACE_RECORD_BYTES, writeTraceRecord } from '../protocol/wire';

const TRACE_BATCH_RECORDS = 2048;

export class TraceBatch {
  private readonly view = new DataView(new ArrayBuffer(TRACE_BATCH_RECORDS * TRACE_RECORD_BYTES));
  private count = 0;
  private lastFlush: number;

  /** `send` gets each batch's bytes (a copy); `proc` is the lane every record names. */
  constructor(private readonly proc: number, private readonly send: (records: Uint8Array) => void, lastFlush = Date.now()) {
    this.lastFlush = lastFlush;
  }

  add(kind: EventKind, value: number, t: number, dur = 0, aux = 0, flags = 0): void {
    writeTraceRecord(this.view, this.count * TRACE_RECORD_BYTES, kind, this.proc, value, t, dur, aux, flags);
    if (++this.count === TRACE_BATCH_RECORDS) { this.flush(); }
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.count === 0) { return; }
    const bytes = new Uint8Array(this.view.buffer.slice(0, this.count * TRACE_RECORD_BYTES));
    this.count = 0;
    this.send(bytes);
  }

  /** Before a blocking wait: what has waited `maxAgeMs` since the last flush goes out now. */
  flushIfOlderThan(maxAgeMs: number): void {
    if (this.count > 0 && Date.now() - this.lastFlush >= maxAgeMs) { this.flush(); }
  }
}
