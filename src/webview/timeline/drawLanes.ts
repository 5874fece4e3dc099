/**
 * Draws one process's lane: its spans (lock wait, print, nap, get wait, put blocked) on the bar
 * row and its puts and gets on the marks row, one rectangle per event when sparse, stacked
 * per-pixel-column shares of each kind when dense (lod.ts). Collects labels for wide spans.
 */
import { EventKind } from '../../protocol/events';
import { laneRows, type Track } from './layout';
import { KIND_GROUP, SPAN_GROUPS, SUM_GROUPS, lowerBound, walkColumns } from './lod';
import type { Lane, RunData } from './model';
import type { Palette } from './palette';
import type { RectBatch } from './rectBatch';
import type { DrawStats } from './render';
import type { Viewport } from './viewport';

/** A span's text, drawn over it afterwards if it fits. */
export interface SpanLabel { x: number; y: number; w: number; text: string; fill: string }

/** Span groups in stacking order (bottom first) with their kinds. */
const GROUP_KIND = [EventKind.LockWait, EventKind.Print, EventKind.Nap, EventKind.GetWait, EventKind.PutBlocked];
const sums = new Float64Array(SUM_GROUPS);

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

export function drawLane(
  run: RunData, lane: Lane, tr: Track, rects: RectBatch, labels: SpanLabel[],
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
