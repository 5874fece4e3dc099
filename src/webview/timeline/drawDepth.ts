/**
 * Draws the queue-depth track: per pixel column the deepest the queue got (exact when few puts
 * and gets fall in the column, bounded when many), scaled to the run's maximum.
 */
import { countUpTo, drawColumnBars } from './columnBars';
import type { Track } from './layout';
import type { RunData } from './model';
import type { Palette } from './palette';
import type { Viewport } from './viewport';

const depthCols = { a: new Float32Array(0), b: new Float32Array(0) };

export function drawDepth(ctx: CanvasRenderingContext2D, run: RunData, tr: Track, gutter: number, plotW: number, vp: Viewport, nsPerPx: number, pal: Palette): void {
  const w = Math.ceil(plotW);
  if (depthCols.a.length < w) { depthCols.a = new Float32Array(w); depthCols.b = new Float32Array(w); }
  const maxs = depthCols.a;
  const putT = run.putT.a;
  const getT = run.getT.a;
  const np = run.putT.n;
  const ng = run.getT.n;
  let scale = Math.max(1, run.verdict?.maxQueueDepth ?? 0);
  let pi = countUpTo(putT, vp.t0, np);
  let gi = countUpTo(getT, vp.t0, ng);
  const end = Math.min(vp.t1, run.end);
  let cols = 0;
  for (let x = 0; x < w; x++) {
    const tb = vp.t0 + (x + 1) * nsPerPx;
    const ta = tb - nsPerPx;
    if (ta > end) { break; }
    const d0 = pi - gi;
    const pj = countUpTo(putT, tb, np);
    const gj = countUpTo(getT, tb, ng);
    let max = d0;
    if (pj - pi + gj - gi <= 64) {
      // Exact: merge this column's changes.
      let a = pi;
      let b = gi;
      let d = d0;
      while (a < pj || b < gj) {
        if (b >= gj || (a < pj && putT[a] <= getT[b])) { d++; a++; if (d > max) { max = d; } } else { d--; b++; }
      }
    } else {
      max = Math.max(d0, pj - gj, d0 + (pj - pi) - Math.floor((gj - gi) / 2));
    }
    maxs[x] = Math.max(0, max);
    if (max > scale) { scale = max; }
    pi = pj;
    gi = gj;
    cols = x + 1;
  }
  const base = tr.y + tr.h - 3;
  const hMax = tr.h - 10;
  drawColumnBars(ctx, pal.depth, gutter, base, hMax, cols, (x) => maxs[x] / scale);
  ctx.fillStyle = pal.muted;
  ctx.font = `10px ${pal.font}`;
  ctx.fillText(`max ${scale}`, gutter + 4, tr.y + 8);
}
