/**
 * The wire between a process and the host: the ONE encoder and decoder of a trace record
 * (docs/trace-format.md, v2; every producer and consumer in TypeScript goes through them, and
 * test/unit/crossLanguage.test.ts checks the Python producers against them), the frames on a
 * worker's control channel (fd 4), the queue's item layout, and the workers' exit codes.
 * Used by the workers, the engine and the trace store; never by a page.
 *
 * Frames: `[u8 type][u32 LE payload length][payload]`. Trace events travel in batches of
 * fixed-size binary records (TRACE_RECORD_BYTES each), never as one JSON object per event.
 */
import { SCHEDULER_PROC, type TraceEvent } from './events';

// ---------------------------------------------------------------- trace records

/**
 * One trace record on the wire (version 2, docs/trace-format.md), 32 bytes little endian:
 * u8 kind, u8 flags, u16 proc, u16 obj, u16 site, i32 value, u32 aux, f64 t (ns since t0), f64 dur (ns).
 */
export const TRACE_RECORD_BYTES = 32;

/** The encoder of a record: every TS producer writes through this, or through LaneRecords (below: the same bytes, a test holds them so). */
export function writeTraceRecord(view: DataView, offset: number, kind: number, proc: number, value: number, t: number, dur = 0, aux = 0, flags = 0, obj = 0, site = 0): void {
  view.setUint8(offset, kind);
  view.setUint8(offset + 1, flags);
  view.setUint16(offset + 2, proc, true);
  view.setUint16(offset + 4, obj, true);
  view.setUint16(offset + 6, site, true);
  view.setInt32(offset + 8, value, true);
  view.setUint32(offset + 12, aux, true);
  view.setFloat64(offset + 16, t, true);
  view.setFloat64(offset + 24, dur, true);
}

/** Typed arrays store in the platform's byte order; the wire's is little endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Records of one lane in one buffer, encoded as writeTraceRecord encodes them (the same bytes),
 * through typed arrays, with the lane's own fields written once per slot: proc, and obj and
 * site (0: a worker names no queue or lock or source line). A worker adds two records a printed
 * line, between syscalls; there the nine DataView stores a record cost 40–70 ns, the six left
 * here 20–40 ns (interleaved with writes to /dev/null, medians of 12 runs).
 */
export class LaneRecords {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;

  constructor(readonly capacity: number, private readonly proc: number) {
    this.bytes = new Uint8Array(capacity * TRACE_RECORD_BYTES);
    this.view = new DataView(this.bytes.buffer);
    this.i32 = new Int32Array(this.bytes.buffer);
    this.u32 = new Uint32Array(this.bytes.buffer);
    this.f64 = new Float64Array(this.bytes.buffer);
    // One record written, then copied over the rest by doubling: a worker makes this buffer while
    // its start is timed (before the start gate), in code not optimized yet: 1–4 ms slot by slot.
    writeTraceRecord(this.view, 0, 0, proc, 0, 0);
    for (let done = 1; done < capacity; done *= 2) {
      this.bytes.copyWithin(done * TRACE_RECORD_BYTES, 0, Math.min(done, capacity - done) * TRACE_RECORD_BYTES);
    }
  }

  /** Record `slot` (0 .. capacity - 1) of the buffer. */
  set(slot: number, kind: number, value: number, t: number, dur: number, aux: number, flags: number): void {
    if (!LITTLE_ENDIAN) { writeTraceRecord(this.view, slot * TRACE_RECORD_BYTES, kind, this.proc, value, t, dur, aux, flags); return; }
    const at = slot * TRACE_RECORD_BYTES;
    this.bytes[at] = kind;
    this.bytes[at + 1] = flags;
    this.i32[slot * 8 + 2] = value;
    this.u32[slot * 8 + 3] = aux;
    this.f64[slot * 4 + 2] = t;
    this.f64[slot * 4 + 3] = dur;
  }
}

/** A sink for decoded records (TraceStore.append has this shape): no object per record. */
export type RecordSink = (kind: number, proc: number, value: number, t: number, dur: number, aux: number, flags: number, obj: number, site: number) => void;

/** The one decoder of records: calls `sink` for each whole record of `bytes`. */
export function readTraceRecords(bytes: Uint8Array, sink: RecordSink): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + TRACE_RECORD_BYTES <= bytes.byteLength; at += TRACE_RECORD_BYTES) {
    sink(view.getUint8(at), view.getUint16(at + 2, true), view.getInt32(at + 8, true), view.getFloat64(at + 16, true),
      view.getFloat64(at + 24, true), view.getUint32(at + 12, true), view.getUint8(at + 1), view.getUint16(at + 4, true), view.getUint16(at + 6, true));
  }
}

/** Typed-array columns, one per field of a record (trace/traceStore.ts's chunks have this shape). */
export interface RecordColumns {
  kind: Uint8Array; flags: Uint8Array; proc: Uint16Array; obj: Uint16Array; site: Uint16Array;
  value: Int32Array; aux: Uint32Array; t: Float64Array; dur: Float32Array;
}

/**
 * The same decoder, straight into columns: records `first` .. `first + count - 1` of `bytes` go
 * to rows `row` .. of `into`, and each kind is counted in `kindCounts`. This is how the host
 * ingests a flood (400,000 records a 100k run) while the run goes: no call per record.
 */
export function readTraceRecordsInto(bytes: Uint8Array, first: number, count: number, into: RecordColumns, row: number, kindCounts: Uint32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { kind, flags, proc, obj, site, value, aux, t, dur } = into;
  for (let at = first * TRACE_RECORD_BYTES, end = row + count; row < end; row++, at += TRACE_RECORD_BYTES) {
    const k = view.getUint8(at);
    kind[row] = k;
    flags[row] = view.getUint8(at + 1);
    proc[row] = view.getUint16(at + 2, true);
    obj[row] = view.getUint16(at + 4, true);
    site[row] = view.getUint16(at + 6, true);
    value[row] = view.getInt32(at + 8, true);
    aux[row] = view.getUint32(at + 12, true);
    t[row] = view.getFloat64(at + 16, true);
    dur[row] = view.getFloat64(at + 24, true);
    kindCounts[k]++;
  }
}

export function readTraceRecord(view: DataView, offset: number): TraceEvent {
  return {
    kind: view.getUint8(offset), flags: view.getUint8(offset + 1), proc: view.getUint16(offset + 2, true),
    obj: view.getUint16(offset + 4, true), site: view.getUint16(offset + 6, true), value: view.getInt32(offset + 8, true),
    aux: view.getUint32(offset + 12, true), t: view.getFloat64(offset + 16, true), dur: view.getFloat64(offset + 24, true),
  };
}


// ---------------------------------------------------------------- worker <-> host frames

export const enum FrameType {
  // worker -> host
  /** v1 only (the host decided the lock): refused as a protocol violation. */
  LockRequest = 1,
  LockRelease = 2,
  Trace = 3,
  Finished = 4,
  Fault = 5,
  Meta = 6,
  /** The process is set up and blocks on the start gate. */
  Ready = 7,
  /** scheduler -> host: who holds the lock and who waits (JSON). */
  LockState = 8,
  // host -> scheduler
  /** Lock policy "manual": the user grants the free lock to lane u16. */
  GrantTo = 12,
  /** host -> scheduler / queue process, before the start gate: a replay's plan, i32 each (too long for argv). */
  Plan = 13,
}

export interface SchedulerLockState { holder: number | null; waiting: number[]; error?: string }

export type WorkerToHost =
  | { type: 'lockRequest' }
  | { type: 'lockRelease' }
  /** `records` is a view into the decoder's bytes, valid until its next push: read it, or copy it. */
  | { type: 'trace'; records: Uint8Array }
  | { type: 'finished' }
  | { type: 'fault'; message: string }
  | { type: 'meta'; json: string }
  | { type: 'ready' }
  | { type: 'lockState'; state: SchedulerLockState };

export type HostToWorker = { type: 'grantTo'; proc: number } | { type: 'plan'; values: Int32Array };

export type Frame = WorkerToHost | HostToWorker;

export const FRAME_HEADER_BYTES = 5;
/** Frames larger than this are a protocol error (a trace batch is at most 64 KiB). */
export const MAX_FRAME_PAYLOAD = 1 << 20;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

function frameTypeOf(frame: Frame): FrameType {
  switch (frame.type) {
    case 'lockRequest': return FrameType.LockRequest;
    case 'lockRelease': return FrameType.LockRelease;
    case 'trace': return FrameType.Trace;
    case 'finished': return FrameType.Finished;
    case 'fault': return FrameType.Fault;
    case 'meta': return FrameType.Meta;
    case 'ready': return FrameType.Ready;
    case 'lockState': return FrameType.LockState;
    case 'grantTo': return FrameType.GrantTo;
    case 'plan': return FrameType.Plan;
  }
}

export function encodeFrame(frame: Frame): Uint8Array {
  const payload = frame.type === 'trace' ? frame.records
    : frame.type === 'fault' ? textEncoder.encode(frame.message)
    : frame.type === 'meta' ? textEncoder.encode(frame.json)
    : frame.type === 'lockState' ? textEncoder.encode(JSON.stringify(frame.state))
    : frame.type === 'grantTo' ? new Uint8Array([frame.proc & 0xff, frame.proc >> 8])
    : frame.type === 'plan' ? planBytes(frame.values)
    : new Uint8Array(0);
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, frameTypeOf(frame));
  view.setUint32(1, payload.length, true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

function planBytes(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

function parseLockState(text: string): SchedulerLockState {
  const x = JSON.parse(text) as unknown;
  const lane = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < SCHEDULER_PROC;
  if (typeof x !== 'object' || x === null) { throw new Error('lock state frame is not an object'); }
  const o = x as Record<string, unknown>;
  if (!(o.holder === null || lane(o.holder)) || !Array.isArray(o.waiting) || o.waiting.length > 64 || !o.waiting.every(lane)
    || !(o.error === undefined || (typeof o.error === 'string' && o.error.length <= 500))) {
    throw new Error('lock state frame has the wrong shape');
  }
  return { holder: o.holder as number | null, waiting: o.waiting as number[], ...(o.error !== undefined ? { error: o.error } : {}) };
}

function decodePayload(type: number, payload: Uint8Array): Frame {
  switch (type) {
    case FrameType.LockRequest: return { type: 'lockRequest' };
    case FrameType.LockRelease: return { type: 'lockRelease' };
    case FrameType.Trace:
      if (payload.length % TRACE_RECORD_BYTES !== 0) {
        throw new Error(`trace frame of ${payload.length} bytes is not a whole number of ${TRACE_RECORD_BYTES}-byte records`);
      }
      return { type: 'trace', records: payload };
    case FrameType.Finished: return { type: 'finished' };
    case FrameType.Fault: return { type: 'fault', message: textDecoder.decode(payload) };
    case FrameType.Meta: return { type: 'meta', json: textDecoder.decode(payload) };
    case FrameType.Ready: return { type: 'ready' };
    case FrameType.LockState: return { type: 'lockState', state: parseLockState(textDecoder.decode(payload)) };
    case FrameType.GrantTo:
      if (payload.length !== 2) { throw new Error(`grant frame of ${payload.length} bytes (2 expected)`); }
      return { type: 'grantTo', proc: payload[0] | (payload[1] << 8) };
    case FrameType.Plan: {
      if (payload.length % 4 !== 0) { throw new Error(`plan frame of ${payload.length} bytes is not whole i32 values`); }
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const values = new Int32Array(payload.length / 4);
      for (let i = 0; i < values.length; i++) { values[i] = view.getInt32(i * 4, true); }
      return { type: 'plan', values };
    }
    default: throw new Error(`unknown frame type ${type}`);
  }
}

/**
 * Reassembles frames from a byte stream that arrives in arbitrary pieces. A frame's bytes are
 * not copied: a trace frame's records are a view into the piece pushed (or into the decoder's
 * own buffer when the frame spanned pieces), valid until the next push. Every caller handles the
 * frames of a push before it pushes again; the host ingests a flood's 400,000 records a run this
 * way, and copying each (a fresh 64 KiB array a frame, a frame spanning two socket reads as a
 * rule) cost it page faults and garbage collection while the workers needed the CPU.
 */
export class FrameDecoder {
  /** Bytes of frames not complete yet: [start, end) of `held`. */
  private held = new Uint8Array(0);
  private start = 0;
  private end = 0;

  /** Feeds bytes; returns the frames completed by them. Throws on a malformed stream. */
  push(chunk: Uint8Array): Frame[] {
    let buf = chunk;
    if (this.end > this.start) {
      // The last push's frames are done with (see above): keep only what is left, then append.
      const left = this.end - this.start;
      if (this.held.length < left + chunk.length) {
        const grown = new Uint8Array(Math.max(left + chunk.length, 2 * this.held.length, 1 << 16));
        grown.set(this.held.subarray(this.start, this.end), 0);
        this.held = grown;
      } else if (this.start > 0) {
        this.held.copyWithin(0, this.start, this.end);
      }
      this.held.set(chunk, left);
      this.start = 0;
      this.end = left + chunk.length;
      buf = this.held.subarray(0, this.end);
    }
    const frames: Frame[] = [];
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let at = 0;
    while (buf.length - at >= FRAME_HEADER_BYTES) {
      const type = view.getUint8(at);
      const len = view.getUint32(at + 1, true);
      if (len > MAX_FRAME_PAYLOAD) { throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME_PAYLOAD}`); }
      if (buf.length - at - FRAME_HEADER_BYTES < len) { break; }
      frames.push(decodePayload(type, buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + len)));
      at += FRAME_HEADER_BYTES + len;
    }
    if (buf === chunk) {
      // Parsed straight from the piece: keep a copy of its unfinished tail (the piece is not ours).
      const left = chunk.length - at;
      if (left > 0) {
        if (this.held.length < left) { this.held = new Uint8Array(Math.max(left, 1 << 16)); }
        this.held.set(chunk.subarray(at), 0);
      }
      this.start = 0;
      this.end = left;
    } else {
      this.start = at;
    }
    // A rare big frame once: do not keep its buffer for the channel's whole life.
    if (this.end === this.start && this.held.length > HELD_KEEP_MAX) { this.held = new Uint8Array(0); this.start = this.end = 0; }
    return frames;
  }

  get bufferedBytes(): number { return this.end - this.start; }
}

/** The decoder's buffer is dropped when empty past this size (a frame spanning pieces fits well under it). */
const HELD_KEEP_MAX = 1 << 20;

/** Worker exit codes: a fault it reported, or it saw its sibling vanish (queue closed early). */
export const EXIT_FAULT = 3;
export const EXIT_PEER_GONE = 4;

// ---------------------------------------------------------------- queue items

/** One queue item between a shouter and a hearer: i32 value, i32 shouter index. */
export const QUEUE_ITEM_BYTES = 8;

/**
 * Broker mode. Clients send 8-byte items [i32 value][i32 arg]; the queue process answers with
 * QUEUE_REPLY_BYTES [i32 value][i32 arg][f64 t], t being when the queue really took the item in
 * or handed it out (ns since t0: every process shares the clock). Clients stamp their Put and
 * Get events with that t, so depth and order in the trace are the queue's own.
 * shouter -> queue: a put (value = message or SENTINEL, arg = shouter) or SHOUTER_DONE.
 * queue -> shouter: a put acknowledgement (only with a capacity; arg = 1 if the put had to wait).
 * hearer -> queue: a get request (value 0). queue -> hearer: the item (arg = shouter | WAITED_FLAG).
 */
export const QUEUE_REPLY_BYTES = 16;
export const SHOUTER_DONE = -2;
export const GET_REQUEST = 0;
export const WAITED_FLAG = 0x10000;
