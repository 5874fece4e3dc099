/**
 * The read-only view of a run that the learning modules (narration, state at an instant, the
 * program map, the event-order axis) read: the trace's columns, the lanes and the run's config.
 * Structural types only — no `vscode`, no DOM, no Node — so the host and the webview can both
 * hand their own stores in through the small adapters below.
 *
 * Event semantics are those of trace kinds 0–10 (docs/trace-format.md): times in ns since the
 * run's t0, spans with dur > 0, instants with dur = 0.
 */

/** Trace kinds 0–10, by number (the learning modules ignore kinds they do not know). */
export const K = {
  start: 0, exit: 1, lockWait: 2, print: 3, put: 4, putBlocked: 5, get: 6, getWait: 7, nap: 8, grant: 9, revoke: 10,
} as const;

/** Print flags (the `flags` column of trace format v2). */
export const PRINT_FAST_ACQUIRE = 1;
export const PRINT_NO_LOCK = 2;
/** Queue value of the "done" sentinel. */
export const SENTINEL_VALUE = -1;

export interface TraceColumns {
  readonly length: number;
  kind(i: number): number;
  proc(i: number): number;
  value(i: number): number;
  aux(i: number): number;
  /** Kind-specific flags of event i (a Print's: fast acquire, no lock). */
  flags(i: number): number;
  /** ns since the run's t0. */
  t(i: number): number;
  /** ns; 0 for instants. */
  dur(i: number): number;
}

export type LaneRole = 'shouter' | 'hearer' | 'queue' | 'scheduler' | 'main' | 'process';

export interface LaneInfo {
  proc: number;
  name: string;
  /** A LaneRole; other roles (from newer producers) are kept as they come and count as neither side. */
  role: string;
}

/** The few config fields the narration reads (a RunConfig fits). */
export interface LearnConfig {
  messageCount: number;
  napProbability: number;
  napMs: number;
  useLock: boolean;
  queueCapacity?: number;
  shouters?: number;
  hearers?: number;
  engine?: string;
  lockPolicy?: string;
}

export interface LearnRun {
  runId: string;
  config: LearnConfig;
  lanes: readonly LaneInfo[];
  trace: TraceColumns;
  /** Still going: explained up to its last event. */
  live: boolean;
}

/** Columns held as plain typed arrays (the webview's RunData, a test's made-up trace). */
export interface ColumnArrays {
  readonly length: number;
  readonly kind: ArrayLike<number>;
  readonly proc: ArrayLike<number>;
  readonly value: ArrayLike<number>;
  readonly aux: ArrayLike<number>;
  readonly t: ArrayLike<number>;
  readonly dur: ArrayLike<number>;
  readonly flags: ArrayLike<number>;
}

export function columnsOfArrays(a: ColumnArrays): TraceColumns {
  return {
    length: a.length,
    kind: (i) => a.kind[i],
    proc: (i) => a.proc[i],
    value: (i) => a.value[i],
    aux: (i) => a.aux[i],
    flags: (i) => a.flags[i],
    t: (i) => a.t[i],
    dur: (i) => a.dur[i],
  };
}

/** Chunked columns as the host's TraceStore holds them (chunks of 2^bits events). */
export interface ChunkedColumns {
  readonly length: number;
  readonly chunks: readonly Omit<ColumnArrays, 'length'>[];
}

export function columnsOfChunks(store: ChunkedColumns, chunkBits = 16): TraceColumns {
  const mask = (1 << chunkBits) - 1;
  const c = (i: number) => store.chunks[i >>> chunkBits];
  return {
    get length() { return store.length; },
    kind: (i) => c(i).kind[i & mask],
    proc: (i) => c(i).proc[i & mask],
    value: (i) => c(i).value[i & mask],
    aux: (i) => c(i).aux[i & mask],
    flags: (i) => c(i).flags[i & mask],
    t: (i) => c(i).t[i & mask],
    dur: (i) => c(i).dur[i & mask],
  };
}

/** One event read out (handy for the rules; the columns stay the source of truth). */
export interface Ev {
  i: number;
  kind: number;
  proc: number;
  value: number;
  aux: number;
  flags: number;
  t: number;
  dur: number;
}

export function eventAt(tr: TraceColumns, i: number): Ev {
  return { i, kind: tr.kind(i), proc: tr.proc(i), value: tr.value(i), aux: tr.aux(i), flags: tr.flags(i), t: tr.t(i), dur: tr.dur(i) };
}

/** Every event, in time order (stable: equal times keep their trace order). */
export function eventsInTimeOrder(tr: TraceColumns): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < tr.length; i++) { out.push(eventAt(tr, i)); }
  out.sort((a, b) => a.t - b.t || a.i - b.i);
  return out;
}

/** The end of what the trace covers (ns): the latest t + dur, 0 when empty. */
export function traceEndNs(tr: TraceColumns): number {
  let end = 0;
  for (let i = 0; i < tr.length; i++) { end = Math.max(end, tr.t(i) + tr.dur(i)); }
  return end;
}

export const NS_PER_MS = 1e6;
