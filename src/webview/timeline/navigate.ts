/**
 * Moving the view: fit the runs, follow the newest time, zoom about a point, pan, bring an event
 * into view, and select events or a transcript line (the status line says what was chosen).
 */
import { extentEnd, extentStart, plotWidth, shifts, timeAtX } from './axis';
import { eventDetails } from './describe';
import type { RunData } from './model';
import { drawnRuns } from './orderView';
import { saveSoon } from './persist';
import { schedule } from './plot';
import type { Follow, Page, Selection } from './state';
import { clampTo, fitAll, followEnd, panBy, span, zoomAt } from './viewport';
import { STRINGS as T } from './strings';

/** The viewport again under the follow mode ('fit': all of it; 'tail': the newest time). */
export function refit(p: Page): void {
  const { s } = p;
  const end = extentEnd(s);
  if (s.follow === 'fit') { s.vp = fitAll(end, extentStart(s)); } else if (s.follow === 'tail') { s.vp = followEnd(s.vp, end); }
  schedule(p);
  saveSoon(p);
}

export function setFollow(p: Page, follow: Follow): void {
  p.s.follow = follow;
  refit(p);
}

/** Zooms by factor about page x anchorX (the pointer), or about the newest time or the middle. */
export function zoomBy(p: Page, factor: number, anchorX?: number): void {
  const { s } = p;
  const anchor = anchorX === undefined ? (s.follow !== 'off' ? extentEnd(s) : (s.vp.t0 + s.vp.t1) / 2) : timeAtX(s, anchorX);
  s.vp = clampTo(zoomAt(s.vp, factor, anchor, Math.max(extentEnd(s) * 4, 1e7)), extentEnd(s));
  if (s.follow === 'fit') { s.follow = anchorX === undefined ? 'tail' : 'off'; }
  schedule(p);
  saveSoon(p);
}

/** Pans by dx CSS pixels. */
export function panPx(p: Page, dx: number): void {
  const { s } = p;
  s.vp = clampTo(panBy(s.vp, (dx / plotWidth(s)) * span(s.vp)), extentEnd(s));
  s.follow = 'off';
  schedule(p);
  saveSoon(p);
}

/** The start of the runs at the left edge, the width kept. */
export function goHome(p: Page): void {
  const { s } = p;
  const w = span(s.vp);
  s.vp = clampTo({ t0: -w * 0.02, t1: w * 0.98 }, extentEnd(s));
  s.follow = 'off';
  schedule(p);
  saveSoon(p);
}

function reveal({ s }: Page, real: RunData, e: number): void {
  const slot = s.runs.indexOf(real);
  const run = drawnRuns(s)[slot] ?? real;
  const t = run.t[e] - (shifts(s)[slot] ?? 0);
  if (t >= s.vp.t0 && t + run.dur[e] <= s.vp.t1) { return; }
  const w = span(s.vp);
  s.vp = { t0: t - w / 2, t1: t + w / 2 };
  s.follow = 'off';
}

export function selectEvents(p: Page, sel: Selection | undefined): void {
  const { s, dom } = p;
  s.selection = sel;
  const run = sel ? s.runs[sel.slot] : undefined;
  if (!sel || !run) {
    dom.transcript.select(-1);
    dom.status.textContent = T.selectionCleared;
    schedule(p);
    return;
  }
  if (sel.slot === 0) { dom.transcript.select(run.lineOfEvent(sel.primary)); }
  dom.status.textContent = T.selected(eventDetails(run, sel.primary).join(' · '));
  schedule(p);
}

/** A transcript line picked: its events selected and brought into view. */
export function selectLine(p: Page, line: number): void {
  const { s, dom } = p;
  const run = s.runs[0];
  if (!run) { return; }
  const events = run.eventsOfLine(line);
  dom.transcript.select(line, false);
  if (events.length === 0) { s.selection = undefined; dom.status.textContent = T.lineNoEvent(line + 1); schedule(p); return; }
  reveal(p, run, events[0]);
  s.selection = { slot: 0, events, primary: events[0] };
  dom.status.textContent = T.lineEvent(line + 1, eventDetails(run, events[0]).join(' · '));
  schedule(p);
  saveSoon(p);
}
