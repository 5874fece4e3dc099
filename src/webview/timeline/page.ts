/**
 * Builds the Timeline page's elements once: toolbar (run pickers, align, zoom buttons), run
 * header, scheduler bar, legend, plot (canvas, lane labels, tooltip), transcript pane and status
 * line. Returns them by name; what they do is wired by the modules that own each part.
 */
import { el, iconButton, setOptions } from '../shared/dom';
import { describeLegend } from './legend';
import { NarrationPane } from './narrationPane';
import { SPEEDS } from './playhead';
import { STRINGS as T } from './strings';
import { TranscriptPane } from './transcriptPane';
import type { Align } from './viewport';

/** What the toolbar buttons and the transcript's lines do (the page's modules supply them). */
export interface PageActions {
  zoomIn: () => void;
  zoomOut: () => void;
  fit: () => void;
  follow: () => void;
  clearSelection: () => void;
  selectLine: (line: number) => void;
  explain: () => void;
  pickSentence: (index: number) => void;
  stepBack: () => void;
  play: () => void;
  stepForward: () => void;
  saveImage: () => void;
}

export type TimelineDom = ReturnType<typeof buildPage>;

export function buildPage(actions: PageActions, align: Align) {
  const app = el('div', 'app');
  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', T.toolbar);
  const runPicker = el('select', 'picker');
  runPicker.setAttribute('aria-label', T.runPicker);
  const comparePicker = el('select', 'picker');
  comparePicker.setAttribute('aria-label', T.comparePicker);
  const pickLabel = el('label', 'picker-label', T.run);
  const cmpLabel = el('label', 'picker-label', T.compare);
  pickLabel.append(runPicker);
  cmpLabel.append(comparePicker);
  const zoomIn = iconButton('zoom-in', T.zoomIn, actions.zoomIn);
  const zoomOut = iconButton('zoom-out', T.zoomOut, actions.zoomOut);
  const fitBtn = iconButton('screen-normal', T.fit, actions.fit);
  const followBtn = iconButton('debug-continue', T.follow, actions.follow);
  const clearBtn = iconButton('clear-all', T.clearSelection, actions.clearSelection);
  const imageBtn = iconButton('device-camera', T.saveImage, actions.saveImage);
  const alignSelect = el('select', 'picker align-select');
  alignSelect.setAttribute('aria-label', T.alignPicker);
  alignSelect.title = T.alignTitle;
  setOptions(alignSelect, [{ value: 'first', label: T.alignFirst }, { value: 'start', label: T.alignStart }], align);
  const alignLabel = el('label', 'picker-label', T.align);
  alignLabel.append(alignSelect);
  // Learn: the axis mode, the narration pane and the playhead's controls.
  const axisSelect = el('select', 'picker axis-select');
  axisSelect.setAttribute('aria-label', T.axisPicker);
  axisSelect.title = T.axisTitle;
  setOptions(axisSelect, [{ value: 'time', label: T.axisTime }, { value: 'order', label: T.axisOrder }], 'time');
  const axisLabel = el('label', 'picker-label', T.axis);
  axisLabel.append(axisSelect);
  const explainButton = el('button', 'text-button');
  explainButton.type = 'button';
  explainButton.title = T.explainTitle;
  explainButton.setAttribute('aria-pressed', 'false');
  const explainIcon = el('span', 'codicon codicon-comment-discussion');
  explainIcon.setAttribute('aria-hidden', 'true');
  explainButton.append(explainIcon, el('span', '', T.explain));
  explainButton.addEventListener('click', actions.explain);
  const stepBack = iconButton('debug-step-back', T.stepBack, actions.stepBack);
  const playButton = iconButton('play', T.play, actions.play);
  playButton.setAttribute('aria-pressed', 'false');
  const playIcon = playButton.querySelector('span')!;
  const stepForward = iconButton('debug-step-over', T.stepForward, actions.stepForward);
  const speedSelect = el('select', 'picker speed-select');
  speedSelect.setAttribute('aria-label', T.speedPicker);
  speedSelect.title = T.speedTitle;
  setOptions(speedSelect, SPEEDS.map((x) => ({ value: String(x.value), label: x.label })), '0.1');
  const playheadTime = el('span', 'playhead-time');
  playheadTime.setAttribute('aria-live', 'polite');
  const stepper = el('span', 'stepper');
  stepper.setAttribute('role', 'group');
  stepper.setAttribute('aria-label', T.stepper);
  stepper.append(stepBack, playButton, stepForward, speedSelect, playheadTime);
  toolbar.append(pickLabel, cmpLabel, alignLabel, axisLabel, explainButton, stepper, el('span', 'spacer'), zoomIn, zoomOut, fitBtn, followBtn, clearBtn, imageBtn);

  const header = el('div', 'run-header');
  const headerTitle = el('div', 'run-title');
  const headerVerdict = el('div', 'run-verdict');
  const noticeEl = el('div', 'notice');
  noticeEl.setAttribute('role', 'status');
  const overlapNote = el('div', 'overlap-note');
  overlapNote.hidden = true;
  header.append(headerTitle, headerVerdict, overlapNote, noticeEl);

  // Be the scheduler (lock policy "manual"): who waits for the free lock, and a Grant button each.
  const scheduler = el('div', 'scheduler');
  scheduler.setAttribute('role', 'region');
  scheduler.setAttribute('aria-label', T.scheduler);
  scheduler.tabIndex = -1;
  scheduler.hidden = true;
  const schedIcon = el('span', 'codicon codicon-key');
  schedIcon.setAttribute('aria-hidden', 'true');
  const schedText = el('span', 'scheduler-text');
  schedText.setAttribute('aria-live', 'polite');
  const schedButtons = el('span', 'scheduler-buttons');
  const schedError = el('div', 'scheduler-error');
  schedError.setAttribute('role', 'alert');
  scheduler.append(schedIcon, schedText, schedButtons, schedError);

  const legend = el('div', 'legend');
  legend.setAttribute('aria-label', T.legend);

  const body = el('div', 'body');
  const plotWrap = el('div', 'plot-wrap');
  const plot = el('div', 'plot');
  const canvas = el('canvas', 'plot-canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', T.plot);
  const gutter = el('div', 'gutter');
  const tooltip = el('div', 'tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  const empty = el('div', 'empty');
  plot.append(canvas, gutter, tooltip, empty);
  plotWrap.append(plot);
  const transcript = new TranscriptPane(actions.selectLine);
  const narration = new NarrationPane(actions.pickSentence);
  const side = el('div', 'side');
  side.append(narration.element, transcript.element);
  body.append(plotWrap, side);

  const status = el('div', 'status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

  app.append(toolbar, header, scheduler, legend, body, status);
  document.body.append(app);
  describeLegend(legend);
  const ctx = canvas.getContext('2d', { alpha: false })!;

  return {
    app, runPicker, comparePicker, alignSelect,
    headerTitle, headerVerdict, noticeEl, overlapNote,
    scheduler, schedText, schedButtons, schedError,
    legend, plot, canvas, ctx, gutter, tooltip, empty, transcript, status,
    axisSelect, explainButton, playButton, playIcon, speedSelect, playheadTime, narration,
  };
}
