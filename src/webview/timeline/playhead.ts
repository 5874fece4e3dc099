/**
 * Step through time: the playhead on the main run (placed by clicking or dragging the axis,
 * moved by Play at a chosen fraction of real time, or stepped to the next or previous event).
 * At the playhead the page shows what src/learn/stateAt.ts says — the very function of the
 * shoutHear.stateAt command: each lane's state, the queue's items, only the lines printed so far
 * — and tells the host the time, so the program editor's marks follow. Reduced motion: no
 * animation, stepping only.
 */
import type { StateAt } from '../../learn/stateAt';
import { stateWords } from './drawLearn';
import { formatDuration } from './ticks';
import { orderAxisOf, statesOf } from './learnRun';
import { toDrawn } from './orderView';
import { schedule } from './plot';
import type { Page } from './state';
import { transcriptSoon } from './transcriptFeed';
import { shifts } from './axis';
import { span } from './viewport';
import { STRINGS as T } from './strings';

export const SPEEDS: readonly { value: number; label: string }[] = [
  { value: 0.01, label: T.speeds.hundredth }, { value: 0.02, label: T.speeds.fiftieth }, { value: 0.1, label: T.speeds.tenth },
  { value: 0.25, label: T.speeds.quarter }, { value: 0.5, label: T.speeds.half }, { value: 1, label: T.speeds.realTime },
];

export function reducedMotion(): boolean {
  return document.body.classList.contains('vscode-reduce-motion') || window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** The state of every process at the playhead (undefined: no playhead or no run). */
export function stateAtPlayhead({ s }: Page): StateAt | undefined {
  const run = s.runs[0];
  if (!run || s.playhead === undefined || run.length === 0) { return undefined; }
  const states = statesOf(run);
  return states.at(Math.min(Math.max(s.playhead / 1e6, 0), states.endMs));
}

/** Tells the host where the playhead is (at most every 100 ms while it moves; the last one always). */
function postSoon(p: Page): void {
  const play = p.s.play;
  const send = () => {
    play.postTimer = undefined;
    play.posted = performance.now();
    const run = p.s.runs[0];
    if (run && p.s.playhead !== undefined) { p.host.post({ type: 'playhead', runId: run.runId, tMs: p.s.playhead / 1e6 }); }
  };
  if (play.postTimer !== undefined) { return; }
  const wait = 100 - (performance.now() - play.posted);
  if (wait <= 0) { send(); } else { play.postTimer = window.setTimeout(send, wait); }
}

/** Places the playhead at tNs of the main run (clamped to the run), or removes it (undefined). */
export function setPlayhead(p: Page, tNs: number | undefined): void {
  const { s, dom } = p;
  const run = s.runs[0];
  if (!run || run.length === 0 || tNs === undefined) {
    s.playhead = undefined;
    pause(p);
  } else {
    s.playhead = Math.min(Math.max(tNs, 0), run.end);
    keepInView(p);
    postSoon(p);
    const at = stateAtPlayhead(p);
    if (at && !s.play.playing) {
      dom.status.textContent = T.atPlayhead(formatDuration(s.playhead), at.processes.map((x) => `${x.name} ${stateWords(x.state)}`).join(', '), at.queue.map((q) => q.message).join(' '), at.printed);
    }
  }
  dom.playheadTime.textContent = s.playhead === undefined ? '' : formatDuration(s.playhead);
  transcriptSoon(p, true);
  schedule(p);
}

/** The playhead inside the view (while it plays or steps past an edge). */
function keepInView({ s }: Page): void {
  const run = s.runs[0];
  if (!run || s.playhead === undefined) { return; }
  const x = toDrawn(s, run, s.playhead) - (shifts(s)[0] ?? 0);
  if (x >= s.vp.t0 && x <= s.vp.t1) { return; }
  const w = span(s.vp);
  s.vp = { t0: x - w * 0.2, t1: x + w * 0.8 };
  s.follow = 'off';
}

/** To the next (1) or previous (-1) event boundary of the main run. */
export function step(p: Page, direction: 1 | -1): void {
  const { s } = p;
  const run = s.runs[0];
  if (!run || run.length === 0) { return; }
  pause(p);
  const knots = orderAxisOf(run).knotsNs;
  const now = s.playhead;
  let next: number | undefined;
  if (now === undefined) { next = direction > 0 ? knots[0] : knots[knots.length - 1]; }
  else if (direction > 0) { next = knots.find((k) => k > now); }
  else { for (let i = knots.length - 1; i >= 0; i--) { if (knots[i] < now) { next = knots[i]; break; } } }
  setPlayhead(p, next ?? now);
}

export function pause(p: Page): void {
  const { s, dom } = p;
  s.play.playing = false;
  if (s.play.frame) { cancelAnimationFrame(s.play.frame); s.play.frame = 0; }
  dom.playButton.setAttribute('aria-pressed', 'false');
  dom.playIcon.className = 'codicon codicon-play';
}

export function togglePlay(p: Page): void {
  const { s, dom } = p;
  if (s.play.playing) { pause(p); return; }
  if (reducedMotion()) { dom.status.textContent = T.reducedMotion; return; }
  const run = s.runs[0];
  if (!run || run.length === 0) { return; }
  if (s.playhead === undefined || s.playhead >= run.end) { setPlayhead(p, 0); }
  s.play.playing = true;
  s.play.last = performance.now();
  dom.playButton.setAttribute('aria-pressed', 'true');
  dom.playIcon.className = 'codicon codicon-debug-pause';
  dom.status.textContent = T.playing(SPEEDS.find((x) => x.value === s.play.speed)?.label ?? T.speedFactor(s.play.speed));
  const tick = (now: number) => {
    if (!s.play.playing) { return; }
    const main = s.runs[0];
    if (!main || s.playhead === undefined) { pause(p); return; }
    const next = s.playhead + (now - s.play.last) * 1e6 * s.play.speed;
    s.play.last = now;
    setPlayhead(p, next);
    if (next >= main.end) { pause(p); setPlayhead(p, main.end); return; }
    s.play.frame = requestAnimationFrame(tick);
  };
  s.play.frame = requestAnimationFrame(tick);
}
