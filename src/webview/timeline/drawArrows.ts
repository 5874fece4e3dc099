/**
 * Draws an arrow from each put to the get that took its message (a straight line when dense),
 * the selected story's arrows in the focus colour. Skipped when the view holds too many.
 */
import { EventKind } from '../../protocol/events';
import { laneRows } from './layout';
import { lowerBound } from './lod';
import type { Lane, RunData } from './model';
import type { Scene } from './render';
import type { Viewport } from './viewport';

const MAX_ARROWS = 4000;

export function drawArrows(ctx: CanvasRenderingContext2D, run: RunData, slot: number, s: Scene, vp: Viewport, X: (t: number) => number): number {
  const { t, kind, value, aux, proc } = run;
  const laneTrack = (p: number) => s.tracks.find((tr) => tr.kind === 'lane' && tr.slot === slot && tr.proc === p);
  const selected = new Set(s.selection?.slot === slot ? s.selection.events : []);
  const pairs: number[] = [];
  const visit = (lane: Lane, kindWanted: EventKind) => {
    const idx = lane.idx.a;
    const a = lowerBound(t, idx, 0, lane.idx.n, vp.t0);
    const b = lowerBound(t, idx, a, lane.idx.n, vp.t1);
    if (b - a > MAX_ARROWS * 4) { return false; }
    for (let p = a; p < b && pairs.length < MAX_ARROWS * 2; p++) {
      const e = idx[p];
      if (kind[e] !== kindWanted || value[e] < 0) { continue; }
      const other = kindWanted === EventKind.Put ? run.getBy[aux[e]]?.get(value[e]) ?? -1 : run.putBy[aux[e]]?.get(value[e]) ?? -1;
      if (other < 0) { continue; }
      // Each pair once: from the put's side, or from the get's side when the put is left of the view.
      if (kindWanted === EventKind.Get && t[other] >= vp.t0) { continue; }
      if (kindWanted === EventKind.Put) { pairs.push(e, other); } else { pairs.push(other, e); }
    }
    return true;
  };
  for (const p of run.meta.processes) {
    const lane = run.lanes.get(p.proc);
    if (!lane) { continue; }
    if (p.role === 'shouter' && !visit(lane, EventKind.Put)) { return 0; }
    if (p.role === 'hearer' && !visit(lane, EventKind.Get)) { return 0; }
  }
  if (pairs.length === 0) { return 0; }
  const dense = pairs.length / 2 > s.width / 6;
  const path = (sel: boolean) => {
    ctx.beginPath();
    for (let i = 0; i < pairs.length; i += 2) {
      const put = pairs[i];
      const get = pairs[i + 1];
      if ((selected.has(put) || selected.has(get)) !== sel) { continue; }
      const ta = laneTrack(proc[put]);
      const tb = laneTrack(proc[get]);
      if (!ta || !tb) { continue; }
      const ra = laneRows(ta);
      const rb = laneRows(tb);
      const x0 = X(t[put]);
      const y0 = ra.markY + (tb.y > ta.y ? ra.markH / 2 : 0);
      const x1 = X(t[get]);
      const y1 = rb.markY + (tb.y > ta.y ? 0 : rb.markH / 2);
      ctx.moveTo(x0, y0);
      if (dense) { ctx.lineTo(x1, y1); continue; }
      const my = (y0 + y1) / 2;
      ctx.bezierCurveTo(x0, my, x1, my, x1, y1);
      // Arrow head.
      const dir = y1 > y0 ? -1 : 1;
      ctx.moveTo(x1 - 3, y1 + dir * 5);
      ctx.lineTo(x1, y1);
      ctx.lineTo(x1 + 3, y1 + dir * 5);
    }
  };
  ctx.strokeStyle = s.palette.arrow;
  ctx.globalAlpha = dense ? 0.2 : 0.45;
  ctx.lineWidth = 1;
  path(false);
  ctx.stroke();
  ctx.globalAlpha = 1;
  if (selected.size > 0) {
    ctx.strokeStyle = s.palette.focus;
    ctx.lineWidth = 2;
    path(true);
    ctx.stroke();
  }
  return pairs.length / 2;
}
