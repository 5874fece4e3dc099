/**
 * The Learn part of the Timeline's protocol (issue 12): the playhead, the axis mode and the
 * narration pane. Host -> page messages are trusted (we built them; the tests drive the page with
 * them); page -> host messages and the page's "what I drew" Learn report are checked whole here
 * against their shapes and bounds (timeline.ts calls these parsers from its allow-list). Pure: no
 * Node, no DOM, no `vscode`.
 */
import { MAX_ITEMS, hasOnly, isNum, isObj, isRunId, isStr } from './validate';

/** How the x axis maps time: real time, or every event the same width in the order it happened. */
export type AxisMode = 'time' | 'order';

export type HostToTimelineLearn =
  /** Place the playhead at tMs (ms since the main run's start), or remove it (null). */
  | { type: 'playhead'; tMs: number | null }
  /** Step the playhead to the next (1) or previous (-1) event boundary of the main run. */
  | { type: 'step'; direction: 1 | -1 }
  | { type: 'axisMode'; mode: AxisMode }
  /** Open or close the narration pane; `pick`: click that sentence (0-based). */
  | { type: 'narration'; open: boolean; pick?: number };

export type TimelineLearnToHost =
  /** The playhead moved: the host marks each process's line in the program editor, if it is open. */
  | { type: 'playhead'; runId: string; tMs: number }
  /** An event was clicked: the host reveals the line of process `name` at tMs in the program editor, if open. */
  | { type: 'revealEvent'; runId: string; tMs: number; name: string };

/** What the page shows of the Learn features (in its 'rendered' report). */
export interface TimelineLearnReport {
  axisMode: AxisMode;
  playhead: null | {
    tMs: number;
    /** Per process lane of the main run, as drawn at the playhead: name, state and listing line. */
    processes: { name: string; state: string; line: number | null }[];
    /** The queue's items as drawn on its track, oldest first ("S1:3", "S1:done"). */
    queue: string[];
    printed: number;
    /** Lines the transcript shows (only those printed so far). */
    transcriptLines: number;
  };
  /** Event order mode: the widths (px) of the steps between events, and the gaps with their labels. */
  eventOrder: null | { steps: number; minStepPx: number; maxStepPx: number; gaps: { realMs: number; widthPx: number; label: string }[] };
  narration: { open: boolean; sentences: number; selected: null | { index: number; fromMs: number; toMs: number; events: number; transcriptLines: number[] } };
}

const isList = (x: unknown, each: (v: unknown) => boolean): x is unknown[] => Array.isArray(x) && x.length <= MAX_ITEMS && x.every(each);

/** A Learn message from the page, rebuilt from its checked fields; undefined if off the allow-list. */
export function parseLearnMessage(m: Record<string, unknown>): TimelineLearnToHost | undefined {
  if (m.type === 'playhead') {
    if (!hasOnly(m, ['type', 'runId', 'tMs']) || !isRunId(m.runId) || !isNum(m.tMs) || m.tMs < 0) { return undefined; }
    return { type: 'playhead', runId: m.runId, tMs: m.tMs };
  }
  if (m.type === 'revealEvent') {
    if (!hasOnly(m, ['type', 'runId', 'tMs', 'name']) || !isRunId(m.runId) || !isNum(m.tMs) || m.tMs < 0) { return undefined; }
    if (!isStr(m.name, 64) || !/^[\w -]+$/.test(m.name)) { return undefined; }
    return { type: 'revealEvent', runId: m.runId, tMs: m.tMs, name: m.name };
  }
  return undefined;
}

function parsePlayhead(x: unknown): TimelineLearnReport['playhead'] | undefined {
  if (x === null) { return null; }
  if (!isObj(x) || !hasOnly(x, ['tMs', 'processes', 'queue', 'printed', 'transcriptLines'])) { return undefined; }
  const { tMs, processes, queue, printed, transcriptLines } = x;
  if (!isNum(tMs) || !isNum(printed) || !isNum(transcriptLines) || !isList(queue, (q) => isStr(q, 64))) { return undefined; }
  const okProc = (p: unknown) => isObj(p) && hasOnly(p, ['name', 'state', 'line']) && isStr(p.name, 64) && isStr(p.state, 32) && (p.line === null || isNum(p.line));
  if (!isList(processes, okProc)) { return undefined; }
  return {
    tMs, printed, transcriptLines, queue: queue as string[],
    processes: (processes as Record<string, unknown>[]).map((p) => ({ name: p.name as string, state: p.state as string, line: p.line as number | null })),
  };
}

function parseEventOrder(x: unknown): TimelineLearnReport['eventOrder'] | undefined {
  if (x === null) { return null; }
  if (!isObj(x) || !hasOnly(x, ['steps', 'minStepPx', 'maxStepPx', 'gaps'])) { return undefined; }
  const { steps, minStepPx, maxStepPx, gaps } = x;
  const okGap = (g: unknown) => isObj(g) && hasOnly(g, ['realMs', 'widthPx', 'label']) && isNum(g.realMs) && isNum(g.widthPx) && isStr(g.label, 200);
  if (!isNum(steps) || !isNum(minStepPx) || !isNum(maxStepPx) || !isList(gaps, okGap)) { return undefined; }
  return { steps, minStepPx, maxStepPx, gaps: (gaps as Record<string, unknown>[]).map((g) => ({ realMs: g.realMs as number, widthPx: g.widthPx as number, label: g.label as string })) };
}

function parseNarration(x: unknown): TimelineLearnReport['narration'] | undefined {
  if (!isObj(x) || !hasOnly(x, ['open', 'sentences', 'selected']) || typeof x.open !== 'boolean' || !isNum(x.sentences)) { return undefined; }
  const sel = x.selected;
  if (sel === null) { return { open: x.open, sentences: x.sentences, selected: null }; }
  if (!isObj(sel) || !hasOnly(sel, ['index', 'fromMs', 'toMs', 'events', 'transcriptLines'])) { return undefined; }
  const { index, fromMs, toMs, events, transcriptLines } = sel;
  if (!isNum(index) || !isNum(fromMs) || !isNum(toMs) || !isNum(events) || !isList(transcriptLines, isNum)) { return undefined; }
  return { open: x.open, sentences: x.sentences, selected: { index, fromMs, toMs, events, transcriptLines: transcriptLines as number[] } };
}

/** The Learn part of a 'rendered' report, checked whole; undefined if anything is off. */
export function parseLearnReport(x: unknown): TimelineLearnReport | undefined {
  if (!isObj(x) || !hasOnly(x, ['axisMode', 'playhead', 'eventOrder', 'narration'])) { return undefined; }
  if (x.axisMode !== 'time' && x.axisMode !== 'order') { return undefined; }
  const playhead = parsePlayhead(x.playhead);
  const eventOrder = parseEventOrder(x.eventOrder);
  const narration = parseNarration(x.narration);
  if (playhead === undefined || eventOrder === undefined || !narration) { return undefined; }
  return { axisMode: x.axisMode, playhead, eventOrder, narration };
}
