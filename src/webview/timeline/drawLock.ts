/**
 * Draws the lock-holder track (who holds the print lock, in that process's colour: the locked
 * prints, since every policy takes the lock around one print) and the lock-off overlap bands.
 */
import { EventKind } from '../../protocol/events';
import type { Track } from './layout';
import { lowerBound } from './lod';
import type { RunData } from './model';
import type { Palette } from './palette';
import type { RectBatch } from './rectBatch';
import type { Viewport } from './viewport';

/** Calls fn(x, w) for each lock-off overlap band of the run inside the view (at least 2 px wide). */
export function forBands(run: RunData, vp: Viewport, X: (t: number) => number, fn: (x: number, w: number) => void): void {
  const { bands } = run.lockOff.result(run.live ? 400 : 0);
  let lastX = -Infinity;
  for (let i = 0; i < bands.length; i += 2) {
    if (bands[i + 1] < vp.t0 || bands[i] > vp.t1) { continue; }
    const x0 = X(bands[i]);
    const w = Math.max(2, X(bands[i + 1]) - x0);
    if (x0 + w <= lastX) { continue; } // many bands in one pixel: one rectangle
    fn(x0, w);
    lastX = x0 + w;
  }
}

export function drawLock(run: RunData, tr: Track, rects: RectBatch, X: (t: number) => number, nsPerPx: number, vp: Viewport, plotW: number, pal: Palette): void {
  const y = tr.y + 3;
  const h = tr.h - 6;
  const colorOf = (proc: number) => pal.procs[run.meta.processes.findIndex((p) => p.proc === proc) % pal.procs.length] ?? pal.muted;
  // Lock off: the overlaps in the warning colour, over whatever holds the turn to write.
  if (run.lockOff.any) {
    forBands(run, vp, X, (x, w) => rects.add(pal.warning, x, tr.y + 1, w, tr.h - 2));
  }
  // The lock is held exactly while a line is printed, in every policy (the kernel token and
  // the scheduler's turns alike are taken around one print): the holder track is the prints.
  const drawn: number[] = [];
  drawnHolderSpans.set(run.runId, drawn);
  if (run.meta.config.useLock !== false) { drawHolderFromPrints(run, y, h, rects, X, nsPerPx, vp, colorOf, drawn); }
}

/** What the lock-holder track drew last, per run: [proc, from, to] flat, in ns (the page reports it; tests compare it with the trace). */
export const drawnHolderSpans = new Map<string, number[]>();
const MAX_REPORTED_SPANS = 4000;

function drawHolderFromPrints(
  run: RunData, y: number, h: number, rects: RectBatch, X: (t: number) => number, nsPerPx: number, vp: Viewport, colorOf: (proc: number) => string,
  drawn: number[],
): void {
  const { t, dur, kind } = run;
  for (const p of run.meta.processes) {
    const lane = run.lanes.get(p.proc);
    if (!lane || p.role === 'queue') { continue; }
    const idx = lane.idx.a;
    const a = Math.max(0, lowerBound(t, idx, 0, lane.idx.n, vp.t0) - 4);
    const b = lowerBound(t, idx, a, lane.idx.n, vp.t1);
    // Dense: at most a few thousand spans per lane per frame (every k-th; each at least a pixel).
    const step = Math.max(1, Math.floor((b - a) / 4000));
    let lastX = -Infinity;
    for (let q = a; q < b; q += step) {
      const e = idx[q];
      if (kind[e] !== EventKind.Print || t[e] + dur[e] < vp.t0) { continue; }
      const x0 = X(t[e]);
      const w = Math.max(1, dur[e] / nsPerPx);
      if (x0 + w <= lastX) { continue; }
      rects.add(colorOf(p.proc), x0, y, w, h);
      if (drawn.length < 3 * MAX_REPORTED_SPANS) { drawn.push(p.proc, t[e], t[e] + dur[e]); }
      lastX = x0 + w;
    }
  }
}
