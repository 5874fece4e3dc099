/**
 * A run's events, columnar: one typed array per field, in chunks of CHUNK events so that
 * appending never copies what is already stored. About 20 bytes per event.
 */
import { TRACE_RECORD_BYTES, type EventKind, type TraceEvent } from '../protocol';

export const CHUNK_BITS = 16;
export const CHUNK = 1 << CHUNK_BITS;
/** The lane of events recorded by the host itself (lock grants and hand-over requests). */
export const HOST_PROC = 255;

export class TraceChunk {
  readonly t = new Float64Array(CHUNK);
  readonly dur = new Float32Array(CHUNK);
  readonly value = new Int32Array(CHUNK);
  readonly aux = new Uint16Array(CHUNK);
  readonly kind = new Uint8Array(CHUNK);
  readonly proc = new Uint8Array(CHUNK);
  length = 0;
  static readonly BYTES_PER_EVENT = 8 + 4 + 4 + 2 + 1 + 1;
}

export class TraceStore {
  readonly chunks: TraceChunk[] = [];
  private count = 0;
  private readonly kindCounts = new Uint32Array(256);

  get length(): number { return this.count; }

  countOf(kind: EventKind): number { return this.kindCounts[kind]; }

  append(kind: EventKind, proc: number, value: number, t: number, dur = 0, aux = 0): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length === CHUNK) { chunk = new TraceChunk(); this.chunks.push(chunk); }
    const i = chunk.length++;
    chunk.kind[i] = kind;
    chunk.proc[i] = proc;
    chunk.aux[i] = aux;
    chunk.value[i] = value;
    chunk.t[i] = t;
    chunk.dur[i] = dur;
    this.kindCounts[kind]++;
    this.count++;
  }

  /** Appends wire records (see protocol.ts) as sent by a worker. */
  appendRecords(bytes: Uint8Array): void {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + TRACE_RECORD_BYTES <= bytes.byteLength; at += TRACE_RECORD_BYTES) {
      this.append(
        view.getUint8(at), view.getUint8(at + 1), view.getInt32(at + 4, true),
        view.getFloat64(at + 8, true), view.getFloat64(at + 16, true), view.getUint16(at + 2, true),
      );
    }
  }

  get(index: number): TraceEvent {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    const i = index & (CHUNK - 1);
    if (!chunk || i >= chunk.length) { throw new RangeError(`no event ${index} (of ${this.count})`); }
    return { kind: chunk.kind[i], proc: chunk.proc[i], aux: chunk.aux[i], value: chunk.value[i], t: chunk.t[i], dur: chunk.dur[i] };
  }

  /** Calls fn for every event in append order, without allocating per event. */
  scan(fn: (kind: EventKind, proc: number, value: number, t: number, dur: number, aux: number) => void): void {
    for (const c of this.chunks) {
      for (let i = 0; i < c.length; i++) { fn(c.kind[i], c.proc[i], c.value[i], c.t[i], c.dur[i], c.aux[i]); }
    }
  }

  /** Bytes held by the typed arrays (including the unused tail of the last chunk). */
  get byteSize(): number { return this.chunks.length * CHUNK * TraceChunk.BYTES_PER_EVENT; }
}
