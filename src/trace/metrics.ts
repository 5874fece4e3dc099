/**
 * What a finished (or stopped) run's trace says: naps, lock waits, queue depth, and the
 * invariant that every message put was got exactly once, in each shouter's order.
 */
import { EventKind, SENTINEL } from '../protocol/events';
import { doubled } from './growArray';
import type { TraceChunk, TraceStore } from './traceStore';

export interface TraceMetrics {
  naps: number;
  /** Puts that had to wait for room in a bounded queue. */
  putBlocks: number;
  lockWaits: { count: number; totalMs: number };
  puts: number;
  gets: number;
  maxQueueDepth: number;
  exactlyOnceInOrder: boolean;
  invariant: string;
}

export interface InvariantInput {
  shouters: number;
  hearers: number;
  messageCount: number;
}

/** The times in order; already-ordered input (the usual case: one process's own events) is not sorted again. */
function sortedTimes(times: ArrayLike<number>): ArrayLike<number> {
  for (let i = 1; i < times.length; i++) {
    if (times[i] < times[i - 1]) { return Float64Array.from(times).sort(); }
  }
  return times;
}

/** Values ordered by their times (a stable sort, skipped when the times are in order already). */
function valuesByTime(times: Float64Array, values: Int32Array): ArrayLike<number> {
  let ordered = true;
  for (let i = 1; i < times.length && ordered; i++) { ordered = times[i] >= times[i - 1]; }
  if (ordered) { return values; }
  const order = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
  return order.map((i) => values[i]);
}

/**
 * Depth at any moment = puts so far − gets so far (messages only, not the sentinel). A put is
 * stamped before its write and a get after its read, so every get follows its put in time.
 */
export function maxQueueDepth(putTimes: ArrayLike<number>, getTimes: ArrayLike<number>): number {
  const puts = sortedTimes(putTimes);
  const gets = sortedTimes(getTimes);
  let depth = 0;
  let max = 0;
  let g = 0;
  for (let p = 0; p < puts.length; p++) {
    while (g < gets.length && gets[g] < puts[p]) { depth--; g++; }
    depth++;
    if (depth > max) { max = depth; }
  }
  return max;
}

/** The puts or the gets of messages (not the sentinel), in trace order, in typed arrays that grow by doubling. */
class Moves {
  t = new Float64Array(0);
  value = new Int32Array(0);
  shouter = new Uint32Array(0);
  length = 0;
  /** Room for `capacity` made at the first move, not here: a run makes its tallies before it spawns. */
  constructor(private readonly capacity: number) {}
  add(t: number, value: number, shouter: number): void {
    if (this.length === this.t.length) { this.grow(); }
    const i = this.length++;
    this.t[i] = t; this.value[i] = value; this.shouter[i] = shouter;
  }
  private grow(): void {
    if (this.t.length === 0) {
      const n = Math.max(16, this.capacity);
      this.t = new Float64Array(n); this.value = new Int32Array(n); this.shouter = new Uint32Array(n);
      return;
    }
    this.t = doubled(this.t); this.value = doubled(this.value); this.shouter = doubled(this.shouter);
  }
  /** Times and values of one shouter's messages, in trace order (all of them when there is one shouter). */
  of(shouter: number, shouters: number): { t: Float64Array; value: Int32Array } {
    if (shouters === 1) { return { t: this.t.subarray(0, this.length), value: this.value.subarray(0, this.length) }; }
    let k = 0;
    for (let i = 0; i < this.length; i++) { if (this.shouter[i] === shouter) { k++; } }
    const t = new Float64Array(k), value = new Int32Array(k);
    for (let i = 0, j = 0; i < this.length; i++) { if (this.shouter[i] === shouter) { t[j] = this.t[i]; value[j++] = this.value[i]; } }
    return { t, value };
  }
}

/**
 * The metrics of a trace, gathered as it grows: a live run feeds each batch as it arrives (the
 * data still in cache, the work spread over the run), so the end of a run only checks what was
 * gathered. A 100k flood has 400k events; in one pass at the end this took 10–20 ms of the run's
 * tail. `computeMetrics` feeds a whole trace at once.
 */
export class MetricsTally {
  naps = 0;
  putBlocks = 0;
  waitCount = 0;
  waitNs = 0;
  sentinelsPut = 0;
  sentinelsGot = 0;
  problem: string | undefined;
  readonly putMoves: Moves;
  readonly getMoves: Moves;
  /**
   * The exactly-once check as the moves come, for the usual run: each shouter's puts so far are
   * 1..putsInOrder[s] and its gets 1..getsInOrder[s], the gets in time order. Anything else (a
   * gap, a repeat, gets of several hearers arriving out of time order) clears `inOrder`, and the
   * end of the run checks every move (checkShouter), which also says what went wrong. Checked at
   * the end, a 100k flood's moves took 4–7 ms of the run's tail (see LockedPrints on why).
   */
  inOrder = true;
  readonly putsInOrder: Int32Array;
  readonly getsInOrder: Int32Array;
  readonly lastGetAt: Float64Array;

  /** `expectedMoves`: how many puts (and gets) to make room for at once; more grow the arrays. */
  constructor(readonly shouters: number, expectedMoves = 1024) {
    this.putMoves = new Moves(expectedMoves);
    this.getMoves = new Moves(expectedMoves);
    this.putsInOrder = new Int32Array(shouters);
    this.getsInOrder = new Int32Array(shouters);
    this.lastGetAt = new Float64Array(shouters).fill(-Infinity);
  }

  /** The store's events `from` (inclusive) to `to` (exclusive): those appended since the last call. */
  add(store: TraceStore, from: number, to: number): void {
    store.forRange(from, to, (c, start, end) => tallyRange(c, start, end, this));
  }

  /** `shortcut`: trust the check made as the moves came when it found them in order (tests compare both). */
  result(input: InvariantInput, shortcut = true): TraceMetrics { return metricsOf(this, input, shortcut); }
}

/** Events start..end of one chunk into the tally: the run calls this for each batch it reads. */
function tallyRange(c: TraceChunk, start: number, end: number, into: MetricsTally): void {
  for (let i = start; i < end; i++) {
    const kind = c.kind[i];
    if (kind === EventKind.Nap) { into.naps++; continue; }
    if (kind === EventKind.PutBlocked) { into.putBlocks++; continue; }
    if (kind === EventKind.LockWait) { into.waitCount++; into.waitNs += c.dur[i]; continue; }
    if (kind !== EventKind.Put && kind !== EventKind.Get) { continue; }
    const value = c.value[i];
    const aux = c.aux[i];
    const put = kind === EventKind.Put;
    if (value === SENTINEL) { if (put) { into.sentinelsPut++; } else { into.sentinelsGot++; } continue; }
    const t = c.t[i];
    (put ? into.putMoves : into.getMoves).add(t, value, aux);
    if (aux >= into.shouters) {
      into.problem ??= `a ${put ? 'put' : 'get'} names shouter ${aux}, which does not exist`;
    } else if (put) {
      if (value === into.putsInOrder[aux] + 1) { into.putsInOrder[aux] = value; } else { into.inOrder = false; }
    } else if (value === into.getsInOrder[aux] + 1 && t >= into.lastGetAt[aux]) {
      into.getsInOrder[aux] = value;
      into.lastGetAt[aux] = t;
    } else { into.inOrder = false; }
  }
}

/** Shouter `s`'s puts are 1..n in order, and its gets (ordered by time) are each of them once, in order. */
function checkShouter(s: number, n: number, putMoves: Moves, getMoves: Moves, shouters: number): string | undefined {
  const puts = putMoves.of(s, shouters).value;
  for (let i = 0; i < puts.length; i++) {
    if (puts[i] !== i + 1) {
      return puts[i] >= 1 && puts[i] <= n && puts.indexOf(puts[i]) < i
        ? `shouter ${s + 1} put message ${puts[i]} twice`
        : `shouter ${s + 1} put ${puts[i]} where ${i + 1} was due`;
    }
  }
  // Exactly messageCount puts: more is as wrong as fewer (an extra put must not pass as long as it was never got).
  if (puts.length > n) { return `shouter ${s + 1} put ${puts.length} messages where ${n} were due`; }
  // With several hearers, gets of one shouter arrive from several processes: order them by time.
  const mine = getMoves.of(s, shouters);
  const gets = valuesByTime(mine.t, mine.value);
  const seen = new Uint8Array(n + 2);
  for (let i = 0; i < gets.length; i++) {
    const v = gets[i];
    if (v < 1 || v > n) { return `message ${v} was got but never put`; }
    if (seen[v]) { return `message ${v} was got twice`; }
    seen[v] = 1;
    if (v !== i + 1) { return `message ${v} was got where ${i + 1} was due (out of order)`; }
    if (v > puts.length) { return `message ${v} was got before it was put`; }
  }
  return undefined;
}

export function computeMetrics(store: TraceStore, input: InvariantInput): TraceMetrics {
  const tally = new MetricsTally(input.shouters, Math.max(store.countOf(EventKind.Put), store.countOf(EventKind.Get)));
  tally.add(store, 0, store.length);
  return tally.result(input);
}

/** True if checkShouter would pass every shouter: the moves came in order, none too many, none got before put. */
function passedInOrder(tally: MetricsTally, input: InvariantInput): boolean {
  if (!tally.inOrder || tally.shouters !== input.shouters) { return false; }
  for (let s = 0; s < input.shouters; s++) {
    if (tally.putsInOrder[s] > input.messageCount || tally.getsInOrder[s] > tally.putsInOrder[s]) { return false; }
  }
  return true;
}

function metricsOf(tally: MetricsTally, input: InvariantInput, shortcut: boolean): TraceMetrics {
  const { naps, putBlocks, waitCount, waitNs, sentinelsPut, sentinelsGot, putMoves, getMoves } = tally;
  let problem = tally.problem;
  const n = input.messageCount;
  const expected = input.shouters * n;
  const checked = shortcut && !problem && passedInOrder(tally, input);
  for (let s = 0; s < input.shouters && !problem && !checked; s++) { problem = checkShouter(s, n, putMoves, getMoves, input.shouters); }
  const gets = getMoves.length;
  const puts = putMoves.length;
  let ok = false;
  let invariant: string;
  if (problem) {
    invariant = problem;
  } else if (puts < expected) {
    invariant = `only ${puts} of ${expected} messages were put`;
  } else if (gets < expected) {
    invariant = `${expected - gets} of ${expected} messages were never got`;
  } else if (gets > expected) {
    invariant = `${gets} messages were got where ${expected} were put`;
  } else if (sentinelsPut !== input.hearers || sentinelsGot !== input.hearers) {
    invariant = `"done" was put ${sentinelsPut} and got ${sentinelsGot} times; ${input.hearers} expected`;
  } else {
    ok = true;
    invariant = `every message put was got exactly once, in order (${gets} of ${expected})`;
  }
  return {
    naps,
    putBlocks,
    lockWaits: { count: waitCount, totalMs: waitNs / 1e6 },
    puts,
    gets,
    maxQueueDepth: maxQueueDepth(putMoves.t.subarray(0, puts), getMoves.t.subarray(0, gets)),
    exactlyOnceInOrder: ok,
    invariant,
  };
}
