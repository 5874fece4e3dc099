/**
 * A run's events, columnar: one typed array per field of a v2 record (docs/trace-format.md),
 * in chunks of CHUNK events so that appending never copies what is already stored. About 28
 * bytes per event.
 */
import type { EventKind, TraceEvent } from '../protocol/events';
import { TRACE_RECORD_BYTES, readTraceRecordsInto } from '../protocol/wire';

export const CHUNK_BITS = 16;
export const CHUNK = 1 << CHUNK_BITS;

export class TraceChunk {
  readonly t = new Float64Array(CHUNK);
  readonly dur = new Float32Array(CHUNK);
  readonly value = new Int32Array(CHUNK);
  readonly aux = new Uint32Array(CHUNK);
  readonly kind = new Uint8Array(CHUNK);
  readonly flags = new Uint8Array(CHUNK);
  readonly proc = new Uint16Array(CHUNK);
  readonly obj = new Uint16Array(CHUNK);
  readonly site = new Uint16Array(CHUNK);
  length = 0;
  static readonly BYTES_PER_EVENT = 8 + 4 + 4 + 4 + 1 + 1 + 2 + 2 + 2;
}

export class TraceStore {
  readonly chunks: TraceChunk[] = [];
  private count = 0;
  private readonly kindCounts = new Uint32Array(256);

  get length(): number { return this.count; }

  countOf(kind: EventKind): number { return this.kindCounts[kind]; }

  append(kind: EventKind, proc: number, value: number, t: number, dur = 0, aux = 0, flags = 0, obj = 0, site = 0): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length === CHUNK) { chunk = new TraceChunk(); this.chunks.push(chunk); }
    const i = chunk.length++;
    chunk.kind[i] = kind;
    chunk.proc[i] = proc;
    chunk.aux[i] = aux;
    chunk.flags[i] = flags;
    chunk.obj[i] = obj;
    chunk.site[i] = site;
    chunk.value[i] = value;
    chunk.t[i] = t;
    chunk.dur[i] = dur;
    this.kindCounts[kind]++;
    this.count++;
  }

  /** Appends wire records (v2, decoded by protocol/wire.ts) as sent by a process, chunk by chunk. */
  appendRecords(bytes: Uint8Array): void {
    const n = Math.floor(bytes.byteLength / TRACE_RECORD_BYTES);
    for (let done = 0; done < n;) {
      let chunk = this.chunks[this.chunks.length - 1];
      if (!chunk || chunk.length === CHUNK) { chunk = new TraceChunk(); this.chunks.push(chunk); }
      const take = Math.min(CHUNK - chunk.length, n - done);
      readTraceRecordsInto(bytes, done, take, chunk, chunk.length, this.kindCounts);
      chunk.length += take;
      this.count += take;
      done += take;
    }
  }

  get(index: number): TraceEvent {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    const i = index & (CHUNK - 1);
    if (!chunk || i >= chunk.length) { throw new RangeError(`no event ${index} (of ${this.count})`); }
    return {
      kind: chunk.kind[i], flags: chunk.flags[i], proc: chunk.proc[i], obj: chunk.obj[i], site: chunk.site[i],
      aux: chunk.aux[i], value: chunk.value[i], t: chunk.t[i], dur: chunk.dur[i],
    };
  }

  /** Calls fn for every event in append order, without allocating per event. */
  scan(fn: (kind: EventKind, proc: number, value: number, t: number, dur: number, aux: number, flags: number) => void): void {
    for (const c of this.chunks) {
      for (let i = 0; i < c.length; i++) { fn(c.kind[i], c.proc[i], c.value[i], c.t[i], c.dur[i], c.aux[i], c.flags[i]); }
    }
  }

  /** Calls fn with each chunk's part of events from..to (to exclusive): a hot loop per chunk range, no call per event. */
  forRange(from: number, to: number, fn: (chunk: TraceChunk, start: number, end: number) => void): void {
    const last = Math.min(to, this.count);
    for (let at = Math.max(0, from); at < last;) {
      const chunk = this.chunks[at >>> CHUNK_BITS];
      const start = at & (CHUNK - 1);
      const end = Math.min(chunk.length, start + (last - at));
      fn(chunk, start, end);
      at += end - start;
    }
  }

  /** Bytes held by the typed arrays (including the unused tail of the last chunk). */
  get byteSize(): number { return this.chunks.length * CHUNK * TraceChunk.BYTES_PER_EVENT; }
}
