/**
 * Draws the plot on one canvas from the runs' columns: axis, lanes (spans and marks, binned
 * per pixel column when dense), arrows from each put to its get, the lock-holder and queue-depth
 * tracks, selection and hover. No DOM node per event; labels only where they fit.
 */
import { EventKind } from '../../protocol';
import { RectBatch } from './batch';
import { laneRows, type Track } from './layout';
import { KIND_GROUP, SPAN_GROUPS, SUM_GROUPS, lowerBound, walkColumns } from './lod';
import { type Lane, type RunData } from './model';
import type { Palette } from './theme';
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
}

export interface DrawStats { columns: number; singles: number; bins: number; arrows: number }

/** Span groups in stacking order (bottom first) with their kinds. */
const GROUP_KIND = [EventKind.LockWait, EventKind.Print, EventKind.Nap, EventKind.GetWait, EventKind.PutBlocked];
const sums = new Float64Array(SUM_GROUPS);
const MAX_ARROWS = 4000;

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
  const { step, ticks } = timeTicks(vp.t0, vp.t1, plotW);
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

  const labels: { x: number; y: number; w: number; text: string; fill: string }[] = [];
  s.tracks.forEach((tr) => {
    const run = s.runs[tr.slot];
    if (!run) { return; }
    const vpS = vpOf(tr.slot);
    const XS = XOf(tr.slot);
    if (tr.kind === 'lane') {
      const lane = run.lanes.get(tr.proc);
      if (lane) { drawLane(run, lane, tr, rects, labels, XS, nsPerPx, vpS, plotW, pal, stats); }
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

function isSpan(k: number): boolean { return KIND_GROUP[k] >= 0 && KIND_GROUP[k] < SPAN_GROUPS; }

function labelOf(run: RunData, e: number): string {
  const k = run.kind[e];
  if (k === EventKind.Print) {
    const line = run.lineOfEvent(e);
    return line >= 0 ? run.lines[line] : `${run.roleOf(run.proc[e]) === 'shouter' ? 'Shout' : 'Hear'}: ${run.value[e]}`;
  }
  if (k === EventKind.Nap) { return 'nap'; }
  if (k === EventKind.LockWait) { return 'lock wait'; }
  if (k === EventKind.GetWait) { return 'get wait'; }
  if (k === EventKind.PutBlocked) { return 'put blocked'; }
  return '';
}

function drawLane(
  run: RunData, lane: Lane, tr: Track, rects: RectBatch, labels: { x: number; y: number; w: number; text: string; fill: string }[],
  X: (t: number) => number, nsPerPx: number, vp: Viewport, plotW: number, pal: Palette, stats: DrawStats,
): void {
  const { t, dur, kind, value } = run;
  const idx = lane.idx.a;
  const n = lane.idx.n;
  const { barY, barH, markY, markH } = laneRows(tr);
  const colors = pal.kind;
  const viewEnd = vp.t1;

  const drawEvent = (e: number, clipFrom = -Infinity) => {
    const k = kind[e];
    if (isSpan(k)) {
      const start = Math.max(t[e], clipFrom);
      const x0 = X(start);
      const x1 = X(Math.min(t[e] + dur[e], viewEnd + nsPerPx));
      const w = Math.max(1, x1 - x0);
      rects.add(colors[k], x0, barY, w, barH);
      if (w > 30) { labels.push({ x: x0, y: barY + barH / 2 + 1, w, text: labelOf(run, e), fill: colors[k] }); }
    } else if (k === EventKind.Put || k === EventKind.Get) {
      const x = X(t[e]);
      rects.add(colors[k], x - 1.5, markY, 3, markH);
      if (value[e] < 0) { rects.add(colors[k], x - 4, markY + markH - 3, 8, 3); } // the sentinel
    } else if (k === EventKind.Start || k === EventKind.Exit) {
      const x = X(t[e]);
      rects.add(colors[k], x - 1, barY - 4, 2, barH + 8);
    }
  };

  // Spans that started before the view and still cover its left edge (spans of one process do not overlap).
  const p0 = lowerBound(t, idx, 0, n, vp.t0);
  for (let p = p0 - 1; p >= 0 && p >= p0 - 4; p--) {
    const e = idx[p];
    if (isSpan(kind[e]) && t[e] + dur[e] > vp.t0) { drawEvent(e, vp.t0 - nsPerPx); break; }
  }

  walkColumns(t, idx, n, vp.t0, nsPerPx, plotW, {
    single: (p) => { stats.singles++; drawEvent(idx[p]); },
    bin: (p, q, col) => {
      stats.bins++;
      sums.fill(0);
      lane.sums.range(p, q, idx, kind, dur, sums);
      const colStart = vp.t0 + col * nsPerPx;
      const colEnd = colStart + nsPerPx;
      // The last span may run on past this column: count only its part inside, draw the rest.
      let overflow = -1;
      for (let r = q - 1; r >= p && r >= q - 3; r--) {
        const e = idx[r];
        if (isSpan(kind[e])) {
          if (t[e] + dur[e] > colEnd) { overflow = e; sums[KIND_GROUP[kind[e]]] -= t[e] + dur[e] - colEnd; }
          break;
        }
      }
      const x = X(colStart);
      let y = barY + barH;
      for (let g = 0; g < SPAN_GROUPS; g++) {
        const frac = sums[g] / nsPerPx;
        if (frac <= 0) { continue; }
        const h = Math.min(y - barY, Math.max(1, Math.round(frac * barH)));
        if (h <= 0) { break; }
        y -= h;
        rects.add(colors[GROUP_KIND[g]], x, y, 1, h);
      }
      if (sums[5] > 0) { rects.add(colors[EventKind.Put], x, markY, 1, markH); }
      if (sums[6] > 0) { rects.add(colors[EventKind.Get], x, markY, 1, markH); }
      if (overflow >= 0) { drawEvent(overflow, colEnd); }
    },
  });
  stats.columns++;
}

/** Calls fn(x, w) for each lock-off overlap band of the run inside the view (at least 2 px wide). */
function forBands(run: RunData, vp: Viewport, X: (t: number) => number, fn: (x: number, w: number) => void): void {
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

function drawLock(run: RunData, tr: Track, rects: RectBatch, X: (t: number) => number, nsPerPx: number, vp: Viewport, plotW: number, pal: Palette): void {
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

const depthCols = { a: new Float32Array(0), b: new Float32Array(0) };

function drawDepth(ctx: CanvasRenderingContext2D, run: RunData, tr: Track, gutter: number, plotW: number, vp: Viewport, nsPerPx: number, pal: Palette): void {
  const w = Math.ceil(plotW);
  if (depthCols.a.length < w) { depthCols.a = new Float32Array(w); depthCols.b = new Float32Array(w); }
  const maxs = depthCols.a;
  const putT = run.putT.a;
  const getT = run.getT.a;
  const np = run.putT.n;
  const ng = run.getT.n;
  let scale = Math.max(1, run.verdict?.maxQueueDepth ?? 0);
  let pi = upper(putT, np, vp.t0);
  let gi = upper(getT, ng, vp.t0);
  const end = Math.min(vp.t1, run.end);
  let cols = 0;
  for (let x = 0; x < w; x++) {
    const tb = vp.t0 + (x + 1) * nsPerPx;
    const ta = tb - nsPerPx;
    if (ta > end) { break; }
    const d0 = pi - gi;
    const pj = upper(putT, np, tb);
    const gj = upper(getT, ng, tb);
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
  ctx.fillStyle = pal.depth;
  ctx.globalAlpha = 0.55;
  ctx.beginPath();
  for (let x = 0; x < cols; x++) {
    const v = maxs[x];
    if (v <= 0) { continue; }
    const h = Math.max(1, (v / scale) * hMax);
    ctx.rect(gutter + x, base - h, 1, h);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillStyle = pal.muted;
  ctx.font = `10px ${pal.font}`;
  ctx.fillText(`max ${scale}`, gutter + 4, tr.y + 8);
}

function upper(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] <= x) { lo = mid + 1; } else { hi = mid; } }
  return lo;
}

function drawArrows(ctx: CanvasRenderingContext2D, run: RunData, slot: number, s: Scene, vp: Viewport, X: (t: number) => number): number {
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
