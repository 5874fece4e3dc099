/**
 * The plot: lays out the tracks of the runs shown (lane labels in the gutter), sizes the canvas,
 * draws it at most once per animation frame (render.ts), and tells the host what it drew (the
 * 'rendered' report the integration tests read).
 */
import { SCHEDULER_PROC } from '../../protocol/events';
import type { TimelineRendered } from '../../protocol/timeline';
import { el } from '../shared/dom';
import { GUTTER, shifts } from './axis';
import { laneRows, layoutTracks } from './layout';
import type { RunData } from './model';
import { flushSave } from './persist';
import { drawnHolderSpans } from './drawLock';
import { draw } from './render';
import { drawLearn } from './drawLearn';
import { learnReport } from './learnReport';
import { drawnRuns } from './orderView';
import { stateAtPlayhead } from './playhead';
import { markWaiting } from './scheduler';
import { liveLockView, type Page } from './state';
import { flushTranscript } from './transcriptFeed';

/** Tracks for the runs shown, and their labels in the gutter. */
export function relayout(p: Page): void {
  const { s, dom } = p;
  const slots = s.runs.filter((r): r is RunData => !!r).map((r) => ({
    label: r.meta.label,
    ...(r.meta.objects ? { objects: r.meta.objects } : {}),
    processes: [...r.meta.processes, ...[...r.lanes.keys()].filter((q) => q !== SCHEDULER_PROC && !r.meta.processes.some((m) => m.proc === q)).map((q) => ({ proc: q, name: `process ${q}` }))],
  }));
  const laid = layoutTracks(slots);
  // Slot numbers in tracks count shown runs; map them back to runs[] indices.
  const shown = s.runs.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
  s.tracks = laid.tracks.map((t) => ({ ...t, slot: shown[t.slot] }));
  dom.plot.style.height = `${Math.max(laid.height, 120)}px`;
  dom.gutter.replaceChildren(...s.tracks.map((t) => {
    const label = el('div', `gutter-label gutter-${t.kind}`, t.label);
    label.style.top = `${t.kind === 'lane' ? laneRows(t).barY : t.y}px`;
    label.style.height = `${t.kind === 'lane' ? laneRows(t).barH : t.h}px`;
    label.title = t.label;
    if (t.kind === 'lane') { label.dataset.slot = String(t.slot); label.dataset.proc = String(t.proc); }
    return label;
  }));
  markWaiting(p);
  resize(p);
}

/** The canvas at the plot's size, in device pixels. */
export function resize(p: Page): void {
  const { s, dom } = p;
  const dpr = window.devicePixelRatio || 1;
  s.cssW = dom.plot.clientWidth;
  s.cssH = dom.plot.clientHeight;
  dom.canvas.width = Math.max(1, Math.round(s.cssW * dpr));
  dom.canvas.height = Math.max(1, Math.round(s.cssH * dpr));
  dom.canvas.style.width = `${s.cssW}px`;
  dom.canvas.style.height = `${s.cssH}px`;
  schedule(p);
}

/** A draw on the next animation frame (one, however often this is called before it). */
export function schedule(p: Page): void {
  const pending = p.s.pending;
  if (pending.frame === 0) { pending.frame = requestAnimationFrame(() => { pending.frame = 0; drawNow(p); }); }
}

export function drawNow(p: Page): void {
  const { s, dom } = p;
  flushTranscript(p);
  // Likewise the saved state (what a window reload brings back): on the next frame at the latest.
  flushSave(p);
  const start = performance.now();
  const dpr = window.devicePixelRatio || 1;
  dom.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  draw(dom.ctx, { width: s.cssW, height: s.cssH, gutter: GUTTER, vp: s.vp, runs: drawnRuns(s), tracks: s.tracks, selection: s.selection, hover: s.hover, palette: s.palette, shift: shifts(s), ticks: s.axisMode === 'time' });
  drawLearn(dom.ctx, s, stateAtPlayhead(p));
  s.frameTimes.push(performance.now() - start);
  if (s.frameTimes.length > 600) { s.frameTimes.splice(0, s.frameTimes.length - 600); }
  const main = s.runs[0];
  const key = main ? `${main.runId}/${main.length}/${main.lines.length}/${main.live}/${s.runs[1]?.runId ?? ''}` : `none/${s.runs[1]?.runId ?? ''}`;
  if (key !== s.pending.lastReportKey) {
    s.pending.lastReportKey = key;
    if (s.pending.report !== undefined) { clearTimeout(s.pending.report); }
    s.pending.report = window.setTimeout(() => { s.pending.report = undefined; p.host.post({ type: 'rendered', report: report(p, 0) }); }, 200);
  }
}

/** What the page shows, for the host (and through it the integration tests). */
function holderTriples(flat: number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let k = 0; k + 2 < flat.length; k += 3) { out.push([flat[k], flat[k + 1], flat[k + 2]]); }
  return out;
}

export function report(p: Page, token: number): TimelineRendered {
  const { s, dom } = p;
  const main = s.runs[0];
  return {
    token,
    runId: main?.runId ?? null,
    compareRunId: s.runs[1]?.runId ?? null,
    lanes: s.tracks.filter((t) => t.kind === 'lane' && t.slot === 0).map((t) => t.label),
    events: main?.length ?? 0,
    kinds: main?.kindCountsByName() ?? {},
    lines: main?.lines.length ?? 0,
    laneLabels: Array.from(dom.gutter.querySelectorAll('.gutter-lane')).map((e) => e.textContent ?? ''),
    transcriptSample: dom.transcript.sample(5),
    // Everything built from data lives under the app root; nothing there may be an active element.
    foreignElements: dom.app.querySelectorAll('img, script, iframe, object, embed, svg, link, style').length,
    viewport: { t0: s.vp.t0, t1: s.vp.t1, following: s.follow !== 'off' },
    waiting: [...(liveLockView(s)?.waiting ?? [])],
    grantButtons: dom.scheduler.hidden ? [] : Array.from(dom.schedButtons.querySelectorAll('button')).filter((b) => !b.disabled).map((b) => b.dataset.grant ?? ''),
    overlappingLines: main?.lockOff.any ? main.lockOff.result().overlapping : 0,
    align: s.align,
    holderSpans: main ? holderTriples(drawnHolderSpans.get(main.runId) ?? []) : [],
    learn: learnReport(p),
    page: { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight, plotHeight: parseFloat(dom.plot.style.height) || 0 },
  };
}
