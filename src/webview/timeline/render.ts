/**
 * Draws the plot on one canvas from the runs' columns: axis and grid, then per track the lanes
 * (drawLanes.ts), lock holder (drawLock.ts) and queue depth (drawDepth.ts), the arrows from
 * each put to its get (drawArrows.ts), labels where they fit, selection and hover. No DOM node
 * per event.
 */
import { EventKind } from '../../protocol/events';
import { drawArrows } from './drawArrows';
import { drawDepth } from './drawDepth';
import { drawObjectTrack } from './drawObjects';
import { drawLane, type SpanLabel } from './drawLanes';
import { drawLock, forBands } from './drawLock';
import { laneRows, type Track } from './layout';
import type { RunData } from './model';
import type { Palette } from './palette';
import { RectBatch } from './rectBatch';
import { formatTick, timeTicks } from './ticks';
import type { Viewport } from './viewport';

export interface Scene {
  /** CSS pixels. */
  width: number;
  height: number;
  /** Left gutter (labels live in the DOM over it). */
  gutter: number;
  vp: Viewport;
  runs: (RunData | undefined)[];
  tracks: readonly Track[];
  selection: { slot: number; events: readonly number[]; primary: number } | undefined;
  hover: { slot: number; e: number } | undefined;
  palette: Palette;
  /** Per slot, the run's time drawn at 0 on the shared axis (compare alignment); default 0. */
  shift?: readonly number[];
  /** Time ticks and grid (off in the event-order mode, where x is not time: drawLearn.ts marks the gaps). */
  ticks?: boolean;
}

export interface DrawStats { columns: number; singles: number; bins: number; arrows: number }


export function draw(ctx: CanvasRenderingContext2D, s: Scene): DrawStats {
  const { width, height, gutter, vp, palette: pal } = s;
  const plotW = Math.max(1, width - gutter);
  const nsPerPx = (vp.t1 - vp.t0) / plotW;
  const X = (t: number) => gutter + (t - vp.t0) / nsPerPx;
  const stats: DrawStats = { columns: 0, singles: 0, bins: 0, arrows: 0 };
  const rects = new RectBatch();

  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, height);

  // Lane stripes and grid.
  for (const tr of s.tracks) {
    if (tr.kind === 'lane' || tr.kind === 'depth' || tr.kind === 'lock') {
      rects.add(pal.laneStripe, gutter, tr.y, plotW, tr.h - 2);
    }
  }
  // Each lane's colour (its colour in the lock-holder track) as a strip at the gutter's edge.
  for (const tr of s.tracks) {
    const run = s.runs[tr.slot];
    if (tr.kind !== 'lane' || !run) { continue; }
    const i = run.meta.processes.findIndex((p) => p.proc === tr.proc);
    if (i >= 0) { rects.add(pal.procs[i % pal.procs.length], 2, laneRows(tr).barY, 4, laneRows(tr).barH); }
  }
  rects.flush(ctx);
  const { step, ticks } = s.ticks === false ? { step: 1, ticks: [] } : timeTicks(vp.t0, vp.t1, plotW);
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.globalAlpha = 0.6;
  ctx.beginPath();
  for (const t of ticks) { const x = Math.round(X(t)) + 0.5; ctx.moveTo(x, 20); ctx.lineTo(x, height); }
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.font = `11px ${pal.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = pal.muted;
  for (const t of ticks) {
    const x = X(t);
    if (x < gutter - 1) { continue; }
    ctx.fillText(formatTick(t, step), x + 3, 12);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(gutter, 0, plotW, height);
  ctx.clip();

  // Each run in its own clock, shifted so that runs line up (compare alignment).
  const shiftOf = (slot: number) => s.shift?.[slot] ?? 0;
  const vpOf = (slot: number): Viewport => ({ t0: vp.t0 + shiftOf(slot), t1: vp.t1 + shiftOf(slot) });
  const XOf = (slot: number) => { const sh = shiftOf(slot); return sh === 0 ? X : (t: number) => X(t - sh); };

  // Lock off: where lines of different processes overlap, a faint band behind the run's lanes.
  s.runs.forEach((run, slot) => {
    if (!run || !run.lockOff.any) { return; }
    const lanes = s.tracks.filter((tr) => tr.slot === slot && (tr.kind === 'lane' || tr.kind === 'lock'));
    if (lanes.length === 0) { return; }
    const y0 = Math.min(...lanes.map((tr) => tr.y));
    const y1 = Math.max(...lanes.map((tr) => tr.y + tr.h));
    forBands(run, vpOf(slot), XOf(slot), (x, w) => rects.add(pal.warning, x, y0, w, y1 - y0));
  });
  rects.flush(ctx, 0.13);

  const labels: SpanLabel[] = [];
  s.tracks.forEach((tr) => {
    const run = s.runs[tr.slot];
    if (!run) { return; }
    const vpS = vpOf(tr.slot);
    const XS = XOf(tr.slot);
    if (tr.kind === 'lane') {
      const lane = run.lanes.get(tr.proc);
      if (lane) { drawLane(run, lane, tr, rects, labels, XS, nsPerPx, vpS, plotW, pal, stats); }
    } else if (tr.obj !== undefined) {
      drawObjectTrack(ctx, run, tr, rects, XS, gutter, plotW, vpS, pal);
    } else if (tr.kind === 'lock') {
      drawLock(run, tr, rects, XS, nsPerPx, vpS, plotW, pal);
    } else if (tr.kind === 'depth') {
      drawDepth(ctx, run, tr, gutter, plotW, vpS, nsPerPx, pal);
    }
  });
  rects.flush(ctx);

  // Labels where they fit.
  ctx.font = `11px ${pal.font}`;
  for (const l of labels) {
    if (l.w < l.text.length * 6.5 + 6) { continue; }
    const x = Math.max(l.x, gutter) + 3;
    ctx.fillStyle = textOn(l.fill, pal);
    ctx.fillText(l.text, x, l.y);
  }

  // Arrows put -> get.
  s.runs.forEach((run, slot) => { if (run) { stats.arrows += drawArrows(ctx, run, slot, s, vpOf(slot), XOf(slot)); } });

  // Selection and hover outlines.
  const outline = (slot: number, e: number, color: string, lw: number) => {
    const run = s.runs[slot];
    const tr = s.tracks.find((t) => t.kind === 'lane' && t.slot === slot && t.proc === run?.proc[e]);
    if (!run || !tr || e >= run.length) { return; }
    const rows = laneRows(tr);
    const k = run.kind[e];
    const x0 = XOf(slot)(run.t[e]);
    const isMark = k === EventKind.Put || k === EventKind.Get;
    const w = Math.max(run.dur[e] / nsPerPx, isMark ? 0 : 2);
    ctx.strokeStyle = color;
    ctx.lineWidth = lw;
    if (isMark) { ctx.strokeRect(x0 - 4, rows.markY - 2, 8, rows.markH + 4); } else { ctx.strokeRect(x0 - 1, rows.barY - 2, w + 2, rows.barH + 4); }
  };
  if (s.selection) { for (const e of s.selection.events) { outline(s.selection.slot, e, pal.focus, e === s.selection.primary ? 2 : 1); } }
  if (s.hover) { outline(s.hover.slot, s.hover.e, pal.foreground, 1); }
  ctx.restore();

  // Axis baseline.
  ctx.fillStyle = pal.grid;
  ctx.fillRect(gutter, 24, plotW, 1);
  return stats;
}

const textColors = new Map<string, string>();
/** Black or white, whichever reads on `fill` (a #rgb/#rrggbb colour; else the theme's foreground). */
function textOn(fill: string, pal: Palette): string {
  let c = textColors.get(fill);
  if (c) { return c; }
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(fill.trim());
  if (!m) { return pal.foreground; }
  let hex = m[1];
  if (hex.length === 3) { hex = [...hex].map((ch) => ch + ch).join(''); }
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  c = lum > 0.22 ? '#000000' : '#ffffff';
  textColors.set(fill, c);
  return c;
}
