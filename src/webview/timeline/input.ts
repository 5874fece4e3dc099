/**
 * The plot's pointer and keys: drag to pan, wheel to zoom (pinch too), hover for a tooltip,
 * click to select an event's story, and the keyboard commands the canvas's label lists.
 */
import { el } from '../shared/dom';
import { GUTTER, plotWidth, shifts, timeAtX } from './axis';
import { AXIS_H } from './layout';
import { setAxisMode } from './learnActions';
import { toReal } from './orderView';
import { setPlayhead, step as stepPlayhead, togglePlay } from './playhead';
import { eventDetails } from './describe';
import { goHome, panPx, selectEvents, setFollow, zoomBy } from './navigate';
import { schedule } from './plot';
import { hitAt } from './pointer';
import { firstGrantButton } from './scheduler';
import type { Page } from './state';
import { formatDuration } from './ticks';
import { STRINGS as T } from './strings';

function showTooltip({ s, dom }: Page, x: number, y: number, lines: string[]): void {
  const { tooltip } = dom;
  tooltip.replaceChildren(...lines.map((l, i) => el('div', i === 0 ? 'tip-title' : 'tip-line', l)));
  tooltip.hidden = false;
  const w = tooltip.offsetWidth;
  tooltip.style.left = `${Math.min(x + 14, s.cssW - w - 4)}px`;
  tooltip.style.top = `${y + 16}px`;
}

/** The playhead at page x (the main run's real time under the pointer, in either axis mode). */
function playheadAtX(p: Page, x: number): void {
  const main = p.s.runs[0];
  if (main) { setPlayhead(p, toReal(p.s, main, timeAtX(p.s, x) + (shifts(p.s)[0] ?? 0))); }
}

export function wirePlotInput(p: Page): void {
  const { s, dom } = p;
  const { canvas, tooltip } = dom;
  canvas.addEventListener('pointerdown', (ev) => {
    // On the time axis: place the playhead there, and drag it.
    const onAxis = ev.offsetY < AXIS_H && ev.offsetX >= GUTTER && !!s.runs[0];
    s.drag = { x: ev.offsetX, moved: false, id: ev.pointerId, playhead: onAxis };
    canvas.setPointerCapture(ev.pointerId);
    if (onAxis) { playheadAtX(p, ev.offsetX); }
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (s.drag?.playhead) { s.drag.moved = true; playheadAtX(p, ev.offsetX); return; }
    if (s.drag) {
      const dx = ev.offsetX - s.drag.x;
      if (s.drag.moved || Math.abs(dx) > 3) {
        s.drag.moved = true;
        s.drag.x = ev.offsetX;
        panPx(p, -dx);
        tooltip.hidden = true;
        return;
      }
    }
    const hit = hitAt(s, ev.offsetX, ev.offsetY);
    const prev = s.hover;
    if (hit && 'e' in hit) {
      s.hover = hit;
      showTooltip(p, ev.offsetX, ev.offsetY, eventDetails(s.runs[hit.slot]!, hit.e));
    } else {
      s.hover = undefined;
      if (hit) { showTooltip(p, ev.offsetX, ev.offsetY, hit.info); } else { tooltip.hidden = true; }
    }
    if (prev?.e !== s.hover?.e || prev?.slot !== s.hover?.slot) { schedule(p); }
  });
  canvas.addEventListener('pointerleave', () => { tooltip.hidden = true; if (s.hover) { s.hover = undefined; schedule(p); } });
  canvas.addEventListener('pointerup', (ev) => {
    const wasDrag = s.drag?.moved || s.drag?.playhead;
    s.drag = undefined;
    if (wasDrag) { return; }
    const hit = hitAt(s, ev.offsetX, ev.offsetY);
    if (hit && 'e' in hit) {
      const run = s.runs[hit.slot]!;
      selectEvents(p, { slot: hit.slot, events: run.storyOf(hit.e), primary: hit.e });
      if (run.meta.file) {
        // A traced program's event: the host opens the user's file at the event's line.
        p.host.post({ type: 'openSource', runId: run.runId, event: hit.e });
      } else {
        // The program editor (if open) reveals the line of this event's process at its time.
        const name = run.meta.processes.find((q) => q.proc === run.proc[hit.e])?.name;
        if (name && /^[\w -]+$/.test(name)) { p.host.post({ type: 'revealEvent', runId: run.runId, tMs: Math.max(0, run.t[hit.e]) / 1e6, name }); }
      }
    } else if (s.selection) {
      selectEvents(p, undefined);
    }
  });
  canvas.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY) || ev.shiftKey) {
      panPx(p, ev.shiftKey ? ev.deltaY : ev.deltaX);
      return;
    }
    // Pinch arrives as ctrl+wheel with small deltas; a mouse wheel notch is about 100.
    const factor = Math.exp(-ev.deltaY * (ev.ctrlKey ? 0.01 : 0.002));
    zoomBy(p, factor, ev.offsetX);
  }, { passive: false });
  canvas.addEventListener('keydown', (ev) => {
    const step = plotWidth(s) * (ev.shiftKey ? 0.5 : 0.1);
    switch (ev.key) {
      case '+': case '=': zoomBy(p, 2); break;
      case '-': case '_': zoomBy(p, 0.5); break;
      case 'ArrowLeft': panPx(p, -step); break;
      case 'ArrowRight': panPx(p, step); break;
      case 'Home': goHome(p); break;
      case 'End': setFollow(p, 'tail'); break;
      case '0': case 'f': setFollow(p, 'fit'); break;
      case 'Escape': selectEvents(p, undefined); break;
      case '.': stepPlayhead(p, 1); break;
      case ',': stepPlayhead(p, -1); break;
      case 'p': case 'P': togglePlay(p); break;
      case 'a': case 'A': setAxisMode(p, s.axisMode === 'order' ? 'time' : 'order'); break;
      case 'g': {
        // Be the scheduler from the plot: jump to the Grant buttons.
        const first = firstGrantButton(p);
        if (first) { first.focus(); } else { dom.status.textContent = T.nobodyWaits; }
        break;
      }
      default: return;
    }
    ev.preventDefault();
  });
  canvas.addEventListener('focus', () => {
    const run = s.runs[0];
    dom.status.textContent = run ? T.plotFocus(run.meta.label, run.length, run.meta.processes.length, formatDuration(run.end)) : T.noRunShown;
  });
}
