/**
 * Draws the Learn overlays over the plot: in the event-order mode the collapsed idle gaps (a
 * hatched band saying how long they really were), the span of the narration sentence picked,
 * and the playhead with each lane's state and the queue's items at that instant. Also measures
 * what it drew for the page's report (gap and step widths in pixels).
 */
import type { TimelineLearnReport } from '../../protocol/timelineLearn';
import type { StateAt } from '../../learn/stateAt';
import { GUTTER, plotWidth, shifts } from './axis';
import { laneRows } from './layout';
import { axisOf, toDrawn, UNIT_NS } from './orderView';
import type { TimelineState } from './state';
import { formatDuration } from './ticks';

const STATE_WORDS: Record<string, string> = {
  notStarted: 'not started', running: 'running', lockWait: 'waits for the lock', printing: 'printing', napping: 'napping',
  getWait: 'waits on get', putBlocked: 'put blocked', exited: 'exited',
};

export function stateWords(state: string): string { return STATE_WORDS[state] ?? state; }

/** "S1:3" style labels of the queue's items (just "3" with one shouter). */
export function queueLabels(at: StateAt, shouters: number): string[] {
  return at.queue.map((q) => (shouters > 1 ? `S${q.shouter}:${q.message}` : String(q.message)));
}

/** x (CSS px) of a real time t (ns) of the run in `slot`, as drawn. */
function xOf(s: TimelineState, slot: number, t: number): number {
  const run = s.runs[slot]!;
  const d = toDrawn(s, run, t) - (shifts(s)[slot] ?? 0);
  return GUTTER + ((d - s.vp.t0) / (s.vp.t1 - s.vp.t0)) * plotWidth(s);
}

/** Event order: each gap's width and label, and the range of the step widths (px). */
export function measureOrder(s: TimelineState): TimelineLearnReport['eventOrder'] {
  const run = s.runs[0];
  if (s.axisMode !== 'order' || !run) { return null; }
  const axis = axisOf(run);
  const pxPerUnit = (UNIT_NS / (s.vp.t1 - s.vp.t0)) * plotWidth(s);
  const gapAt = new Set(axis.gaps.map((g) => g.toNs));
  let minStepPx = Infinity;
  let maxStepPx = 0;
  let steps = 0;
  for (let k = 1; k < axis.knotsNs.length; k++) {
    if (gapAt.has(axis.knotsNs[k])) { continue; }
    const w = (axis.knotsUnits[k] - axis.knotsUnits[k - 1]) * pxPerUnit;
    steps++;
    minStepPx = Math.min(minStepPx, w);
    maxStepPx = Math.max(maxStepPx, w);
  }
  return {
    steps, minStepPx: steps ? minStepPx : 0, maxStepPx,
    gaps: axis.gaps.map((g) => ({ realMs: g.durNs / 1e6, widthPx: (g.toUnit - g.fromUnit) * pxPerUnit, label: gapLabel(g.durNs) })),
  };
}

function gapLabel(durNs: number): string { return `${formatDuration(durNs)} idle`; }

export function drawLearn(ctx: CanvasRenderingContext2D, s: TimelineState, at: StateAt | undefined): void {
  const pal = s.palette;
  const right = GUTTER + plotWidth(s);
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER, 0, plotWidth(s), s.cssH);
  ctx.clip();
  ctx.font = `11px ${pal.font}`;
  ctx.textBaseline = 'middle';
  const slotSpan = (slot: number) => {
    const tr = s.tracks.filter((t) => t.slot === slot);
    return tr.length ? { y0: Math.min(...tr.map((t) => t.y)), y1: Math.max(...tr.map((t) => t.y + t.h)) } : undefined;
  };
  // Event order: the collapsed idle stretches, hatched, with their real length.
  if (s.axisMode === 'order') {
    s.runs.forEach((run, slot) => {
      const ys = run ? slotSpan(slot) : undefined;
      if (!run || !ys) { return; }
      for (const g of axisOf(run).gaps) {
        const x0 = xOf(s, slot, g.fromNs);
        const x1 = xOf(s, slot, g.toNs);
        if (x1 < GUTTER || x0 > right) { continue; }
        // Faded, with one dotted cut down the middle (hover it for its real length).
        ctx.fillStyle = pal.background;
        ctx.globalAlpha = 0.5;
        ctx.fillRect(x0, ys.y0, x1 - x0, ys.y1 - ys.y0);
        ctx.globalAlpha = 0.7;
        ctx.strokeStyle = pal.muted;
        ctx.lineWidth = 1;
        ctx.setLineDash([2, 3]);
        const mid = Math.round((x0 + x1) / 2) + 0.5;
        ctx.beginPath();
        ctx.moveTo(mid, 18); ctx.lineTo(mid, ys.y1);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
        if (slot === 0) {
          const text = gapLabel(g.durNs);
          const w = ctx.measureText(text).width;
          ctx.fillStyle = pal.muted;
          if (w + 6 <= x1 - x0) { ctx.fillText(text, (x0 + x1) / 2 - w / 2, 12); } else if (x1 - x0 > 10) { ctx.fillText('⋯', (x0 + x1) / 2 - 4, 12); }
        }
      }
    });
  }
  // The picked sentence's span.
  const span = s.narration.span;
  const ys0 = slotSpan(0);
  if (span && s.runs[0] && ys0) {
    const x0 = xOf(s, 0, span.fromNs);
    const x1 = Math.max(xOf(s, 0, span.toNs), x0 + 2);
    ctx.fillStyle = pal.focus;
    ctx.globalAlpha = 0.16;
    ctx.fillRect(x0, 24, x1 - x0, ys0.y1 - 24);
    ctx.globalAlpha = 1;
    ctx.fillRect(x0, 24, x1 - x0, 3);
  }
  // The playhead, and what each process does there.
  if (at && s.playhead !== undefined && s.runs[0] && ys0) {
    const run = s.runs[0];
    const x = Math.round(xOf(s, 0, s.playhead)) + 0.5;
    ctx.strokeStyle = pal.foreground;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, 14); ctx.lineTo(x, ys0.y1);
    ctx.stroke();
    ctx.fillStyle = pal.foreground;
    ctx.beginPath();
    ctx.moveTo(x - 6, 14); ctx.lineTo(x + 6, 14); ctx.lineTo(x, 24);
    ctx.fill();
    const tag = (text: string, y: number) => {
      const w = ctx.measureText(text).width + 8;
      const left = x + 6 + w > right ? x - 6 - w : x + 6;
      ctx.fillStyle = pal.background;
      ctx.globalAlpha = 0.9;
      ctx.fillRect(left, y - 8, w, 16);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = pal.foreground;
      ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, y - 7.5, w - 1, 15);
      ctx.fillStyle = pal.foreground;
      ctx.fillText(text, left + 4, y);
    };
    for (const tr of s.tracks) {
      if (tr.slot !== 0) { continue; }
      if (tr.kind === 'lane') {
        const name = run.meta.processes.find((q) => q.proc === tr.proc)?.name;
        const p = at.processes.find((q) => q.name === name);
        if (p) { tag(stateWords(p.state), laneRows(tr).barY + laneRows(tr).barH / 2); }
      } else if (tr.kind === 'depth') {
        const shouters = run.meta.processes.filter((q) => q.role === 'shouter').length;
        const items = queueLabels(at, shouters);
        tag(items.length ? `queue: ${items.join(' ')}` : 'queue empty', tr.y + tr.h / 2);
      }
    }
  }
  ctx.restore();
  if (s.axisMode === 'order') {
    // x is not time here: say what it is, where the time labels would be.
    ctx.fillStyle = pal.muted;
    ctx.fillText('event order ⟶', 8, 12);
  }
}

/** The collapsed gap of the run in `slot` at its real time t (ns), if t falls in one. */
export function gapAt(s: TimelineState, slot: number, t: number): { durNs: number } | undefined {
  const run = s.runs[slot];
  if (s.axisMode !== 'order' || !run) { return undefined; }
  return axisOf(run).gaps.find((g) => t > g.fromNs && t < g.toNs);
}

export function gapWords(durNs: number): string[] {
  return [`${gapLabel(durNs)}: nothing happened for ${formatDuration(durNs)}`, 'collapsed to one gap in the event-order axis'];
}
