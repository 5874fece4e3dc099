/**
 * The differences that matter between two runs of the same settings and seed (typically the
 * Node and the Python engine): how the lock was passed around, how long messages sat in the
 * queue, and whether the printed order came out the same.
 */
import { EventKind, PrintFlags } from '../protocol/events';
import type { TraceStore } from '../trace/traceStore';
import { describe, putGetLatencies } from './sweepStats';

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
  trace.scan((kind, proc, _v, t, _d, _aux, flags) => { if (kind === EventKind.Print && !(flags & PrintFlags.NoLock)) { lines.push({ t, proc }); } });
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

export function shapeOf(trace: TraceStore): RunShape {
  const lat = describe(Array.from(putGetLatencies(trace)));
  return {
    lockRuns: lockRunsOf(trace),
    latencyMs: { mean: lat.n ? lat.mean : 0, median: lat.n ? lat.median : 0, max: lat.n ? lat.max : 0 },
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
