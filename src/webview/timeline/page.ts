/**
 * Builds the Timeline page's elements once: toolbar (run pickers, align, zoom buttons), run
 * header, scheduler bar, legend, plot (canvas, lane labels, tooltip), transcript pane and status
 * line. Returns them by name; what they do is wired by the modules that own each part.
 */
import { el, iconButton, setOptions } from '../shared/dom';
import { describeLegend } from './legend';
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
  saveImage: () => void;
}

export type TimelineDom = ReturnType<typeof buildPage>;

export function buildPage(actions: PageActions, align: Align) {
  const app = el('div', 'app');
  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Timeline controls');
  const runPicker = el('select', 'picker');
  runPicker.setAttribute('aria-label', 'Run to show');
  const comparePicker = el('select', 'picker');
  comparePicker.setAttribute('aria-label', 'Run to compare with (stacked on the same time scale)');
  const pickLabel = el('label', 'picker-label', 'Run');
  const cmpLabel = el('label', 'picker-label', 'Compare');
  pickLabel.append(runPicker);
  cmpLabel.append(comparePicker);
  const zoomIn = iconButton('zoom-in', 'Zoom in (+)', actions.zoomIn);
  const zoomOut = iconButton('zoom-out', 'Zoom out (−)', actions.zoomOut);
  const fitBtn = iconButton('screen-normal', 'Fit the whole run (0)', actions.fit);
  const followBtn = iconButton('debug-continue', 'Follow the newest time (End)', actions.follow);
  const clearBtn = iconButton('clear-all', 'Clear the selection (Escape)', actions.clearSelection);
  const imageBtn = iconButton('device-camera', 'Save Timeline Image… (a PNG for slides)', actions.saveImage);
  const alignSelect = el('select', 'picker align-select');
  alignSelect.setAttribute('aria-label', 'Align compared runs on their first event or on their start');
  alignSelect.title = 'Compare mode: line the runs up on their first event (default), or on each run\u2019s own start';
  setOptions(alignSelect, [{ value: 'first', label: 'first event' }, { value: 'start', label: 'run start' }], align);
  const alignLabel = el('label', 'picker-label', 'Align');
  alignLabel.append(alignSelect);
  toolbar.append(pickLabel, cmpLabel, alignLabel, el('span', 'spacer'), zoomIn, zoomOut, fitBtn, followBtn, clearBtn, imageBtn);

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
  scheduler.setAttribute('aria-label', 'Be the scheduler: grant the print lock');
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
  legend.setAttribute('aria-label', 'Legend');

  const body = el('div', 'body');
  const plotWrap = el('div', 'plot-wrap');
  const plot = el('div', 'plot');
  const canvas = el('canvas', 'plot-canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Timeline plot. Plus and minus zoom, left and right arrows pan, Home goes to the start, End follows the newest time, 0 fits the run, Escape clears the selection, G goes to the Grant buttons when you are the scheduler.');
  const gutter = el('div', 'gutter');
  const tooltip = el('div', 'tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  const empty = el('div', 'empty');
  plot.append(canvas, gutter, tooltip, empty);
  plotWrap.append(plot);
  const transcript = new TranscriptPane(actions.selectLine);
  body.append(plotWrap, transcript.element);

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
  };
}
