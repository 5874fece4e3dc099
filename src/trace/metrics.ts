/**
 * What a finished (or stopped) run's trace says: naps, lock waits, queue depth, and the
 * invariant that every message put was got exactly once, in each shouter's order.
 */
import { EventKind, SENTINEL } from '../protocol/events';
import type { TraceStore } from './traceStore';

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

/** The puts or the gets of messages (not the sentinel), in trace order, in typed arrays. */
class Moves {
  readonly t: Float64Array;
  readonly value: Int32Array;
  readonly shouter: Uint32Array;
  length = 0;
  constructor(max: number) { this.t = new Float64Array(max); this.value = new Int32Array(max); this.shouter = new Uint32Array(max); }
  add(t: number, value: number, shouter: number): void {
    const i = this.length++;
    this.t[i] = t; this.value[i] = value; this.shouter[i] = shouter;
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

export function computeMetrics(store: TraceStore, input: InvariantInput): TraceMetrics {
  let naps = 0;
  let putBlocks = 0;
  let waitCount = 0;
  let waitNs = 0;
  const putMoves = new Moves(store.countOf(EventKind.Put));
  const getMoves = new Moves(store.countOf(EventKind.Get));
  let sentinelsPut = 0;
  let sentinelsGot = 0;
  let problem: string | undefined;

  // Straight over the columns into typed arrays: this runs on the host at the end of every run
  // (400k events in a 100k flood), so no callback and no array growth per event.
  for (const c of store.chunks) {
    for (let i = 0; i < c.length; i++) {
      const kind = c.kind[i];
      if (kind === EventKind.Nap) { naps++; continue; }
      if (kind === EventKind.PutBlocked) { putBlocks++; continue; }
      if (kind === EventKind.LockWait) { waitCount++; waitNs += c.dur[i]; continue; }
      if (kind !== EventKind.Put && kind !== EventKind.Get) { continue; }
      const value = c.value[i];
      const aux = c.aux[i];
      const put = kind === EventKind.Put;
      if (value === SENTINEL) { if (put) { sentinelsPut++; } else { sentinelsGot++; } continue; }
      (put ? putMoves : getMoves).add(c.t[i], value, aux);
      if (aux >= input.shouters) { problem ??= `a ${put ? 'put' : 'get'} names shouter ${aux}, which does not exist`; }
    }
  }

  const n = input.messageCount;
  const expected = input.shouters * n;
  for (let s = 0; s < input.shouters && !problem; s++) {
    const puts = putMoves.of(s, input.shouters).value;
    for (let i = 0; i < puts.length; i++) {
      if (puts[i] !== i + 1) {
        problem = puts[i] >= 1 && puts[i] <= n && puts.indexOf(puts[i]) < i
          ? `shouter ${s + 1} put message ${puts[i]} twice`
          : `shouter ${s + 1} put ${puts[i]} where ${i + 1} was due`;
        break;
      }
    }
    // Exactly messageCount puts: more is as wrong as fewer (an extra put must not pass as long as it was never got).
    if (!problem && puts.length > n) { problem = `shouter ${s + 1} put ${puts.length} messages where ${n} were due`; }
    if (problem) { break; }
    // With several hearers, gets of one shouter arrive from several processes: order them by time.
    const mine = getMoves.of(s, input.shouters);
    const gets = valuesByTime(mine.t, mine.value);
    const seen = new Uint8Array(n + 2);
    for (let i = 0; i < gets.length; i++) {
      const v = gets[i];
      if (v < 1 || v > n) { problem = `message ${v} was got but never put`; break; }
      if (seen[v]) { problem = `message ${v} was got twice`; break; }
      seen[v] = 1;
      if (v !== i + 1) { problem = `message ${v} was got where ${i + 1} was due (out of order)`; break; }
      if (v > puts.length) { problem = `message ${v} was got before it was put`; break; }
    }
  }
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
