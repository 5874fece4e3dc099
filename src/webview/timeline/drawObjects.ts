/**
 * A traced user program's own queues and locks, a track each (named by creation site): a
 * queue's depth from its sorted put and get times, a lock's holder from its held spans, in the
 * holder's process colour. Hover words for both. No `vscode` import.
 */
import type { TimelineObjectTrack } from '../../protocol/timeline';
import { countUpTo, drawColumnBars } from './columnBars';
import type { Track } from './layout';
import type { RunData } from './model';
import type { Palette } from './palette';
import type { RectBatch } from './rectBatch';
import { formatDuration } from './ticks';
import type { Viewport } from './viewport';

const maxDepths = new WeakMap<TimelineObjectTrack, number>();

/** The deepest a queue got over the whole run (puts before gets at equal times). */
function maxDepth(o: TimelineObjectTrack): number {
  let m = maxDepths.get(o);
  if (m !== undefined) { return m; }
  const puts = o.puts ?? new Float64Array(0);
  const gets = o.gets ?? new Float64Array(0);
  let d = 0;
  m = 0;
  for (let a = 0, b = 0; a < puts.length || b < gets.length;) {
    if (b >= gets.length || (a < puts.length && puts[a] <= gets[b])) { d++; a++; if (d > m) { m = d; } } else { d--; b++; }
  }
  maxDepths.set(o, m);
  return m;
}

export function drawObjectTrack(ctx: CanvasRenderingContext2D, run: RunData, tr: Track, rects: RectBatch, X: (t: number) => number,
  gutter: number, plotW: number, vp: Viewport, pal: Palette): void {
  const o = run.meta.objects?.[tr.obj!];
  if (!o) { return; }
  const nsPerPx = (vp.t1 - vp.t0) / Math.max(1, plotW);
  if (o.kind === 'lock') {
    const held = o.held ?? new Float64Array(0);
    const colorOf = (proc: number) => pal.procs[run.meta.processes.findIndex((p) => p.proc === proc) % pal.procs.length] ?? pal.muted;
    let lastEnd = -Infinity;
    let lastColor = '';
    for (let i = 0; i < held.length; i += 3) {
      const start = held[i], end = held[i + 1];
      if (end < vp.t0) { continue; }
      if (start > vp.t1) { break; }
      const color = colorOf(held[i + 2]);
      const x0 = X(start);
      const x1 = Math.max(x0 + 1, X(end));
      if (x1 <= lastEnd && color === lastColor) { continue; } // within a pixel already drawn
      rects.add(color, x0, tr.y + 3, x1 - x0, tr.h - 6);
      lastEnd = x1;
      lastColor = color;
    }
    return;
  }
  const puts = o.puts ?? new Float64Array(0);
  const gets = o.gets ?? new Float64Array(0);
  const scale = Math.max(1, maxDepth(o));
  const base = tr.y + tr.h - 3;
  const hMax = tr.h - 12;
  drawColumnBars(ctx, pal.depth, gutter, base, hMax, Math.ceil(plotW), (x) => {
    const ta = vp.t0 + x * nsPerPx;
    if (ta > run.end) { return 0; }
    // The deepest in the column: depth at its start plus its puts (an upper bound when many).
    const d0 = countUpTo(puts, ta) - countUpTo(gets, ta);
    return Math.min(scale, d0 + countUpTo(puts, ta + nsPerPx) - countUpTo(puts, ta)) / scale;
  });
  ctx.fillStyle = pal.muted;
  ctx.font = `10px ${pal.font}`;
  ctx.fillText(`queue · max ${scale}`, gutter + 4, tr.y + 8);
}

/** Hover words for a queue's or a lock's track at time t. */
export function objectTrackInfo(run: RunData, obj: number, t: number): string[] {
  const o = run.meta.objects?.[obj];
  if (!o) { return []; }
  if (o.kind === 'queue') {
    const puts = o.puts ?? new Float64Array(0);
    const gets = o.gets ?? new Float64Array(0);
    return [`queue ${o.label}: depth ${countUpTo(puts, t) - countUpTo(gets, t)}`, `${puts.length} puts, ${gets.length} gets`, `at ${formatDuration(t)}`];
  }
  const held = o.held ?? new Float64Array(0);
  for (let i = 0; i < held.length && held[i] <= t; i += 3) {
    if (held[i + 1] >= t) {
      const name = run.meta.processes.find((p) => p.proc === held[i + 2])?.name ?? `process ${held[i + 2]}`;
      return [`lock ${o.label} held by ${name}`, `from ${formatDuration(held[i])} for ${formatDuration(held[i + 1] - held[i])}`];
    }
  }
  return [`lock ${o.label}: free`, `at ${formatDuration(t)}`];
}
