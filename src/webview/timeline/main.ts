/**
 * The Timeline webview: receives runs from the host (protocol.ts), keeps them as columns
 * (model.ts), draws them on a canvas (render.ts) and handles zoom, pan, hover, selection, the
 * transcript pane, the run picker and compare mode. No `vscode` import: it talks only through
 * postMessage. Every string shown goes in as text.
 */
import './timeline.css';
import { EventKind, type HostToTimeline, type TimelineRendered, type TimelineRunListItem, type TimelineSlot, type TimelineToHost } from '../../protocol';
import { describeLegend } from './legend';
import { eventDetails, kindWords, runHeader, verdictWords } from './describe';
import { el, iconButton, setOptions } from './dom';
import { hitLane } from './hit';
import { laneRows, layoutTracks, trackAt, type Track } from './layout';
import { HOST_LANE, RunData } from './model';
import { draw, drawnHolderSpans } from './render';
import { readPalette, onThemeChange, type Palette } from './theme';
import { formatDuration } from './ticks';
import { TranscriptPane } from './transcriptPane';
import { alignShifts, clampTo, fitAll, followEnd, panBy, span, tOf, zoomAt, type Align, type Viewport } from './viewport';

interface VsCodeApi {
  postMessage(message: TimelineToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Follow = 'fit' | 'tail' | 'off';
interface SavedState {
  runId: string | null;
  compareRunId: string | null;
  vp?: Viewport;
  follow?: Follow;
  align?: Align;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
const GUTTER = 128;
const SLOTS: TimelineSlot[] = ['main', 'compare'];

// ---------------------------------------------------------------- state
const runs: (RunData | undefined)[] = [undefined, undefined];
let runList: TimelineRunListItem[] = [];
let dropped = 0;
let keep = 20;
let vp: Viewport = saved.vp ?? { t0: 0, t1: 1e9 };
let follow: Follow = saved.follow ?? 'fit';
let restoreVp: { runId: string; vp: Viewport; follow: Follow } | undefined =
  saved.runId && saved.vp ? { runId: saved.runId, vp: saved.vp, follow: saved.follow ?? 'fit' } : undefined;
let selection: { slot: number; events: number[]; primary: number } | undefined;
let hover: { slot: number; e: number } | undefined;
let tracks: Track[] = [];
let palette: Palette = readPalette();
let notice = '';
let align: Align = saved.align === 'start' ? 'start' : 'first';
/** The main slot's live run: who holds its print lock, who waits, and whether the user grants it. */
let lockView: { runId: string; holder: string | null; waiting: string[]; manual: boolean; error?: string } | undefined;

// ---------------------------------------------------------------- DOM
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
const zoomIn = iconButton('zoom-in', 'Zoom in (+)', () => zoomBy(2));
const zoomOut = iconButton('zoom-out', 'Zoom out (−)', () => zoomBy(0.5));
const fitBtn = iconButton('screen-normal', 'Fit the whole run (0)', () => { follow = 'fit'; refit(); });
const followBtn = iconButton('debug-continue', 'Follow the newest time (End)', () => { follow = 'tail'; refit(); });
const clearBtn = iconButton('clear-all', 'Clear the selection (Escape)', () => selectEvents(undefined));
const alignSelect = el('select', 'picker align-select');
alignSelect.setAttribute('aria-label', 'Align compared runs on their first event or on their start');
alignSelect.title = 'Compare mode: line the runs up on their first event (default), or on each run\u2019s own start';
setOptions(alignSelect, [{ value: 'first', label: 'first event' }, { value: 'start', label: 'run start' }], align);
const alignLabel = el('label', 'picker-label', 'Align');
alignLabel.append(alignSelect);
toolbar.append(pickLabel, cmpLabel, alignLabel, el('span', 'spacer'), zoomIn, zoomOut, fitBtn, followBtn, clearBtn);

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
const transcript = new TranscriptPane((line) => selectLine(line));
body.append(plotWrap, transcript.element);

const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');

app.append(toolbar, header, scheduler, legend, body, status);
document.body.append(app);
describeLegend(legend);

// ---------------------------------------------------------------- messages
function post(m: TimelineToHost): void { vscode.postMessage(m); }

function saveState(): void {
  const state: SavedState = { runId: runs[0]?.runId ?? null, compareRunId: runs[1]?.runId ?? null, vp, follow, align };
  vscode.setState(state);
}
let saveTimer: number | undefined;
function saveSoon(): void {
  if (saveTimer === undefined) { saveTimer = window.setTimeout(() => { saveTimer = undefined; saveState(); }, 300); }
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as HostToTimeline;
  if (!m || typeof m !== 'object') { return; }
  try { onMessage(m); } catch (err) { post({ type: 'log', level: 'error', message: `timeline: ${(err as Error).message}` }); }
});

function slotIndex(slot: TimelineSlot): number { return slot === 'main' ? 0 : 1; }

function onMessage(m: HostToTimeline): void {
  switch (m.type) {
    case 'runs':
      runList = m.runs;
      dropped = m.dropped;
      keep = m.keep;
      updatePickers();
      break;
    case 'load': {
      const i = slotIndex(m.slot);
      const same = runs[i]?.runId === m.run.runId;
      runs[i] = new RunData(m.run, m.totalEvents, m.live);
      // The same run again (the page was kept while hidden): keep the view and the selection.
      if (i === 0 && !same) {
        selection = undefined;
        hover = undefined;
        if (restoreVp?.runId === m.run.runId) { vp = restoreVp.vp; follow = restoreVp.follow; } else { follow = 'fit'; }
        restoreVp = undefined;
        transcript.select(-1);
        // Until its lines come: none (not the lines of the run shown before).
        transcript.setLines([]);
      }
      if (i === 0 && lockView?.runId !== m.run.runId) { lockView = undefined; }
      if (i === 0) { updateScheduler(); }
      notice = '';
      relayout();
      updateHeader();
      updatePickers();
      saveSoon();
      break;
    }
    case 'events': {
      const run = runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      if (!run.append(m.batch)) { post({ type: 'log', level: 'warn', message: `timeline: events from ${m.batch.from} do not follow the ${run.length} held; ignored` }); }
      if (run.lanes.size - (run.lanes.has(HOST_LANE) ? 1 : 0) > run.meta.processes.length) { relayout(); }
      if (run.lockOff.any) { overlapSoon(); }
      refit();
      break;
    }
    case 'lines': {
      const run = runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      run.addLines(m.from, m.lines, m.truncated ?? 0);
      if (run === runs[0]) { transcriptSoon(!run.live); }
      schedule();
      break;
    }
    case 'ended': {
      const run = runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      run.verdict = m.verdict;
      run.live = false;
      if (run === runs[0]) { flushTranscript(); }
      updateScheduler();
      updateHeader();
      updatePickers();
      refit();
      break;
    }
    case 'clear': {
      const i = slotIndex(m.slot);
      runs[i] = undefined;
      if (i === 0) {
        selection = undefined; hover = undefined; transcript.setLines([]); lockView = undefined; updateScheduler();
        // Nothing to show: the axis starts over (not at a view kept for a run that is gone).
        restoreVp = undefined;
        follow = 'fit';
        refit();
      }
      if (m.reason) { notice = m.reason; }
      relayout();
      updateHeader();
      updatePickers();
      saveSoon();
      break;
    }
    case 'report':
      drawNow();
      post({ type: 'rendered', report: report(m.token) });
      break;
    case 'lockState':
      lockView = { runId: m.runId, holder: m.holder, waiting: [...m.waiting], manual: m.manual, ...(m.error ? { error: m.error } : {}) };
      updateScheduler();
      break;
  }
}

let transcriptTimer: number | undefined;
let transcriptDirty = false;
/**
 * Shows the main run's lines: at once for a finished run, at most every 100 ms while one goes.
 * The next frame flushes too: a page VS Code is still swapping in may hold its timers back
 * (seen with a cold workbench), and the lines must not wait for that.
 */
function transcriptSoon(now = false): void {
  transcriptDirty = true;
  if (now) { flushTranscript(); return; }
  if (transcriptTimer !== undefined) { return; }
  transcriptTimer = window.setTimeout(() => { transcriptTimer = undefined; flushTranscript(); }, 100);
}
function flushTranscript(): void {
  if (!transcriptDirty) { return; }
  transcriptDirty = false;
  const run = runs[0];
  transcript.setLines(run?.lines ?? [], run?.linesTruncated ? `${run.linesTruncated.toLocaleString('en-US')} more not shown` : '');
}

// ---------------------------------------------------------------- header, pickers
function updatePickers(): void {
  const label = (r: TimelineRunListItem) => `${r.label}${r.live ? ' (running)' : r.ok === false ? ' (failed)' : ''}`;
  const opts = runList.map((r) => ({ value: r.runId, label: label(r) }));
  const main = runs[0];
  if (main && !opts.some((o) => o.value === main.runId)) { opts.unshift({ value: main.runId, label: `${main.meta.label} (no longer kept)` }); }
  setOptions(runPicker, opts.length ? opts : [{ value: '', label: 'no runs yet' }], main?.runId ?? '');
  runPicker.disabled = opts.length === 0;
  setOptions(comparePicker, [{ value: '', label: 'none' }, ...opts.filter((o) => o.value !== main?.runId)], runs[1]?.runId ?? '');
  comparePicker.disabled = opts.length < 2;
  updateNotice();
}

function updateNotice(): void {
  const parts: string[] = [];
  if (notice) { parts.push(notice); }
  if (dropped > 0) { parts.push(`Keeping the last ${keep} runs: ${dropped} older run${dropped === 1 ? ' was' : 's were'} dropped.`); }
  noticeEl.textContent = parts.join(' ');
  noticeEl.hidden = parts.length === 0;
}

function updateHeader(): void {
  const main = runs[0];
  empty.hidden = !!main;
  empty.textContent = main ? '' : 'No run to show yet. Run “Shout/Hear: Run Shout/Hear” from the Command Palette: it appears here live.';
  headerTitle.textContent = main ? runHeader(main.meta) : 'Shout/Hear Timeline';
  headerVerdict.replaceChildren();
  for (const run of runs) {
    if (!run) { continue; }
    const v = verdictWords(run.verdict, run.live);
    const row = el('div', `verdict ${v.ok === true ? 'ok' : v.ok === false ? 'bad' : ''}`);
    const icon = el('span', `codicon codicon-${v.icon}`);
    icon.setAttribute('aria-hidden', 'true');
    row.append(icon, el('span', '', `${run === runs[1] ? `${run.meta.label}: ` : ''}${v.text}`));
    headerVerdict.append(row);
  }
  if (runs[1]) {
    headerTitle.textContent += ` — compared with ${runHeader(runs[1].meta)}, aligned on ${align === 'first' ? 'each run\u2019s first event' : 'each run\u2019s start'}`;
  }
  alignSelect.disabled = !runs[1];
  describeLegend(legend, { lockOff: runs.some((r) => r?.meta.config.useLock === false || r?.lockOff.any) });
  updateOverlap();
  updateNotice();
}

/** Lock off: how many lines were written while another process was mid-line. */
function updateOverlap(): void {
  const parts: string[] = [];
  for (const run of runs) {
    if (!run || !run.lockOff.any) { continue; }
    const o = run.lockOff.result(run.live ? 400 : 0);
    const who = run === runs[1] ? `${run.meta.label}: ` : '';
    parts.push(`${who}lock off — ${o.overlapping.toLocaleString('en-US')} of ${o.lines.toLocaleString('en-US')} line${o.lines === 1 ? '' : 's'} written while another process was mid-line${o.overlapping > 0 ? ' (marked in the warning colour)' : ''}.`);
  }
  overlapNote.replaceChildren();
  overlapNote.hidden = parts.length === 0;
  if (parts.length) {
    const icon = el('span', 'codicon codicon-warning');
    icon.setAttribute('aria-hidden', 'true');
    overlapNote.append(icon, el('span', '', parts.join(' ')));
  }
}
let overlapTimer: number | undefined;
function overlapSoon(): void {
  if (overlapTimer === undefined) { overlapTimer = window.setTimeout(() => { overlapTimer = undefined; updateOverlap(); }, 250); }
}

/** The scheduler bar: shown for the live run in the main slot when its lock policy is "manual". */
function updateScheduler(): void {
  const main = runs[0];
  const lv = lockView && main && lockView.runId === main.runId && main.live && lockView.manual ? lockView : undefined;
  const hadFocus = scheduler.contains(document.activeElement);
  const focusedName = (document.activeElement as HTMLElement | null)?.dataset?.grant;
  scheduler.hidden = !lv;
  markWaiting();
  if (!lv) { schedButtons.replaceChildren(); schedError.textContent = ''; return; }
  const free = lv.holder === null;
  const list = lv.waiting.join(', ');
  // Lock off: the host still decides whose piece of a line is written next (a turn to write).
  const what = main?.meta.config.useLock === false ? 'turn to write a piece of a line' : 'print lock';
  schedText.textContent = !free
    ? `You are the scheduler. The ${what} is held by ${lv.holder}${lv.waiting.length ? `; waiting: ${list}` : ''}.`
    : lv.waiting.length
      ? `You are the scheduler. The ${what} is free; waiting for it: ${list}. Grant it to:`
      : `You are the scheduler. The ${what} is free; nobody waits for it yet.`;
  const old = new Map(Array.from(schedButtons.children as HTMLCollectionOf<HTMLButtonElement>).map((b) => [b.dataset.grant ?? '', b]));
  const buttons = (free ? lv.waiting : []).map((name) => {
    const existing = old.get(name);
    if (existing) { existing.dataset.run = lv.runId; return existing; }
    const b = el('button', 'grant-button');
    b.type = 'button';
    b.dataset.grant = name;
    b.dataset.run = lv.runId;
    b.setAttribute('aria-label', `Grant the print lock to ${name}`);
    b.title = `Grant the print lock to ${name}`;
    const icon = el('span', 'codicon codicon-unlock');
    icon.setAttribute('aria-hidden', 'true');
    b.append(icon, el('span', '', `Grant ${name}`));
    b.addEventListener('click', () => post({ type: 'grant', runId: b.dataset.run ?? '', name }));
    return b;
  });
  schedButtons.replaceChildren(...buttons);
  schedError.textContent = lv.error ?? '';
  // Keyboard users keep their place: the same process's button, else the first, else the bar.
  if (hadFocus) { (buttons.find((b) => b.dataset.grant === focusedName) ?? buttons[0] ?? scheduler).focus(); }
}

runPicker.addEventListener('change', () => post({ type: 'select', slot: 'main', runId: runPicker.value || null }));
comparePicker.addEventListener('change', () => post({ type: 'select', slot: 'compare', runId: comparePicker.value || null }));

// ---------------------------------------------------------------- layout & drawing
function relayout(): void {
  const slots = runs.filter((r): r is RunData => !!r).map((r) => ({
    label: r.meta.label,
    processes: [...r.meta.processes, ...[...r.lanes.keys()].filter((p) => p !== HOST_LANE && !r.meta.processes.some((q) => q.proc === p)).map((p) => ({ proc: p, name: `process ${p}` }))],
  }));
  const laid = layoutTracks(slots);
  // Slot numbers in tracks count shown runs; map them back to runs[] indices.
  const shown = runs.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
  tracks = laid.tracks.map((t) => ({ ...t, slot: shown[t.slot] }));
  plot.style.height = `${Math.max(laid.height, 120)}px`;
  gutter.replaceChildren(...tracks.map((t) => {
    const label = el('div', `gutter-label gutter-${t.kind}`, t.label);
    label.style.top = `${t.kind === 'lane' ? laneRows(t).barY : t.y}px`;
    label.style.height = `${t.kind === 'lane' ? laneRows(t).barH : t.h}px`;
    label.title = t.label;
    if (t.kind === 'lane') { label.dataset.slot = String(t.slot); label.dataset.proc = String(t.proc); }
    return label;
  }));
  markWaiting();
  resize();
}

/** Manual scheduling: the lanes of the processes waiting for the lock say so (beside their name). */
function markWaiting(): void {
  const main = runs[0];
  const waiting = new Set(lockView && main && lockView.runId === main.runId && main.live ? lockView.waiting : []);
  for (const label of Array.from(gutter.querySelectorAll<HTMLElement>('.gutter-lane'))) {
    const proc = Number(label.dataset.proc);
    const name = label.dataset.slot === '0' && main ? main.nameOf(proc) : '';
    const waits = waiting.has(name);
    label.classList.toggle('gutter-waiting', waits);
    label.title = waits ? `${label.textContent ?? ''}: waiting for the print lock` : label.textContent ?? '';
  }
}

let frame = 0;
function schedule(): void {
  if (frame === 0) { frame = requestAnimationFrame(() => { frame = 0; drawNow(); }); }
}

let cssW = 0;
let cssH = 0;
function resize(): void {
  const dpr = window.devicePixelRatio || 1;
  cssW = plot.clientWidth;
  cssH = plot.clientHeight;
  canvas.width = Math.max(1, Math.round(cssW * dpr));
  canvas.height = Math.max(1, Math.round(cssH * dpr));
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  schedule();
}
new ResizeObserver(resize).observe(plot);

const ctx = canvas.getContext('2d', { alpha: false })!;
let lastReportKey = '';
let reportTimer: number | undefined;
const frameTimes: number[] = [];

/** Per slot: the run's time at 0 on the shared axis (compare mode aligns runs on their first event). */
function shifts(): number[] {
  return alignShifts(runs.map((r) => (r ? (Number.isFinite(r.start) ? r.start : 0) : undefined)), align);
}

function drawNow(): void {
  flushTranscript();
  // Likewise the saved state (what a window reload brings back): on the next frame at the latest.
  if (saveTimer !== undefined) { clearTimeout(saveTimer); saveTimer = undefined; saveState(); }
  const start = performance.now();
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  draw(ctx, { width: cssW, height: cssH, gutter: GUTTER, vp, runs, tracks, selection, hover, palette, shift: shifts() });
  frameTimes.push(performance.now() - start);
  if (frameTimes.length > 600) { frameTimes.splice(0, frameTimes.length - 600); }
  const main = runs[0];
  const key = main ? `${main.runId}/${main.length}/${main.lines.length}/${main.live}/${runs[1]?.runId ?? ''}` : `none/${runs[1]?.runId ?? ''}`;
  if (key !== lastReportKey) {
    lastReportKey = key;
    if (reportTimer !== undefined) { clearTimeout(reportTimer); }
    reportTimer = window.setTimeout(() => { reportTimer = undefined; post({ type: 'rendered', report: report(0) }); }, 200);
  }
}

function holderTriples(flat: number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) { out.push([flat[i], flat[i + 1], flat[i + 2]]); }
  return out;
}

function report(token: number): TimelineRendered {
  const main = runs[0];
  return {
    token,
    runId: main?.runId ?? null,
    compareRunId: runs[1]?.runId ?? null,
    lanes: tracks.filter((t) => t.kind === 'lane' && t.slot === 0).map((t) => t.label),
    events: main?.length ?? 0,
    kinds: main?.kindCountsByName() ?? {},
    lines: main?.lines.length ?? 0,
    laneLabels: Array.from(gutter.querySelectorAll('.gutter-lane')).map((e) => e.textContent ?? ''),
    transcriptSample: transcript.sample(5),
    // Everything built from data lives under the app root; nothing there may be an active element.
    foreignElements: app.querySelectorAll('img, script, iframe, object, embed, svg, link, style').length,
    viewport: { t0: vp.t0, t1: vp.t1, following: follow !== 'off' },
    waiting: lockView && main && lockView.runId === main.runId && main.live ? [...lockView.waiting] : [],
    grantButtons: scheduler.hidden ? [] : Array.from(schedButtons.querySelectorAll('button')).filter((b) => !b.disabled).map((b) => b.dataset.grant ?? ''),
    overlappingLines: main?.lockOff.any ? main.lockOff.result().overlapping : 0,
    align,
    holderSpans: main ? holderTriples(drawnHolderSpans.get(main.runId) ?? []) : [],
  };
}

// ---------------------------------------------------------------- view changes
function extentEnd(): number {
  const sh = shifts();
  return Math.max(0, ...runs.map((r, i) => (r ? r.end - sh[i] : 0)));
}
function extentStart(): number {
  const sh = shifts();
  const s = Math.min(...runs.map((r, i) => (r ? r.start - sh[i] : Infinity)));
  return Number.isFinite(s) ? s : 0;
}

alignSelect.addEventListener('change', () => {
  align = alignSelect.value === 'start' ? 'start' : 'first';
  follow = 'fit';
  updateHeader();
  refit();
  status.textContent = `Compared runs are aligned on ${align === 'first' ? 'their first events' : 'their starts'}.`;
});

function refit(): void {
  const end = extentEnd();
  if (follow === 'fit') { vp = fitAll(end, extentStart()); } else if (follow === 'tail') { vp = followEnd(vp, end); }
  schedule();
  saveSoon();
}

function plotWidth(): number { return Math.max(1, cssW - GUTTER); }

function zoomBy(factor: number, anchorX?: number): void {
  const anchor = anchorX === undefined ? (follow !== 'off' ? extentEnd() : (vp.t0 + vp.t1) / 2) : tOf(vp, plotWidth(), anchorX - GUTTER);
  vp = clampTo(zoomAt(vp, factor, anchor, Math.max(extentEnd() * 4, 1e7)), extentEnd());
  if (follow === 'fit') { follow = anchorX === undefined ? 'tail' : 'off'; }
  schedule();
  saveSoon();
}

function panPx(dx: number): void {
  vp = clampTo(panBy(vp, (dx / plotWidth()) * span(vp)), extentEnd());
  follow = 'off';
  schedule();
  saveSoon();
}

function reveal(run: RunData, e: number): void {
  const t = run.t[e] - (shifts()[runs.indexOf(run)] ?? 0);
  if (t >= vp.t0 && t + run.dur[e] <= vp.t1) { return; }
  const s = span(vp);
  vp = { t0: t - s / 2, t1: t + s / 2 };
  follow = 'off';
}

// ---------------------------------------------------------------- selection
function selectEvents(sel: { slot: number; events: number[]; primary: number } | undefined): void {
  selection = sel;
  const run = sel ? runs[sel.slot] : undefined;
  if (!sel || !run) {
    transcript.select(-1);
    status.textContent = 'Selection cleared.';
    schedule();
    return;
  }
  if (sel.slot === 0) { transcript.select(run.lineOfEvent(sel.primary)); }
  status.textContent = `Selected ${eventDetails(run, sel.primary).join(' · ')}`;
  schedule();
}

function selectLine(line: number): void {
  const run = runs[0];
  if (!run) { return; }
  const events = run.eventsOfLine(line);
  transcript.select(line, false);
  if (events.length === 0) { selection = undefined; status.textContent = `Line ${line + 1} has no event in the trace.`; schedule(); return; }
  reveal(run, events[0]);
  selection = { slot: 0, events, primary: events[0] };
  status.textContent = `Line ${line + 1}: ${eventDetails(run, events[0]).join(' · ')}`;
  schedule();
  saveSoon();
}

// ---------------------------------------------------------------- pointer & keys
function hitAt(x: number, y: number): { slot: number; e: number } | { slot: number; info: string[] } | undefined {
  if (x < GUTTER) { return undefined; }
  const tr = trackAt(tracks, y);
  if (!tr) { return undefined; }
  const run = runs[tr.slot];
  if (!run) { return undefined; }
  const nsPerPx = span(vp) / plotWidth();
  // In the run's own clock.
  const t = tOf(vp, plotWidth(), x - GUTTER) + (shifts()[tr.slot] ?? 0);
  if (tr.kind === 'lane') {
    const lane = run.lanes.get(tr.proc);
    if (!lane) { return undefined; }
    const rows = laneRows(tr);
    const e = hitLane(run, lane, t, nsPerPx * 4, y >= rows.markY - 2 ? 'marks' : 'bar');
    return e >= 0 ? { slot: tr.slot, e } : undefined;
  }
  if (tr.kind === 'depth') {
    if (t < 0 || t > run.end) { return undefined; }
    return { slot: tr.slot, info: [`queue depth ${run.depthAt(t)}`, `at ${formatDuration(t)}`] };
  }
  if (tr.kind === 'lock') {
    // The lock is held exactly while a line is printed (every policy): whoever prints holds it.
    for (const p of run.meta.processes) {
      const lane = run.lanes.get(p.proc);
      const e = lane ? hitLane(run, lane, t, nsPerPx * 2, 'bar') : -1;
      if (e >= 0 && run.kind[e] === EventKind.Print) {
        return { slot: tr.slot, info: [`print lock held by ${p.name} (printing)`, `from ${formatDuration(run.t[e])} for ${formatDuration(run.dur[e])}`] };
      }
    }
    return { slot: tr.slot, info: [run.meta.config.useLock === false ? 'lock off: nobody holds it' : 'print lock free', `at ${formatDuration(t)}`] };
  }
  return undefined;
}

function showTooltip(x: number, y: number, lines: string[]): void {
  tooltip.replaceChildren(...lines.map((l, i) => el('div', i === 0 ? 'tip-title' : 'tip-line', l)));
  tooltip.hidden = false;
  const w = tooltip.offsetWidth;
  tooltip.style.left = `${Math.min(x + 14, cssW - w - 4)}px`;
  tooltip.style.top = `${y + 16}px`;
}

let drag: { x: number; moved: boolean; id: number } | undefined;
canvas.addEventListener('pointerdown', (ev) => {
  drag = { x: ev.offsetX, moved: false, id: ev.pointerId };
  canvas.setPointerCapture(ev.pointerId);
});
canvas.addEventListener('pointermove', (ev) => {
  if (drag) {
    const dx = ev.offsetX - drag.x;
    if (drag.moved || Math.abs(dx) > 3) {
      drag.moved = true;
      drag.x = ev.offsetX;
      panPx(-dx);
      tooltip.hidden = true;
      return;
    }
  }
  const hit = hitAt(ev.offsetX, ev.offsetY);
  const prev = hover;
  if (hit && 'e' in hit) {
    hover = hit;
    const run = runs[hit.slot]!;
    showTooltip(ev.offsetX, ev.offsetY, eventDetails(run, hit.e));
  } else {
    hover = undefined;
    if (hit) { showTooltip(ev.offsetX, ev.offsetY, hit.info); } else { tooltip.hidden = true; }
  }
  if (prev?.e !== hover?.e || prev?.slot !== hover?.slot) { schedule(); }
});
canvas.addEventListener('pointerleave', () => { tooltip.hidden = true; if (hover) { hover = undefined; schedule(); } });
canvas.addEventListener('pointerup', (ev) => {
  const wasDrag = drag?.moved;
  drag = undefined;
  if (wasDrag) { return; }
  const hit = hitAt(ev.offsetX, ev.offsetY);
  if (hit && 'e' in hit) {
    const run = runs[hit.slot]!;
    selectEvents({ slot: hit.slot, events: run.storyOf(hit.e), primary: hit.e });
  } else if (selection) {
    selectEvents(undefined);
  }
});
canvas.addEventListener('wheel', (ev) => {
  ev.preventDefault();
  if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY) || ev.shiftKey) {
    panPx(ev.shiftKey ? ev.deltaY : ev.deltaX);
    return;
  }
  // Pinch arrives as ctrl+wheel with small deltas; a mouse wheel notch is about 100.
  const factor = Math.exp(-ev.deltaY * (ev.ctrlKey ? 0.01 : 0.002));
  zoomBy(factor, ev.offsetX);
}, { passive: false });
canvas.addEventListener('keydown', (ev) => {
  const step = plotWidth() * (ev.shiftKey ? 0.5 : 0.1);
  switch (ev.key) {
    case '+': case '=': zoomBy(2); break;
    case '-': case '_': zoomBy(0.5); break;
    case 'ArrowLeft': panPx(-step); break;
    case 'ArrowRight': panPx(step); break;
    case 'Home': { const s = span(vp); vp = clampTo({ t0: -s * 0.02, t1: s * 0.98 }, extentEnd()); follow = 'off'; schedule(); saveSoon(); break; }
    case 'End': follow = 'tail'; refit(); break;
    case '0': case 'f': follow = 'fit'; refit(); break;
    case 'Escape': selectEvents(undefined); break;
    case 'g': {
      // Be the scheduler from the plot: jump to the Grant buttons.
      const first = schedButtons.querySelector('button');
      if (first && !scheduler.hidden) { first.focus(); } else { status.textContent = 'Nobody waits for the free lock (Grant needs lock policy "manual").'; }
      break;
    }
    default: return;
  }
  ev.preventDefault();
});
canvas.addEventListener('focus', () => {
  const run = runs[0];
  status.textContent = run ? `Timeline of ${run.meta.label}: ${run.length.toLocaleString('en-US')} events in ${run.meta.processes.length} lanes, ${formatDuration(run.end)} long.` : 'No run shown.';
});

onThemeChange(() => { palette = readPalette(); schedule(); });
window.addEventListener('resize', resize);

relayout();
updateHeader();
updatePickers();
post({ type: 'ready', runId: saved.runId ?? null, compareRunId: saved.compareRunId ?? null });
void SLOTS;
void kindWords;

/** For the benchmark: frame times of recent draws, and a way to feed and drive without a host. */
(window as unknown as { __timeline: unknown }).__timeline = {
  frameTimes,
  drawNow,
  zoomBy,
  panPx,
  fit: () => { follow = 'fit'; refit(); },
  bytes: () => runs.reduce((b, r) => b + (r?.byteSize ?? 0), 0),
  events: () => runs[0]?.length ?? 0,
  deliver: (m: HostToTimeline) => onMessage(m),
};
