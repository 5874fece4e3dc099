/**
 * The differences that matter between two runs of the same settings and seed (typically the
 * Node and the Python engine): how the lock was passed around, how long messages sat in the
 * queue, and whether the printed order came out the same.
 */
import { EventKind, PrintFlags, SENTINEL } from '../protocol';
import type { TraceStore } from '../trace/traceStore';

export interface LockRuns {
  /** Lines printed by the same process as the line before: the releaser won the lock again. */
  reacquired: number;
  /** The most lines one process printed in a row. */
  longestRun: number;
  /** How many times the lock changed hands between lines. */
  handovers: number;
}

export interface RunShape {
  lockRuns: LockRuns;
  /** Put → get latency in ms, over every message. */
  latencyMs: { mean: number; median: number; max: number };
}

export function lockRunsOf(trace: TraceStore): LockRuns {
  const lines: { t: number; proc: number }[] = [];
  trace.scan((kind, proc, _v, t, _d, aux) => { if (kind === EventKind.Print && !(aux & PrintFlags.NoLock)) { lines.push({ t, proc }); } });
  lines.sort((a, b) => a.t - b.t);
  let reacquired = 0;
  let handovers = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && lines[i].proc === lines[i - 1].proc) { reacquired++; run++; } else { if (i > 0) { handovers++; } run = 1; }
    longestRun = Math.max(longestRun, run);
  }
  return { reacquired, longestRun, handovers };
}

/** For each message, the time from its put to its get, in ns (message order per shouter). */
export function putGetLatenciesNs(trace: TraceStore): number[] {
  const puts = new Map<number, number[]>();
  const gets = new Map<number, number[]>();
  trace.scan((kind, _p, value, t, _d, aux) => {
    if (value === SENTINEL) { return; }
    if (kind === EventKind.Put) { (puts.get(aux) ?? puts.set(aux, []).get(aux)!).push(t); }
    if (kind === EventKind.Get) { (gets.get(aux) ?? gets.set(aux, []).get(aux)!).push(t); }
  });
  const out: number[] = [];
  for (const [shouter, p] of puts) {
    const g = (gets.get(shouter) ?? []).sort((a, b) => a - b);
    p.sort((a, b) => a - b);
    for (let i = 0; i < Math.min(p.length, g.length); i++) { out.push(g[i] - p[i]); }
  }
  return out;
}

export function shapeOf(trace: TraceStore): RunShape {
  const lat = putGetLatenciesNs(trace).sort((a, b) => a - b);
  const ms = (ns: number) => ns / 1e6;
  return {
    lockRuns: lockRunsOf(trace),
    latencyMs: {
      mean: lat.length ? ms(lat.reduce((a, b) => a + b, 0) / lat.length) : 0,
      median: lat.length ? ms(lat[lat.length >> 1]) : 0,
      max: lat.length ? ms(lat[lat.length - 1]) : 0,
    },
  };
}

/** How two printed orders differ: identical, or the first line where they part. */
export function compareOrders(a: readonly string[], b: readonly string[]): { identical: boolean; firstDifference?: number; samePositions: number } {
  let same = 0;
  let first: number | undefined;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) { same++; } else { first ??= i; }
  }
  return { identical: first === undefined, ...(first !== undefined ? { firstDifference: first } : {}), samePositions: same };
}
