/**
 * The Learn actions of the page: switching the axis between real time and event order (keeping
 * the selection, the playhead and the part of the run in view), and the host's Learn messages
 * (the tests drive the page with them, as a user would with the toolbar).
 */
import type { AxisMode, HostToTimelineLearn } from '../../protocol/timelineLearn';
import { shifts } from './axis';
import { refit } from './navigate';
import { toDrawn, toReal } from './orderView';
import { saveSoon } from './persist';
import { pickSentence, setNarrationOpen, updateNarration } from './narrationPane';
import { setPlayhead, step } from './playhead';
import { schedule } from './plot';
import type { Page } from './state';

export function setAxisMode(p: Page, mode: AxisMode): void {
  const { s, dom } = p;
  if (s.axisMode === mode) { return; }
  const main = s.runs[0];
  // The same stretch of the main run in view: its real times at the edges, mapped to the new axis.
  const real = main ? [s.vp.t0, s.vp.t1].map((x) => toReal(s, main, x + (shifts(s)[0] ?? 0))) : undefined;
  s.axisMode = mode;
  dom.axisSelect.value = mode;
  if (main && real && s.follow === 'off') {
    const sh = shifts(s)[0] ?? 0;
    const [a, b] = real.map((t) => toDrawn(s, main, t) - sh);
    const w = Math.max(b - a, 1e3);
    s.vp = { t0: a, t1: a + w };
  }
  refit(p);
  dom.status.textContent = mode === 'order'
    ? 'Event order: every event the same width, in the order it happened; idle stretches are collapsed to a marked gap that says how long they were.'
    : 'Real time: widths are durations.';
  saveSoon(p);
  schedule(p);
}

export function onLearnMessage(p: Page, m: HostToTimelineLearn): void {
  switch (m.type) {
    case 'playhead':
      setPlayhead(p, m.tMs === null ? undefined : m.tMs * 1e6);
      break;
    case 'step':
      step(p, m.direction);
      break;
    case 'axisMode':
      setAxisMode(p, m.mode);
      break;
    case 'narration':
      setNarrationOpen(p, m.open);
      if (m.pick !== undefined) { pickSentence(p, m.pick); }
      break;
  }
}

/** After a run is loaded or grows: the pane and the playhead follow it. */
export function learnRunChanged(p: Page, newRun: boolean): void {
  const { s } = p;
  if (newRun) {
    s.narration.selected = undefined;
    s.narration.span = undefined;
    setPlayhead(p, undefined);
  }
  updateNarration(p);
}
