/**
 * How the page's x pixels map to time: the lane-label gutter on the left, the plot's width, the
 * viewport, and each slot's shift (compare mode lines runs up on their first event or start).
 * The pointer (pointer.ts), navigation (navigate.ts) and drawing (plot.ts) all ask here; in the
 * event-order mode all of it is about the runs as drawn (orderView.ts).
 */
import { drawnRuns } from './orderView';
import type { TimelineState } from './state';
import { alignShifts, tOf } from './viewport';

/** Width of the lane-label gutter, CSS pixels. */
export const GUTTER = 128;

export function plotWidth(s: TimelineState): number { return Math.max(1, s.cssW - GUTTER); }

/** Per slot: the run's time at 0 on the shared axis (compare mode aligns runs on their first event). */
export function shifts(s: TimelineState): number[] {
  return alignShifts(drawnRuns(s).map((r) => (r ? (Number.isFinite(r.start) ? r.start : 0) : undefined)), s.align);
}

/** The time (on the shared axis) at page x (CSS pixels from the plot's left edge, gutter included). */
export function timeAtX(s: TimelineState, x: number): number {
  return tOf(s.vp, plotWidth(s), x - GUTTER);
}

/** The latest end of the runs shown, on the shared axis. */
export function extentEnd(s: TimelineState): number {
  const sh = shifts(s);
  return Math.max(0, ...drawnRuns(s).map((r, i) => (r ? r.end - sh[i] : 0)));
}

/** The earliest start of the runs shown, on the shared axis. */
export function extentStart(s: TimelineState): number {
  const sh = shifts(s);
  const start = Math.min(...drawnRuns(s).map((r, i) => (r ? r.start - sh[i] : Infinity)));
  return Number.isFinite(start) ? start : 0;
}
