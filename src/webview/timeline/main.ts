/**
 * The Timeline webview: receives runs from the host (protocol/timeline.ts), keeps them as columns
 * (model.ts), draws them on a canvas (plot.ts, render.ts) and handles zoom, pan, hover,
 * selection, the transcript pane, the run picker, compare mode, the scheduler bar, and Learn:
 * the narration pane, the event-order axis and the playhead. This file
 * only wires the page together: one state object (state.ts) passed to each part's module.
 * No `vscode` import: it talks only through postMessage. Every string shown goes in as text.
 */
import type { HostToTimeline, TimelineToHost } from '../../protocol/timeline';
import type { ImageMessage, ImageRequest } from '../../shared/pageImage';
import { onThemeChange } from '../shared/theme';
import { connectToHost } from '../shared/vscodeApi';
import { updateHeader, updatePickers } from './header';
import { wirePlotInput } from './input';
import { setAxisMode } from './learnActions';
import { pickSentence, setNarrationOpen } from './narrationPane';
import { step, togglePlay } from './playhead';
import { onMessage } from './messages';
import { answerPicture } from './picture';
import { selectEvents, selectLine, setFollow, zoomBy } from './navigate';
import { buildPage } from './page';
import { readPalette } from './palette';
import { relayout, resize, schedule } from './plot';
import { initialState, readSavedState, type Page } from './state';
import { installTestHooks } from './testHooks';

const host = connectToHost<TimelineToHost | ImageMessage>();
const saved = readSavedState(host.savedState());
const s = initialState(saved);
const dom = buildPage({
  zoomIn: () => zoomBy(page, 2),
  zoomOut: () => zoomBy(page, 0.5),
  fit: () => setFollow(page, 'fit'),
  follow: () => setFollow(page, 'tail'),
  clearSelection: () => selectEvents(page, undefined),
  selectLine: (line) => selectLine(page, line),
  explain: () => setNarrationOpen(page, !s.narration.open),
  pickSentence: (index) => pickSentence(page, index),
  stepBack: () => step(page, -1),
  play: () => togglePlay(page),
  stepForward: () => step(page, 1),
  saveImage: () => host.post({ type: 'saveImage' }),
}, s.align);
const page: Page = { s, dom, host };

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as HostToTimeline | ImageRequest;
  if (!m || typeof m !== 'object') { return; }
  if (m.type === 'snapshot') { void answerPicture(page, m, (reply) => host.post(reply)); return; }
  try { onMessage(page, m); } catch (err) { host.post({ type: 'log', level: 'error', message: `timeline: ${(err as Error).message}` }); }
});

dom.runPicker.addEventListener('change', () => host.post({ type: 'select', slot: 'main', runId: dom.runPicker.value || null }));
dom.comparePicker.addEventListener('change', () => host.post({ type: 'select', slot: 'compare', runId: dom.comparePicker.value || null }));
dom.alignSelect.addEventListener('change', () => {
  s.align = dom.alignSelect.value === 'start' ? 'start' : 'first';
  updateHeader(page);
  setFollow(page, 'fit');
  dom.status.textContent = `Compared runs are aligned on ${s.align === 'first' ? 'their first events' : 'their starts'}.`;
});
dom.axisSelect.value = s.axisMode;
dom.axisSelect.addEventListener('change', () => setAxisMode(page, dom.axisSelect.value === 'order' ? 'order' : 'time'));
dom.speedSelect.addEventListener('change', () => { s.play.speed = Number(dom.speedSelect.value) || 0.1; });
wirePlotInput(page);

new ResizeObserver(() => resize(page)).observe(dom.plot);
onThemeChange(() => { s.palette = readPalette(); schedule(page); });
window.addEventListener('resize', () => resize(page));

relayout(page);
updateHeader(page);
updatePickers(page);
host.post({ type: 'ready', runId: saved.runId, compareRunId: saved.compareRunId });
if (__TEST__) { installTestHooks(page); }
