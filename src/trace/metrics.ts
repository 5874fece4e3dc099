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
function sortedTimes(times: number[]): ArrayLike<number> {
  for (let i = 1; i < times.length; i++) {
    if (times[i] < times[i - 1]) { return Float64Array.from(times).sort(); }
  }
  return times;
}

/** Values ordered by their times (a stable sort, skipped when the times are in order already). */
function valuesByTime(times: number[], values: number[]): number[] {
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
export function maxQueueDepth(putTimes: number[], getTimes: number[]): number {
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

export function computeMetrics(store: TraceStore, input: InvariantInput): TraceMetrics {
  let naps = 0;
  let putBlocks = 0;
  let waitCount = 0;
  let waitNs = 0;
  const putTimes: number[] = [];
  const getTimes: number[] = [];
  const putsByShouter: number[][] = Array.from({ length: input.shouters }, () => []);
  const getTimesByShouter: number[][] = Array.from({ length: input.shouters }, () => []);
  const getValuesByShouter: number[][] = Array.from({ length: input.shouters }, () => []);
  let sentinelsPut = 0;
  let sentinelsGot = 0;
  let problem: string | undefined;

  store.scan((kind, _proc, value, t, dur, aux) => {
    switch (kind) {
      case EventKind.Nap: naps++; break;
      case EventKind.PutBlocked: putBlocks++; break;
      case EventKind.LockWait: waitCount++; waitNs += dur; break;
      case EventKind.Put:
        if (value === SENTINEL) { sentinelsPut++; break; }
        putTimes.push(t);
        if (aux < input.shouters) { putsByShouter[aux].push(value); } else { problem ??= `a put names shouter ${aux}, which does not exist`; }
        break;
      case EventKind.Get:
        if (value === SENTINEL) { sentinelsGot++; break; }
        getTimes.push(t);
        if (aux < input.shouters) { getTimesByShouter[aux].push(t); getValuesByShouter[aux].push(value); } else { problem ??= `a get names shouter ${aux}, which does not exist`; }
        break;
    }
  });

  const n = input.messageCount;
  const expected = input.shouters * n;
  for (let s = 0; s < input.shouters && !problem; s++) {
    const puts = putsByShouter[s];
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
    const gets = valuesByTime(getTimesByShouter[s], getValuesByShouter[s]);
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
  const gets = getTimes.length;
  const puts = putTimes.length;
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
    maxQueueDepth: maxQueueDepth(putTimes, getTimes),
    exactlyOnceInOrder: ok,
    invariant,
  };
}
