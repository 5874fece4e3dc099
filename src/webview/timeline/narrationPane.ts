/**
 * The narration pane: Explain This Run's sentences (src/learn/explain.ts, the very function of
 * the shoutHear.explainRun command, computed here from the page's own columns) beside the
 * transcript. Clicking a sentence selects its span on the timeline (a band, and the events in it)
 * and the lines printed in it in the transcript. Every sentence goes in as text.
 */
import type { Sentence } from '../../learn/explain';
import { el } from '../shared/dom';
import { narrationOf } from './learnRun';
import { saveSoon } from './persist';
import { schedule } from './plot';
import type { Page } from './state';
import { formatDuration } from './ticks';
import { drawnRuns, toDrawn } from './orderView';
import { shifts } from './axis';
import { STRINGS as T } from './strings';

export class NarrationPane {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly title: HTMLElement;
  private shownKey = '';

  constructor(private readonly onPick: (index: number) => void) {
    this.element = el('section', 'narration');
    this.element.setAttribute('aria-label', T.narration);
    this.element.hidden = true;
    this.title = el('h2', 'transcript-title', T.whatHappened);
    this.list = el('ol', 'narration-list');
    this.element.append(this.title, this.list);
  }

  /** Shows the sentences (rebuilt only when they change); `selected` is marked. */
  show(key: string, sentences: readonly Sentence[], selected: number | undefined, note: string): void {
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.title.textContent = T.whatHappenedTitle(note);
      this.list.replaceChildren(...sentences.map((x, i) => {
        const item = el('li', 'narration-item');
        const b = el('button', 'narration-sentence');
        b.type = 'button';
        b.dataset.index = String(i);
        b.append(el('span', 'narration-time', formatDuration(x.fromMs * 1e6)), el('span', 'narration-text', x.text));
        b.title = T.sentenceTitle(x.fromMs.toFixed(2), x.toMs.toFixed(2), x.phenomena.join(', '));
        b.addEventListener('click', () => this.onPick(i));
        item.append(b);
        return item;
      }));
    }
    this.list.querySelectorAll<HTMLElement>('.narration-sentence').forEach((b) => {
      const on = Number(b.dataset.index) === selected;
      b.classList.toggle('selected', on);
      b.setAttribute('aria-pressed', String(on));
    });
  }
}

/** The pane again for the main run (when open). */
export function updateNarration(p: Page): void {
  const { s, dom } = p;
  dom.narration.element.hidden = !s.narration.open;
  dom.explainButton.setAttribute('aria-pressed', String(s.narration.open));
  const run = s.runs[0];
  if (!s.narration.open) { return; }
  if (!run || run.length === 0) { dom.narration.show('none', [], undefined, T.noRun); return; }
  const n = narrationOf(run);
  dom.narration.show(`${run.runId}/${run.length}`, n.sentences, s.narration.selected, n.live ? T.soFar(formatDuration(n.upToMs * 1e6)) : run.meta.label);
}

export function setNarrationOpen(p: Page, open: boolean): void {
  p.s.narration.open = open;
  if (!open) { p.s.narration.selected = undefined; p.s.narration.span = undefined; }
  updateNarration(p);
  schedule(p);
}

/** A sentence clicked: its span becomes the selection on the timeline and in the transcript. */
export function pickSentence(p: Page, index: number): void {
  const { s, dom } = p;
  const run = s.runs[0];
  if (!run) { return; }
  const x = narrationOf(run).sentences[index];
  if (!x) { return; }
  const fromNs = x.fromMs * 1e6;
  const toNs = x.toMs * 1e6;
  s.narration.selected = index;
  s.narration.span = { fromNs, toNs };
  // The events that happen in the span (an instant span: the events at that instant).
  const events: number[] = [];
  for (let e = 0; e < run.length; e++) {
    const a = run.t[e];
    const b = a + run.dur[e];
    // Spans overlapping it; instants inside it, its ends included (a sentence often starts or ends on one).
    if (b > a ? a < toNs && b > fromNs : a >= fromNs && a <= toNs) { events.push(e); }
  }
  const lines = [...new Set(events.map((e) => run.lineOfEvent(e)).filter((l) => l >= 0))].sort((a, b) => a - b);
  s.selection = events.length ? { slot: 0, events, primary: events[0] } : undefined;
  dom.transcript.selectMany(lines);
  // Bring the span into view (in the axis mode shown), with a margin.
  const drawn = drawnRuns(s)[0] ?? run;
  const sh = shifts(s)[0] ?? 0;
  const a = toDrawn(s, run, fromNs) - sh;
  const b = toDrawn(s, run, toNs) - sh;
  const w = Math.max(b - a, (drawn.end - drawn.start) * 0.02, 1e4);
  if (a < s.vp.t0 || b > s.vp.t1) { s.vp = { t0: a - w * 0.5, t1: b + w * 0.5 }; s.follow = 'off'; }
  dom.status.textContent = T.span(formatDuration(fromNs), formatDuration(toNs), x.text);
  updateNarration(p);
  schedule(p);
  saveSoon(p);
}
