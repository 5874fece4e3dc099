/**
 * A process's trace records, batched: the one buffer and flush rule of the workers (runtime.ts)
 * and of the scheduler (syncChannel.ts). Records are encoded by the wire codec; a batch is
 * written to the process's spool file (engine/traceSpool.ts) when full, when its owner asks, when
 * a record is stamped `maxAgeNs` after the newest one written (if the owner sets that limit), or
 * before a blocking wait if the last flush is `maxAgeMs` old by the wall clock (a blocked process
 * cannot run a timer). A write to a file never waits for the host.
 */
import * as fs from 'fs';
import type { EventKind } from '../protocol/events';
import { LaneRecords, TRACE_RECORD_BYTES } from '../protocol/wire';

const TRACE_BATCH_RECORDS = 2048;

export class TraceBatch {
  private readonly records: LaneRecords;
  private count = 0;
  /** Wall clock (Date.now) of the last flush: for flushIfOlderThan, before a blocking wait. */
  private lastFlush: number;
  /** Program time (the records' own clock, ns) of the newest record at the last flush; -Infinity: none yet. */
  private flushedAt = -Infinity;
  private newest = -Infinity;

  /**
   * `fd`: the spool file; `proc`: the lane every record names; `onError`: a write failed (the
   * disk is full, say), in words for the run's failure: the process reports it and ends, as its
   * trace can no longer be whole. `maxAgeNs`: a record stamped this much later than the newest
   * one already written flushes the batch (the first record at once; none of this without a
   * limit), so a process killed mid-run leaves its trace up to about then — judged by the
   * records' own stamps, as a clock read per record would cost (Date.now() takes ~85 ns on this
   * VM: 17 ms of a 100k flood).
   */
  constructor(private readonly fd: number, proc: number, private readonly onError: (message: string) => void,
    lastFlush = Date.now(), private readonly maxAgeNs = Infinity) {
    this.lastFlush = lastFlush;
    this.records = new LaneRecords(TRACE_BATCH_RECORDS, proc);
  }

  add(kind: EventKind, value: number, t: number, dur = 0, aux = 0, flags = 0): void {
    this.records.set(this.count, kind, value, t, dur, aux, flags);
    if (t > this.newest) { this.newest = t; }
    // With no limit, -Infinity + Infinity is NaN: never true.
    if (++this.count === TRACE_BATCH_RECORDS || t >= this.flushedAt + this.maxAgeNs) { this.flush(); }
  }

  flush(): void {
    this.lastFlush = Date.now();
    this.flushedAt = this.newest;
    if (this.count === 0) { return; }
    const length = this.count * TRACE_RECORD_BYTES;
    this.count = 0;
    try {
      for (let at = 0; at < length;) { at += fs.writeSync(this.fd, this.records.bytes, at, length - at); }
    } catch (err) {
      this.onError(`its trace could not be written: ${(err as Error).message}`);
    }
  }

  /** Before a blocking wait: what has waited `maxAgeMs` since the last flush goes out now. True if it did. */
  flushIfOlderThan(maxAgeMs: number): boolean {
    if (this.count === 0 || Date.now() - this.lastFlush < maxAgeMs) { return false; }
    this.flush();
    return true;
  }
}
