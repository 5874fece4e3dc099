/**
 * Draws the lock-holder track (who holds the print lock, in that process's colour, from the
 * scheduler's grants or, without grants, from the locked prints) and the lock-off overlap bands.
 */
import { EventKind } from '../../protocol';
import type { Track } from './layout';
import { lowerBound, walkColumns } from './lod';
import { HOST_LANE, type RunData } from './model';
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
  const host = run.lanes.get(HOST_LANE);
  if (!host || run.kindCounts[EventKind.Grant] === 0) {
    // No grants recorded (the Python engine's lock is a real multiprocessing.Lock): a locked
    // print is the lock held, so its process holds the lock for that long.
    if (run.meta.config.useLock !== false) { drawHolderFromPrints(run, y, h, rects, X, nsPerPx, vp, colorOf); }
    return;
  }
  const { t, kind, aux } = run;
  const idx = host.idx.a;
  const n = host.idx.n;
  const nextGrantT = (p: number) => {
    for (let r = p + 1; r < n && r < p + 8; r++) { if (kind[idx[r]] === EventKind.Grant) { return t[idx[r]]; } }
    return p + 8 < n ? t[idx[Math.min(n - 1, p + 8)]] : run.end;
  };
  const segment = (p: number, from: number) => {
    const e = idx[p];
    if (kind[e] !== EventKind.Grant) { return; }
    const to = Math.min(nextGrantT(p), vp.t1 + nsPerPx);
    const x0 = X(Math.max(from, t[e]));
    rects.add(colorOf(aux[e]), x0, y, Math.max(1, X(to) - x0), h);
  };
  const p0 = lowerBound(t, idx, 0, n, vp.t0);
  for (let p = p0 - 1; p >= 0 && p >= p0 - 8; p--) { if (kind[idx[p]] === EventKind.Grant) { segment(p, vp.t0 - nsPerPx); break; } }
  const counts = new Map<number, number>();
  walkColumns(t, idx, n, vp.t0, nsPerPx, plotW, {
    single: (p) => segment(p, -Infinity),
    bin: (p, q, col) => {
      counts.clear();
      const stepBy = Math.max(1, Math.floor((q - p) / 32));
      let total = 0;
      let last = -1;
      for (let r = p; r < q; r += stepBy) {
        const e = idx[r];
        if (kind[e] !== EventKind.Grant) { continue; }
        counts.set(aux[e], (counts.get(aux[e]) ?? 0) + 1);
        total++;
      }
      for (let r = q - 1; r >= p; r--) { if (kind[idx[r]] === EventKind.Grant) { last = r; break; } }
      const x = X(vp.t0 + col * nsPerPx);
      let yy = y;
      for (const [proc, c] of counts) {
        const hh = (c / total) * h;
        rects.add(colorOf(proc), x, yy, 1, Math.max(1, hh));
        yy += hh;
      }
      if (last >= 0) { segment(last, vp.t0 + (col + 1) * nsPerPx); }
    },
  });
}

function drawHolderFromPrints(
  run: RunData, y: number, h: number, rects: RectBatch, X: (t: number) => number, nsPerPx: number, vp: Viewport, colorOf: (proc: number) => string,
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
      lastX = x0 + w;
    }
  }
}
