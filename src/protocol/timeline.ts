/**
 * Everything the Timeline panel and its host say to each other. Host -> page messages are
 * trusted (we built them); page -> host messages are checked by `parseTimelineMessage` against an
 * allow-list of types and shapes, rebuilt from their checked fields, and anything else is ignored
 * (and logged). The Learn part (playhead, axis mode, narration) is in timelineLearn.ts. Pure: no
 * Node, no DOM, no `vscode`.
 */
import type { ProcessRole, RunConfig } from './run';
import { parseLearnMessage, parseLearnReport, type HostToTimelineLearn, type TimelineLearnReport, type TimelineLearnToHost } from './timelineLearn';
import { hasOnly, isNum, isObj, isRunId, isStr, isStrList } from './validate';
export type { AxisMode, HostToTimelineLearn, TimelineLearnReport, TimelineLearnToHost } from './timelineLearn';

/** One process lane of a run, as the timeline shows it. */
export interface TimelineProcess {
  proc: number;
  role: ProcessRole;
  name: string;
  pid?: number;
}

/** The end of a run, in the few words the timeline's header needs. */
export interface TimelineVerdict {
  ok: boolean;
  stopped: boolean;
  timedOut: boolean;
  failure?: string;
  invariant: string;
  durationMs: number;
  naps: number;
  maxQueueDepth: number;
  lockWaits: { count: number; totalMs: number };
}

/**
 * A traced user program's queue or lock, as its own track (named by its creation site).
 * queue: `puts` and `gets` are the times (ns) of its puts and gets, each sorted;
 * lock: `held` is its held spans, flat [start, end, holder lane, ...], sorted by start.
 */
export interface TimelineObjectTrack {
  obj: number;
  kind: 'queue' | 'lock';
  label: string;
  puts?: Float64Array;
  gets?: Float64Array;
  held?: Float64Array;
}

/** What the timeline knows of a run before (or without) its events. */
export interface TimelineRunMeta {
  runId: string;
  /** Short human label, e.g. "#3 · seed 42". */
  label: string;
  seed: number;
  config: RunConfig;
  processes: TimelineProcess[];
  /** Wall-clock start (ms since the epoch), for the picker. */
  startedAt: number;
  /** Undefined while the run is going. */
  verdict?: TimelineVerdict;
  /** A traced user program: its file (clicking an event asks the host to open it at the event's line). */
  file?: string;
  /** A traced user program: its queues and locks, a track each (as of when the run was loaded). */
  objects?: TimelineObjectTrack[];
  /** A traced user program: texts of its tags per lane (texts[lane][tag - 1]: a put's repr, a print's text), bounded. */
  texts?: Record<number, string[]>;
}

/** A run in the picker: meta only. */
export type TimelineRunListItem = Pick<TimelineRunMeta, 'runId' | 'label' | 'startedAt'> & { live: boolean; ok?: boolean };

/** Which slot of the panel a run is shown in: the main one, or the second run of compare mode. */
export type TimelineSlot = 'main' | 'compare';

/**
 * A batch of events in the trace's own columnar layout (see TraceStore): `from` is the index
 * of the first one in the run's trace. The typed arrays travel as ArrayBuffers.
 */
export interface TimelineEventBatch {
  from: number;
  t: Float64Array;
  dur: Float32Array;
  value: Int32Array;
  aux: Uint32Array;
  kind: Uint8Array;
  flags: Uint8Array;
  proc: Uint16Array;
}

export type HostToTimeline =
  /** The runs of this window, newest first; `dropped`: older runs no longer kept. */
  | { type: 'runs'; runs: TimelineRunListItem[]; dropped: number; keep: number }
  /** Start showing `run` in `slot` (clears what the slot showed). `totalEvents`: a size hint. */
  | { type: 'load'; slot: TimelineSlot; run: TimelineRunMeta; totalEvents: number; live: boolean }
  | { type: 'events'; slot: TimelineSlot; runId: string; batch: TimelineEventBatch }
  /** Output lines `from`.. of the run's transcript. */
  | { type: 'lines'; slot: TimelineSlot; runId: string; from: number; lines: string[]; truncated?: number }
  | { type: 'ended'; slot: TimelineSlot; runId: string; verdict: TimelineVerdict }
  /** The slot shows nothing (compare mode off, or the run is gone). `reason` is said in the panel. */
  | { type: 'clear'; slot: TimelineSlot; reason?: string }
  /** Ask the webview to report what it drew (tests). */
  | { type: 'report'; token: number }
  /**
   * Who holds the print lock of the live run in the main slot and who waits for it (lane names).
   * `manual`: the user is the scheduler (lock policy "manual"), so the page offers a Grant button
   * per waiting process while the lock is free. `error`: the last grant failed, in words.
   */
  | { type: 'lockState'; runId: string; holder: string | null; waiting: string[]; manual: boolean; error?: string }
  /** Learn: the playhead, the axis mode, the narration pane (timelineLearn.ts). */
  | HostToTimelineLearn;

/** What the webview drew, as it reports it (for tests and diagnostics). */
export interface TimelineRendered {
  token: number;
  runId: string | null;
  compareRunId: string | null;
  /** Lane names in drawing order (process lanes of the main run). */
  lanes: string[];
  /** Events the main slot holds. */
  events: number;
  /** Events of the main slot per kind name. */
  kinds: Record<string, number>;
  lines: number;
  /** Text as shown in the DOM: the lane labels and the first transcript rows. */
  laneLabels: string[];
  transcriptSample: string[];
  /** Elements that must never be created from data: img, script, iframe, object, embed. */
  foreignElements: number;
  viewport: { t0: number; t1: number; following: boolean };
  /** The main run's processes waiting for the print lock, as the page shows them (manual scheduling). */
  waiting: string[];
  /** The Grant buttons the page offers (enabled ones), by process name. */
  grantButtons: string[];
  /** Lock off: output lines of the main run written while another process was mid-line. */
  overlappingLines: number;
  /** How runs in compare mode are aligned: on each run's own start, or on its first event. */
  align: 'start' | 'first';
  /** The page's CSS size and the height its tracks take (Save Timeline Image draws at twice the page's width). */
  page: { width: number; height: number; plotHeight: number };
  /** The lock-holder track of the main run as last drawn: [lane, from ns, to ns] (at most 4,000). */
  holderSpans: [number, number, number][];
  /** The playhead, the axis mode and the narration pane as shown. */
  learn: TimelineLearnReport;
}

export type TimelineToHost =
  /** The page loaded; `runId`/`compareRunId`: what it showed before (from its saved state). */
  | { type: 'ready'; runId: string | null; compareRunId: string | null }
  | { type: 'select'; slot: TimelineSlot; runId: string | null }
  | { type: 'rendered'; report: TimelineRendered }
  /** Be the scheduler: give the free print lock of the live run `runId` to the process `name`. */
  | { type: 'grant'; runId: string; name: string }
  /** The page holds the first `events` events of run `runId` in `slot`: the host may send more (backpressure). */
  | { type: 'received'; slot: TimelineSlot; runId: string; events: number }
  /** A traced user program: open its source at the location of event `event` (an index in the run's trace). */
  | { type: 'openSource'; runId: string; event: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | TimelineLearnToHost;

export const TIMELINE_KEEP_RUNS = 20;

/** A run id, or null (no run shown). */
function isId(x: unknown): x is string | null { return x === null || isRunId(x); }

function parseRendered(r: unknown): TimelineRendered | undefined {
  if (!isObj(r)) { return undefined; }
  const keys = ['token', 'runId', 'compareRunId', 'lanes', 'events', 'kinds', 'lines', 'laneLabels', 'transcriptSample', 'foreignElements', 'viewport', 'waiting', 'grantButtons', 'overlappingLines', 'align', 'holderSpans', 'learn', 'page'];
  if (!hasOnly(r, keys)) { return undefined; }
  const { token, runId, compareRunId, lanes, events, kinds, lines, laneLabels, transcriptSample, foreignElements, viewport, waiting, grantButtons, overlappingLines, align, page } = r;
  if (!isObj(page) || !hasOnly(page, ['width', 'height', 'plotHeight']) || !isNum(page.width) || !isNum(page.height) || !isNum(page.plotHeight)) { return undefined; }
  const holderSpans = r.holderSpans ?? [];
  if (!Array.isArray(holderSpans) || holderSpans.length > 4000 || !holderSpans.every((x) => Array.isArray(x) && x.length === 3 && x.every(isNum))) { return undefined; }
  const learn = parseLearnReport(r.learn);
  if (!learn) { return undefined; }
  if (!isStrList(waiting) || !isStrList(grantButtons) || !isNum(overlappingLines) || (align !== 'start' && align !== 'first')) { return undefined; }
  if (!isNum(token) || !isId(runId) || !isId(compareRunId) || !isStrList(lanes) || !isNum(events) || !isNum(lines)) { return undefined; }
  if (!isStrList(laneLabels) || !isStrList(transcriptSample) || !isNum(foreignElements)) { return undefined; }
  if (!isObj(kinds) || Object.keys(kinds).length > 64 || !Object.entries(kinds).every(([k, v]) => isStr(k, 64) && isNum(v))) { return undefined; }
  if (!isObj(viewport) || !hasOnly(viewport, ['t0', 't1', 'following']) || !isNum(viewport.t0) || !isNum(viewport.t1) || typeof viewport.following !== 'boolean') { return undefined; }
  return {
    token, runId, compareRunId, lanes, events, kinds: kinds as Record<string, number>, lines, laneLabels, transcriptSample, foreignElements,
    viewport: { t0: viewport.t0, t1: viewport.t1, following: viewport.following },
    waiting, grantButtons, overlappingLines, align, holderSpans: (holderSpans as number[][]).map((x) => [x[0], x[1], x[2]] as [number, number, number]), learn,
    page: { width: page.width, height: page.height, plotHeight: page.plotHeight },
  };
}

/**
 * Checks a message from the timeline webview: returns it (rebuilt from its checked fields
 * only) if its type is on the allow-list and its shape is right, else undefined.
 */
export function parseTimelineMessage(m: unknown): TimelineToHost | undefined {
  if (!isObj(m) || typeof m.type !== 'string') { return undefined; }
  switch (m.type) {
    case 'ready':
      if (!hasOnly(m, ['type', 'runId', 'compareRunId']) || !isId(m.runId ?? null) || !isId(m.compareRunId ?? null)) { return undefined; }
      return { type: 'ready', runId: (m.runId as string | null | undefined) ?? null, compareRunId: (m.compareRunId as string | null | undefined) ?? null };
    case 'select':
      if (!hasOnly(m, ['type', 'slot', 'runId']) || (m.slot !== 'main' && m.slot !== 'compare') || !isId(m.runId)) { return undefined; }
      return { type: 'select', slot: m.slot, runId: m.runId };
    case 'rendered': {
      if (!hasOnly(m, ['type', 'report'])) { return undefined; }
      const report = parseRendered(m.report);
      return report ? { type: 'rendered', report } : undefined;
    }
    case 'received':
      if (!hasOnly(m, ['type', 'slot', 'runId', 'events']) || (m.slot !== 'main' && m.slot !== 'compare') || !isId(m.runId) || m.runId === null
        || !isNum(m.events) || !Number.isInteger(m.events) || m.events < 0) { return undefined; }
      return { type: 'received', slot: m.slot, runId: m.runId, events: m.events };
    case 'grant':
      // A lane name ("shouter", "hearer 2"): short plain text; the host checks it names a process of the run.
      if (!hasOnly(m, ['type', 'runId', 'name']) || !isId(m.runId) || m.runId === null || !isStr(m.name, 64) || !/^[\w -]+$/.test(m.name)) { return undefined; }
      return { type: 'grant', runId: m.runId, name: m.name };
    case 'openSource':
      if (!hasOnly(m, ['type', 'runId', 'event']) || !isId(m.runId) || m.runId === null || !Number.isInteger(m.event) || (m.event as number) < 0) { return undefined; }
      return { type: 'openSource', runId: m.runId, event: m.event as number };
    case 'log':
      if (!hasOnly(m, ['type', 'level', 'message']) || (m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isStr(m.message)) { return undefined; }
      return { type: 'log', level: m.level, message: m.message };
    case 'playhead':
    case 'revealEvent':
      return parseLearnMessage(m);
    default:
      return undefined;
  }
}

