/**
 * The one protocol module: every message between the host and the workers, every trace
 * event, and the run summary. Imported by the workers, the run engine, the CLI, the
 * extension and the webview, so a change here is a change everywhere.
 *
 * Wire format between a worker and the host (its control channel, fd 4): frames of
 * `[u8 type][u32 LE payload length][payload]`. Trace events travel in batches of fixed-size
 * binary records (TRACE_RECORD_BYTES each), never as one JSON object per event.
 */

import { parseLearnMessage, parseLearnReport, type HostToTimelineLearn, type TimelineLearnReport, type TimelineLearnToHost } from './timelineLearnProtocol';
export type { AxisMode, HostToTimelineLearn, TimelineLearnReport, TimelineLearnToHost } from './timelineLearnProtocol';

// ---------------------------------------------------------------- trace events

/** What happened. Spans have a duration; instants have dur = 0. (docs/trace-format.md, version 2) */
export const enum EventKind {
  /** Instant: the worker's program began (after the start gate opened). value = its OS pid. */
  Start = 0,
  /** Instant: the worker's program finished and is about to exit. */
  Exit = 1,
  /** Span: waiting for the print lock (acquire → got it), stamped by the waiting process. value = message of the line. */
  LockWait = 2,
  /** Span: holding the print lock while writing one line. value = message; flags = PrintFlags; aux = piece index (lock off). */
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
  /** Instant, recorded by the scheduler process: the lock was granted to lane `aux`. */
  Grant = 9,
  /** Instant (v1 runs only): the holder `aux` was asked to hand the lock over. */
  Revoke = 10,
  /** Span: a lock held from acquire to release (locks not tied to one print). */
  LockHeld = 11,
  /** Instant: JoinableQueue.task_done() on queue `obj`. */
  TaskDone = 12,
  /** Span: JoinableQueue.join() waiting on queue `obj`. */
  JoinWait = 13,
  /** Instant: a line written to stdout (aux 1) or stderr (aux 2) by a traced script. */
  Output = 14,
}

export const EVENT_KIND_NAMES: readonly string[] = [
  'start', 'exit', 'lockWait', 'print', 'put', 'putBlocked', 'get', 'getWait', 'nap', 'grant', 'revoke',
  'lockHeld', 'taskDone', 'joinWait', 'output',
];

/** The `flags` byte of a record. */
export const enum PrintFlags {
  /** Print: the lock was taken without waiting (an uncontended acquire). */
  FastAcquire = 1,
  /** Print: written without the lock; the span is one piece of the line (its index in aux). */
  NoLock = 2,
  /** Put: it had to wait for room in a bounded queue. */
  Blocked = 4,
}

/** Queue value of the "done" sentinel (messages are numbered from 1). */
export const SENTINEL = -1;

/** The lane of events recorded by the scheduler process (or, in v1 files, the host). */
export const SCHEDULER_PROC = 0xffff;

/**
 * One trace record on the wire (version 2, docs/trace-format.md), 32 bytes little endian:
 * u8 kind, u8 flags, u16 proc, u16 obj, u16 site, i32 value, u32 aux, f64 t (ns since t0), f64 dur (ns).
 */
export const TRACE_RECORD_BYTES = 32;
export const TRACE_VERSION = 2;

/** An acquire that waited longer than this counts as contended, in both engines (ns). */
export const CONTENDED_WAIT_NS = 50_000;

export interface TraceEvent {
  kind: EventKind;
  flags: number;
  proc: number;
  obj: number;
  site: number;
  value: number;
  aux: number;
  /** ns since the run's t0 (process.hrtime.bigint() in every process: CLOCK_MONOTONIC). */
  t: number;
  /** ns; 0 for instants. */
  dur: number;
}

/** The one encoder of a record: every TS producer writes through this. */
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

/** The lines the lesson prints; with more than one shouter or hearer they say which. */
export function shoutLine(shouters: number, hearers: number, shouter: number, message: number): string {
  return shouters === 1 && hearers === 1 ? `Shout: ${message}` : `Shout[${shouter + 1}]: ${message}`;
}

export function hearLine(shouters: number, hearers: number, hearer: number, shouter: number, message: number): string {
  return shouters === 1 && hearers === 1 ? `Hear: ${message}` : `Hear[${hearer + 1}]: ${shouter + 1}/${message}`;
}

// ---------------------------------------------------------------- run configuration & summary

/**
 * Who gets the print lock next. os: a real kernel lock (a token byte in a pipe every process
 * shares; the kernel picks who wakes). The others decide in the run's scheduler process:
 * fifo: every line is its own grant, in request order; random: every line its own grant, to a
 * seeded random waiter; manual: the user grants; replay: a recorded grant order is enforced.
 */
export type LockPolicy = 'os' | 'fifo' | 'random' | 'manual' | 'replay';
export const LOCK_POLICIES: readonly LockPolicy[] = ['os', 'fifo', 'random', 'manual', 'replay'];

export type EngineName = 'node' | 'python';
export type PythonStartMethod = 'fork' | 'spawn' | 'forkserver';

export interface RunConfig {
  messageCount: number;
  napProbability: number;
  napMs: number;
  /** null: a fresh random seed for each run. */
  seed: number | null;
  useLock: boolean;
  runTimeoutSeconds: number;
  lockPolicy: LockPolicy;
  /** 0: unbounded; else put blocks while this many messages wait in the queue. */
  queueCapacity: number;
  shouters: number;
  hearers: number;
  engine: EngineName;
  /** null: the platform's default. Python engine only. */
  pythonStartMethod: PythonStartMethod | null;
}

/** What a worker receives (as one JSON argument) to run its part. */
export interface WorkerConfig {
  role: ProcessRole | 'scheduler';
  /** Lane index of this process in the trace. */
  proc: number;
  /** Index among processes of the same role. */
  index: number;
  messageCount: number;
  napProbability: number;
  napMs: number;
  seed: number;
  useLock: boolean;
  /** How this process takes the print lock: the kernel token (policy "os"), or a turn from the scheduler process. */
  lock: 'kernel' | 'scheduler';
  shouters: number;
  hearers: number;
  /** direct: one socketpair shouter <-> hearer. broker: a queue process between all shouters and hearers. */
  queue: 'direct' | 'broker';
  queueCapacity: number;
  /** broker, replay: the hearer to give each message dequeued to arrives in Plan frames (this many values) before the start gate. */
  getOrderLength?: number;
  /** The run's t0, `process.hrtime.bigint()` in the host, as a decimal string. */
  t0: string;
  /** false: record no trace events (only for measuring what tracing costs). */
  traced: boolean;
}

/** queue: the process that holds a shared queue when there are several shouters or hearers, or a capacity. */
/** 'process': a process of a traced user program (shoutHear.traceFile). */
export type ProcessRole = 'shouter' | 'hearer' | 'queue' | 'process';

export interface ProcessInfo {
  proc: number;
  role: ProcessRole;
  name: string;
  pid: number | undefined;
}

export interface RunSummary {
  runId: string;
  engine: EngineName;
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
  /** Output bytes not kept because the transcript reached its size cap (absent: all kept). */
  outputBytesNotKept?: number;
  /** The (first) shouter's and hearer's pids. */
  pids: { shouter: number | undefined; hearer: number | undefined };
  /** Every OS process the run started (for the Python engine: its main and its children). */
  allPids: number[];
  processes: ProcessInfo[];
  exactlyOnceInOrder: boolean;
  /** In words: why the invariant holds or not. */
  invariant: string;
  puts: number;
  gets: number;
  maxQueueDepth: number;
  /** With a bounded queue: the depth never went past the capacity. */
  capacityRespected?: boolean;
  /** Puts that had to wait for room in a bounded queue. */
  putBlocks: number;
  lockWaits: { count: number; totalMs: number };
  events: number;
  /** A replay: the run it replays. */
  replayOf?: string;
  /** A replay: whether it printed exactly the lines of the original. */
  identical?: boolean;
  /** Things the user should know about how this run was made (e.g. a setting that did not apply). */
  notes?: string[];
}

export const LINES_IN_SUMMARY_MAX = 10_000;

// ================================================================ host <-> timeline webview
// Everything the Timeline panel and its host say to each other. Host -> webview messages are
// trusted (we built them); webview -> host messages are checked by `parseTimelineMessage`
// against an allow-list of types and shapes, and anything else is ignored (and logged).

/** One process lane of a run, as the timeline shows it. */
export interface TimelineProcess {
  proc: number;
  role: ProcessRole;
  name: string;
  pid?: number;
}

/** The end of a run, in the few words the timeline's header needs. */
export interface TimelineVerdict {
  ok: boolean;
  stopped: boolean;
  timedOut: boolean;
  failure?: string;
  invariant: string;
  durationMs: number;
  naps: number;
  maxQueueDepth: number;
  lockWaits: { count: number; totalMs: number };
}

/**
 * A traced user program's queue or lock, as its own track (named by its creation site).
 * queue: `puts` and `gets` are the times (ns) of its puts and gets, each sorted;
 * lock: `held` is its held spans, flat [start, end, holder lane, ...], sorted by start.
 */
export interface TimelineObjectTrack {
  obj: number;
  kind: 'queue' | 'lock';
  label: string;
  puts?: Float64Array;
  gets?: Float64Array;
  held?: Float64Array;
}

/** What the timeline knows of a run before (or without) its events. */
export interface TimelineRunMeta {
  runId: string;
  /** Short human label, e.g. "#3 · seed 42". */
  label: string;
  seed: number;
  config: RunConfig;
  processes: TimelineProcess[];
  /** Wall-clock start (ms since the epoch), for the picker. */
  startedAt: number;
  /** Undefined while the run is going. */
  verdict?: TimelineVerdict;
  /** A traced user program: its file (clicking an event asks the host to open it at the event's line). */
  file?: string;
  /** A traced user program: its queues and locks, a track each (as of when the run was loaded). */
  objects?: TimelineObjectTrack[];
  /** A traced user program: texts of its tags per lane (texts[lane][tag - 1]: a put's repr, a print's text), bounded. */
  texts?: Record<number, string[]>;
}

/** A run in the picker: meta only. */
export type TimelineRunListItem = Pick<TimelineRunMeta, 'runId' | 'label' | 'startedAt'> & { live: boolean; ok?: boolean };

/** Which slot of the panel a run is shown in: the main one, or the second run of compare mode. */
export type TimelineSlot = 'main' | 'compare';

/**
 * A batch of events in the trace's own columnar layout (see TraceStore): `from` is the index
 * of the first one in the run's trace. The typed arrays travel as ArrayBuffers.
 */
export interface TimelineEventBatch {
  from: number;
  t: Float64Array;
  dur: Float32Array;
  value: Int32Array;
  aux: Uint32Array;
  kind: Uint8Array;
  flags: Uint8Array;
  proc: Uint16Array;
}

export type HostToTimeline =
  /** The runs of this window, newest first; `dropped`: older runs no longer kept. */
  | { type: 'runs'; runs: TimelineRunListItem[]; dropped: number; keep: number }
  /** Start showing `run` in `slot` (clears what the slot showed). `totalEvents`: a size hint. */
  | { type: 'load'; slot: TimelineSlot; run: TimelineRunMeta; totalEvents: number; live: boolean }
  | { type: 'events'; slot: TimelineSlot; runId: string; batch: TimelineEventBatch }
  /** Output lines `from`.. of the run's transcript. */
  | { type: 'lines'; slot: TimelineSlot; runId: string; from: number; lines: string[]; truncated?: number }
  | { type: 'ended'; slot: TimelineSlot; runId: string; verdict: TimelineVerdict }
  /** The slot shows nothing (compare mode off, or the run is gone). `reason` is said in the panel. */
  | { type: 'clear'; slot: TimelineSlot; reason?: string }
  /** Ask the webview to report what it drew (tests). */
  | { type: 'report'; token: number }
  /**
   * Who holds the print lock of the live run in the main slot and who waits for it (lane names).
   * `manual`: the user is the scheduler (lock policy "manual"), so the page offers a Grant button
   * per waiting process while the lock is free. `error`: the last grant failed, in words.
   */
  | { type: 'lockState'; runId: string; holder: string | null; waiting: string[]; manual: boolean; error?: string }
  /** Learn: the playhead, the axis mode, the narration pane (timelineLearnProtocol.ts). */
  | HostToTimelineLearn;

/** What the webview drew, as it reports it (for tests and diagnostics). */
export interface TimelineRendered {
  token: number;
  runId: string | null;
  compareRunId: string | null;
  /** Lane names in drawing order (process lanes of the main run). */
  lanes: string[];
  /** Events the main slot holds. */
  events: number;
  /** Events of the main slot per kind name. */
  kinds: Record<string, number>;
  lines: number;
  /** Text as shown in the DOM: the lane labels and the first transcript rows. */
  laneLabels: string[];
  transcriptSample: string[];
  /** Elements that must never be created from data: img, script, iframe, object, embed. */
  foreignElements: number;
  viewport: { t0: number; t1: number; following: boolean };
  /** The main run's processes waiting for the print lock, as the page shows them (manual scheduling). */
  waiting: string[];
  /** The Grant buttons the page offers (enabled ones), by process name. */
  grantButtons: string[];
  /** Lock off: output lines of the main run written while another process was mid-line. */
  overlappingLines: number;
  /** How runs in compare mode are aligned: on each run's own start, or on its first event. */
  align: 'start' | 'first';
  /** The page's CSS size and the height its tracks take (Save Timeline Image draws at twice the page's width). */
  page: { width: number; height: number; plotHeight: number };
  /** The lock-holder track of the main run as last drawn: [lane, from ns, to ns] (at most 4,000). */
  holderSpans: [number, number, number][];
  /** The playhead, the axis mode and the narration pane as shown. */
  learn: TimelineLearnReport;
}

export type TimelineToHost =
  /** The page loaded; `runId`/`compareRunId`: what it showed before (from its saved state). */
  | { type: 'ready'; runId: string | null; compareRunId: string | null }
  | { type: 'select'; slot: TimelineSlot; runId: string | null }
  | { type: 'rendered'; report: TimelineRendered }
  /** Be the scheduler: give the free print lock of the live run `runId` to the process `name`. */
  | { type: 'grant'; runId: string; name: string }
  /** The page holds the first `events` events of run `runId` in `slot`: the host may send more (backpressure). */
  | { type: 'received'; slot: TimelineSlot; runId: string; events: number }
  /** A traced user program: open its source at the location of event `event` (an index in the run's trace). */
  | { type: 'openSource'; runId: string; event: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | TimelineLearnToHost;

export const TIMELINE_KEEP_RUNS = 20;

const MAX_ID = 200;
const MAX_TEXT = 2000;
const MAX_ITEMS = 10_000;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isStr(x: unknown, max = MAX_TEXT): x is string { return typeof x === 'string' && x.length <= max; }
function isId(x: unknown): x is string | null { return x === null || (isStr(x, MAX_ID) && /^[\w.:-]+$/.test(x)); }
function isNum(x: unknown): x is number { return typeof x === 'number' && Number.isFinite(x); }
function isStrList(x: unknown): x is string[] {
  return Array.isArray(x) && x.length <= MAX_ITEMS && x.every((s) => isStr(s));
}
function hasOnly(o: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

function parseRendered(r: unknown): TimelineRendered | undefined {
  if (!isObj(r)) { return undefined; }
  const keys = ['token', 'runId', 'compareRunId', 'lanes', 'events', 'kinds', 'lines', 'laneLabels', 'transcriptSample', 'foreignElements', 'viewport', 'waiting', 'grantButtons', 'overlappingLines', 'align', 'holderSpans', 'learn', 'page'];
  if (!hasOnly(r, keys)) { return undefined; }
  const { token, runId, compareRunId, lanes, events, kinds, lines, laneLabels, transcriptSample, foreignElements, viewport, waiting, grantButtons, overlappingLines, align, page } = r;
  if (!isObj(page) || !hasOnly(page, ['width', 'height', 'plotHeight']) || !isNum(page.width) || !isNum(page.height) || !isNum(page.plotHeight)) { return undefined; }
  const holderSpans = r.holderSpans ?? [];
  if (!Array.isArray(holderSpans) || holderSpans.length > 4000 || !holderSpans.every((x) => Array.isArray(x) && x.length === 3 && x.every(isNum))) { return undefined; }
  const learn = parseLearnReport(r.learn);
  if (!learn) { return undefined; }
  if (!isStrList(waiting) || !isStrList(grantButtons) || !isNum(overlappingLines) || (align !== 'start' && align !== 'first')) { return undefined; }
  if (!isNum(token) || !isId(runId) || !isId(compareRunId) || !isStrList(lanes) || !isNum(events) || !isNum(lines)) { return undefined; }
  if (!isStrList(laneLabels) || !isStrList(transcriptSample) || !isNum(foreignElements)) { return undefined; }
  if (!isObj(kinds) || Object.keys(kinds).length > 64 || !Object.entries(kinds).every(([k, v]) => isStr(k, 64) && isNum(v))) { return undefined; }
  if (!isObj(viewport) || !hasOnly(viewport, ['t0', 't1', 'following']) || !isNum(viewport.t0) || !isNum(viewport.t1) || typeof viewport.following !== 'boolean') { return undefined; }
  return {
    token, runId, compareRunId, lanes, events, kinds: kinds as Record<string, number>, lines, laneLabels, transcriptSample, foreignElements,
    viewport: { t0: viewport.t0, t1: viewport.t1, following: viewport.following },
    waiting, grantButtons, overlappingLines, align, holderSpans: (holderSpans as number[][]).map((x) => [x[0], x[1], x[2]] as [number, number, number]), learn,
    page: { width: page.width, height: page.height, plotHeight: page.plotHeight },
  };
}

/**
 * Checks a message from the timeline webview: returns it (rebuilt from its checked fields
 * only) if its type is on the allow-list and its shape is right, else undefined.
 */
export function parseTimelineMessage(m: unknown): TimelineToHost | undefined {
  if (!isObj(m) || typeof m.type !== 'string') { return undefined; }
  switch (m.type) {
    case 'ready':
      if (!hasOnly(m, ['type', 'runId', 'compareRunId']) || !isId(m.runId ?? null) || !isId(m.compareRunId ?? null)) { return undefined; }
      return { type: 'ready', runId: (m.runId as string | null | undefined) ?? null, compareRunId: (m.compareRunId as string | null | undefined) ?? null };
    case 'select':
      if (!hasOnly(m, ['type', 'slot', 'runId']) || (m.slot !== 'main' && m.slot !== 'compare') || !isId(m.runId)) { return undefined; }
      return { type: 'select', slot: m.slot, runId: m.runId };
    case 'rendered': {
      if (!hasOnly(m, ['type', 'report'])) { return undefined; }
      const report = parseRendered(m.report);
      return report ? { type: 'rendered', report } : undefined;
    }
    case 'received':
      if (!hasOnly(m, ['type', 'slot', 'runId', 'events']) || (m.slot !== 'main' && m.slot !== 'compare') || !isId(m.runId) || m.runId === null
        || !isNum(m.events) || !Number.isInteger(m.events) || m.events < 0) { return undefined; }
      return { type: 'received', slot: m.slot, runId: m.runId, events: m.events };
    case 'grant':
      // A lane name ("shouter", "hearer 2"): short plain text; the host checks it names a process of the run.
      if (!hasOnly(m, ['type', 'runId', 'name']) || !isId(m.runId) || m.runId === null || !isStr(m.name, 64) || !/^[\w -]+$/.test(m.name)) { return undefined; }
      return { type: 'grant', runId: m.runId, name: m.name };
    case 'openSource':
      if (!hasOnly(m, ['type', 'runId', 'event']) || !isId(m.runId) || m.runId === null || !Number.isInteger(m.event) || (m.event as number) < 0) { return undefined; }
      return { type: 'openSource', runId: m.runId, event: m.event as number };
    case 'log':
      if (!hasOnly(m, ['type', 'level', 'message']) || (m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isStr(m.message)) { return undefined; }
      return { type: 'log', level: m.level, message: m.message };
    case 'playhead':
    case 'revealEvent':
      return parseLearnMessage(m);
    default:
      return undefined;
  }
}

// ================================================================ host <-> explore webview
// Run Batch and Sweep Nap Probabilities show their results in one "Shout/Hear Explore" panel.
// Host -> page messages are trusted (we built them); page -> host messages are checked by
// `parseExploreMessage` against an allow-list of types and shapes; anything else is ignored.

export type ExploreTab = 'batch' | 'sweep';

/** One distinct output ordering of a batch, as the page shows it. */
export interface ExploreOrdering {
  count: number;
  runIds: string[];
  /** Its lines (at most EXPLORE_LINES_MAX; `truncated` more were left out). */
  lines: string[];
  truncated: number;
  /** Compact form for labels, e.g. "S1 H1 S2 S3 H2 H3". */
  short: string;
}

export interface ExploreBatchView {
  /** Runs that ran to their end (stopped ones are not counted). */
  runs: number;
  requested: number;
  /** Still running (the page shows partial results). */
  running: boolean;
  cancelled: boolean;
  /** Why the batch ended early, in words (cancelled, or interrupted by another run). */
  interruption?: string;
  /** Runs that ended but not ok (failed invariant, timeout, crash). */
  notOk: number;
  distinct: number;
  /** Every ordering the program allows, as a decimal string; null when not counted. */
  possible: string | null;
  /** "7 of 132 possible orderings seen", or "observed only: …". */
  observed: string;
  /** The settings, in one line. */
  settings: string;
  /** Most common first. */
  orderings: ExploreOrdering[];
}

/** Mean, spread and quantiles of one metric (NaN when no value). */
export interface ExploreStats { n: number; mean: number; stddev: number; min: number; max: number; median: number; p10: number; p90: number }

export interface ExploreSweepGroup {
  napProbability: number;
  runs: number;
  runIds: string[];
  durationMs: ExploreStats;
  lockWaitMs: ExploreStats;
  maxQueueDepth: ExploreStats;
  putGetLatencyMs: ExploreStats;
  distinctOrderings: number;
}

export interface ExploreSweepView {
  probabilities: number[];
  runsEach: number;
  runs: number;
  running: boolean;
  cancelled: boolean;
  interruption?: string;
  settings: string;
  groups: ExploreSweepGroup[];
}

export type HostToExplore =
  /** Everything the page shows; `kept`: run ids whose timeline can still be opened. */
  | { type: 'state'; tab: ExploreTab; batch: ExploreBatchView | null; sweep: ExploreSweepView | null; kept: string[]; keep: number }
  /** Which runs are still kept changed. */
  | { type: 'kept'; kept: string[] }
  /** Ask the page to report what it drew (tests). */
  | { type: 'report'; token: number };

/** What the Explore page drew, as it reports it (tests and diagnostics). */
export interface ExploreRendered {
  token: number;
  tab: ExploreTab;
  batch: {
    runs: number;
    distinct: number;
    /** Bar heights as drawn in the histogram, in order. */
    bars: number[];
    /** The header text, as shown. */
    observed: string;
    /** The most common ordering's lines, as shown. */
    topLines: string[];
    /** Rows of the orderings table. */
    rows: number;
    /** Open-timeline buttons that are enabled (runs still kept). */
    openable: number;
  } | null;
  sweep: {
    /** Each uPlot chart drawn: its title, series (besides x) and points per series. */
    charts: { title: string; series: number; points: number }[];
    tableRows: number;
  } | null;
  /** Elements that must never be created from data: img, script, iframe, object, embed, svg, link, style. */
  foreignElements: number;
  /** The page's CSS width (Save Explore Image draws at twice it). */
  pageWidth: number;
}

export type ExploreToHost =
  | { type: 'ready' }
  | { type: 'tab'; tab: ExploreTab }
  /** Open this run's timeline. */
  | { type: 'openRun'; runId: string }
  /** Export the sweep as CSV (the host asks where). */
  | { type: 'exportCsv' }
  | { type: 'rendered'; report: ExploreRendered }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export const EXPLORE_LINES_MAX = 2000;

function isTab(x: unknown): x is ExploreTab { return x === 'batch' || x === 'sweep'; }
function isNumList(x: unknown): x is number[] { return Array.isArray(x) && x.length <= MAX_ITEMS && x.every(isNum); }

function parseExploreRendered(r: unknown): ExploreRendered | undefined {
  if (!isObj(r) || !hasOnly(r, ['token', 'tab', 'batch', 'sweep', 'foreignElements', 'pageWidth'])) { return undefined; }
  const { token, tab, batch, sweep, foreignElements, pageWidth } = r;
  if (!isNum(token) || !isTab(tab) || !isNum(foreignElements) || !isNum(pageWidth)) { return undefined; }
  let b: ExploreRendered['batch'] = null;
  if (batch !== null) {
    if (!isObj(batch) || !hasOnly(batch, ['runs', 'distinct', 'bars', 'observed', 'topLines', 'rows', 'openable'])) { return undefined; }
    const { runs, distinct, bars, observed, topLines, rows, openable } = batch;
    if (!isNum(runs) || !isNum(distinct) || !isNumList(bars) || !isStr(observed) || !isStrList(topLines) || !isNum(rows) || !isNum(openable)) { return undefined; }
    b = { runs, distinct, bars, observed, topLines, rows, openable };
  }
  let s: ExploreRendered['sweep'] = null;
  if (sweep !== null) {
    if (!isObj(sweep) || !hasOnly(sweep, ['charts', 'tableRows']) || !isNum(sweep.tableRows)) { return undefined; }
    const charts = sweep.charts;
    if (!Array.isArray(charts) || charts.length > 64) { return undefined; }
    const out: { title: string; series: number; points: number }[] = [];
    for (const c of charts) {
      if (!isObj(c) || !hasOnly(c, ['title', 'series', 'points']) || !isStr(c.title, 200) || !isNum(c.series) || !isNum(c.points)) { return undefined; }
      out.push({ title: c.title, series: c.series, points: c.points });
    }
    s = { charts: out, tableRows: sweep.tableRows };
  }
  return { token, tab, batch: b, sweep: s, foreignElements, pageWidth };
}

/**
 * Checks a message from the Explore webview: returns it (rebuilt from its checked fields only)
 * if its type is on the allow-list and its shape is right, else undefined.
 */
export function parseExploreMessage(m: unknown): ExploreToHost | undefined {
  if (!isObj(m) || typeof m.type !== 'string') { return undefined; }
  switch (m.type) {
    case 'ready':
      return hasOnly(m, ['type']) ? { type: 'ready' } : undefined;
    case 'exportCsv':
      return hasOnly(m, ['type']) ? { type: 'exportCsv' } : undefined;
    case 'tab':
      return hasOnly(m, ['type', 'tab']) && isTab(m.tab) ? { type: 'tab', tab: m.tab } : undefined;
    case 'openRun':
      return hasOnly(m, ['type', 'runId']) && typeof m.runId === 'string' && isId(m.runId) ? { type: 'openRun', runId: m.runId } : undefined;
    case 'rendered': {
      if (!hasOnly(m, ['type', 'report'])) { return undefined; }
      const report = parseExploreRendered(m.report);
      return report ? { type: 'rendered', report } : undefined;
    }
    case 'log':
      if (!hasOnly(m, ['type', 'level', 'message']) || (m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isStr(m.message)) { return undefined; }
      return { type: 'log', level: m.level, message: m.message };
    default:
      return undefined;
  }
}
