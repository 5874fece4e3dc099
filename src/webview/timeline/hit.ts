/** What is under the pointer: the event of a lane nearest a time, within a few pixels. */
import { EventKind } from '../../protocol/events';
import { KIND_GROUP, SPAN_GROUPS, lowerBound } from './lod';
import type { Lane, RunData } from './model';

export type Row = 'bar' | 'marks';

/**
 * The event of `lane` at time `t` (ns), within `tol` ns: on the 'bar' row a span containing t
 * (or a start/exit mark), on the 'marks' row the nearest put/get. -1 if none.
 */
export function hitLane(run: RunData, lane: Lane, t: number, tol: number, row: Row): number {
  const { t: ts, dur, kind } = run;
  const idx = lane.idx.a;
  const n = lane.idx.n;
  let best = -1;
  let bestDist = Infinity;
  const hiPos = lowerBound(ts, idx, 0, n, t + tol);
  for (let p = hiPos - 1, seen = 0; p >= 0 && seen < 256; p--, seen++) {
    const e = idx[p];
    const k = kind[e];
    const span = KIND_GROUP[k] >= 0 && KIND_GROUP[k] < SPAN_GROUPS;
    const mark = k === EventKind.Put || k === EventKind.Get;
    if (row === 'bar' ? mark : !mark) {
      if (ts[e] < t - tol && row === 'marks') { break; }
      continue;
    }
    let d: number;
    if (span) {
      const end = ts[e] + dur[e];
      d = t < ts[e] ? ts[e] - t : t > end ? t - end : 0;
    } else {
      d = Math.abs(ts[e] - t);
    }
    if (d <= tol && d < bestDist) { best = e; bestDist = d; if (d === 0) { break; } }
    // Spans of one process do not overlap: once we are left of t - tol by a whole span, stop.
    if (ts[e] + (span ? dur[e] : 0) < t - tol) { break; }
  }
  return best;
}
