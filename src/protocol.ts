/**
 * The one protocol module: every message between the host and the workers, every trace
 * event, and the run summary. Imported by the workers, the run engine, the CLI, the
 * extension and the webview, so a change here is a change everywhere.
 *
 * Wire format between a worker and the host (its control channel, fd 4): frames of
 * `[u8 type][u32 LE payload length][payload]`. Trace events travel in batches of fixed-size
 * binary records (TRACE_RECORD_BYTES each), never as one JSON object per event.
 */

// ---------------------------------------------------------------- trace events

/** What happened. Spans have a duration; instants have dur = 0. */
export const enum EventKind {
  /** Instant: the worker's program began (after its runtime started). value = its OS pid. */
  Start = 0,
  /** Instant: the worker's program finished and is about to exit. */
  Exit = 1,
  /** Span: waiting for the print lock (request → grant). value = message of the line. */
  LockWait = 2,
  /** Span: holding the print lock while writing one line. value = message; aux = PrintFlags. */
  Print = 3,
  /** Instant: a message was put on the queue. value = message (SENTINEL for "done"); aux = shouter. */
  Put = 4,
  /** Span: put blocked because the queue was full. value = message. */
  PutBlocked = 5,
  /** Instant: a message was taken from the queue. value = message; aux = shouter. */
  Get = 6,
  /** Span: get blocked because the queue was empty. */
  GetWait = 7,
  /** Span: the shouter napped after putting message `value`. */
  Nap = 8,
  /** Instant, recorded by the host: the lock was granted to `proc`. */
  Grant = 9,
  /** Instant, recorded by the host: the holder `proc` was asked to hand the lock over. */
  Revoke = 10,
}

export const EVENT_KIND_NAMES: readonly string[] = [
  'start', 'exit', 'lockWait', 'print', 'put', 'putBlocked', 'get', 'getWait', 'nap', 'grant', 'revoke',
];

export const enum PrintFlags {
  /** The lock was still this process's from its previous line: no round trip (a mutex's fast path). */
  FastAcquire = 1,
  /** Printed without the lock. */
  NoLock = 2,
}

/** Queue value of the "done" sentinel (messages are numbered from 1). */
export const SENTINEL = -1;

/**
 * One trace record on the wire, little endian:
 * u8 kind, u8 proc, u16 aux, i32 value, f64 t (ns since the run's t0), f64 dur (ns).
 */
export const TRACE_RECORD_BYTES = 24;

export interface TraceEvent {
  kind: EventKind;
  proc: number;
  aux: number;
  value: number;
  /** ns since the run's t0 (process.hrtime.bigint() in every process: CLOCK_MONOTONIC). */
  t: number;
  /** ns; 0 for instants. */
  dur: number;
}

export function writeTraceRecord(view: DataView, offset: number, e: TraceEvent): void {
  view.setUint8(offset, e.kind);
  view.setUint8(offset + 1, e.proc);
  view.setUint16(offset + 2, e.aux, true);
  view.setInt32(offset + 4, e.value, true);
  view.setFloat64(offset + 8, e.t, true);
  view.setFloat64(offset + 16, e.dur, true);
}

export function readTraceRecord(view: DataView, offset: number): TraceEvent {
  return {
    kind: view.getUint8(offset),
    proc: view.getUint8(offset + 1),
    aux: view.getUint16(offset + 2, true),
    value: view.getInt32(offset + 4, true),
    t: view.getFloat64(offset + 8, true),
    dur: view.getFloat64(offset + 16, true),
  };
}

// ---------------------------------------------------------------- worker <-> host frames

export const enum FrameType {
  // worker -> host
  LockRequest = 1,
  LockRelease = 2,
  Trace = 3,
  Finished = 4,
  Fault = 5,
  // host -> worker
  LockGrant = 10,
  LockRevoke = 11,
}

export type WorkerToHost =
  | { type: 'lockRequest' }
  | { type: 'lockRelease' }
  | { type: 'trace'; records: Uint8Array }
  | { type: 'finished' }
  | { type: 'fault'; message: string };

export type HostToWorker = { type: 'lockGrant' } | { type: 'lockRevoke' };

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
    case 'lockGrant': return FrameType.LockGrant;
    case 'lockRevoke': return FrameType.LockRevoke;
  }
}

export function encodeFrame(frame: Frame): Uint8Array {
  const payload = frame.type === 'trace' ? frame.records
    : frame.type === 'fault' ? textEncoder.encode(frame.message)
    : new Uint8Array(0);
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, frameTypeOf(frame));
  view.setUint32(1, payload.length, true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
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
    case FrameType.LockGrant: return { type: 'lockGrant' };
    case FrameType.LockRevoke: return { type: 'lockRevoke' };
    default: throw new Error(`unknown frame type ${type}`);
  }
}

/** Reassembles frames from a byte stream that arrives in arbitrary pieces. */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);

  /** Feeds bytes; returns the frames completed by them. Throws on a malformed stream. */
  push(chunk: Uint8Array): Frame[] {
    let buf = chunk;
    if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + chunk.length);
      buf.set(this.pending, 0);
      buf.set(chunk, this.pending.length);
    }
    const frames: Frame[] = [];
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let at = 0;
    while (buf.length - at >= FRAME_HEADER_BYTES) {
      const type = view.getUint8(at);
      const len = view.getUint32(at + 1, true);
      if (len > MAX_FRAME_PAYLOAD) { throw new Error(`frame of ${len} bytes exceeds ${MAX_FRAME_PAYLOAD}`); }
      if (buf.length - at - FRAME_HEADER_BYTES < len) { break; }
      // Copy the payload (Uint8Array's slice, even for a Buffer): the stream may reuse its buffer.
      const payload = Uint8Array.prototype.slice.call(buf, at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + len);
      frames.push(decodePayload(type, payload));
      at += FRAME_HEADER_BYTES + len;
    }
    this.pending = Uint8Array.prototype.slice.call(buf, at);
    return frames;
  }

  get bufferedBytes(): number { return this.pending.length; }
}

/** Worker exit codes: a fault it reported, or it saw its sibling vanish (queue closed early). */
export const EXIT_FAULT = 3;
export const EXIT_PEER_GONE = 4;

// ---------------------------------------------------------------- queue items

/** One queue item between a shouter and a hearer: i32 value, i32 shouter index. */
export const QUEUE_ITEM_BYTES = 8;

// ---------------------------------------------------------------- run configuration & summary

export type LockPolicy = 'os';

export interface RunConfig {
  messageCount: number;
  napProbability: number;
  napMs: number;
  /** null: a fresh random seed for each run. */
  seed: number | null;
  useLock: boolean;
  runTimeoutSeconds: number;
}

/** What a worker receives (as one JSON argument) to run its part. */
export interface WorkerConfig {
  role: 'shouter' | 'hearer';
  /** Lane index of this process in the trace. */
  proc: number;
  /** Index among processes of the same role. */
  index: number;
  messageCount: number;
  napProbability: number;
  napMs: number;
  seed: number;
  useLock: boolean;
  /** The run's t0, `process.hrtime.bigint()` in the host, as a decimal string. */
  t0: string;
  /** Lines a lock holder may print before it yields to hear a hand-over request. */
  yieldEveryLines: number;
  /** false: record no trace events (only for measuring what tracing costs). */
  traced: boolean;
}

export type ProcessRole = 'shouter' | 'hearer';

export interface ProcessInfo {
  proc: number;
  role: ProcessRole;
  name: string;
  pid: number | undefined;
}

export interface RunSummary {
  runId: string;
  engine: 'node';
  ok: boolean;
  stopped: boolean;
  timedOut: boolean;
  /** Why the run did not complete, naming the process and its exit code or signal. */
  failure?: string;
  seed: number;
  config: RunConfig;
  durationMs: number;
  naps: number;
  /** The interleaved output lines in order; only for runs of up to LINES_IN_SUMMARY_MAX messages. */
  lines?: string[];
  lineCount: number;
  pids: { shouter: number | undefined; hearer: number | undefined };
  processes: ProcessInfo[];
  exactlyOnceInOrder: boolean;
  /** In words: why the invariant holds or not. */
  invariant: string;
  puts: number;
  gets: number;
  maxQueueDepth: number;
  lockWaits: { count: number; totalMs: number };
  events: number;
}

export const LINES_IN_SUMMARY_MAX = 10_000;
