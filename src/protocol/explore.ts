/**
 * Everything the Explore panel (Run Batch, Sweep Nap Probabilities) and its host say to each
 * other. Host -> page messages are trusted (we built them); page -> host messages are checked by
 * `parseExploreMessage` against an allow-list of types and shapes, rebuilt from their checked
 * fields; anything else is ignored. Pure: no Node, no DOM, no `vscode`.
 */
import { hasOnly, isNum, isNumList, isObj, isRunId, isStr, isStrList } from './validate';

export type ExploreTab = 'batch' | 'sweep';

/** One distinct output ordering of a batch, as the page shows it. */
export interface ExploreOrdering {
  count: number;
  runIds: string[];
  /** Its lines (at most EXPLORE_LINES_MAX; `truncated` more were left out). */
  lines: string[];
  truncated: number;
  /** Compact form for labels, e.g. "S1 H1 S2 S3 H2 H3". */
  short: string;
}

export interface ExploreBatchView {
  /** Runs that ran to their end (stopped ones are not counted). */
  runs: number;
  requested: number;
  /** Still running (the page shows partial results). */
  running: boolean;
  cancelled: boolean;
  /** Why the batch ended early, in words (cancelled, or interrupted by another run). */
  interruption?: string;
  /** Runs that ended but not ok (failed invariant, timeout, crash). */
  notOk: number;
  distinct: number;
  /** Every ordering the program allows, as a decimal string; null when not counted. */
  possible: string | null;
  /** "7 of 132 possible orderings seen", or "observed only: …". */
  observed: string;
  /** The settings, in one line. */
  settings: string;
  /** Most common first. */
  orderings: ExploreOrdering[];
}

/** Mean, spread and quantiles of one metric (NaN when no value). */
export interface ExploreStats { n: number; mean: number; stddev: number; min: number; max: number; median: number; p10: number; p90: number }

export interface ExploreSweepGroup {
  napProbability: number;
  runs: number;
  runIds: string[];
  durationMs: ExploreStats;
  lockWaitMs: ExploreStats;
  maxQueueDepth: ExploreStats;
  putGetLatencyMs: ExploreStats;
  distinctOrderings: number;
}

export interface ExploreSweepView {
  probabilities: number[];
  runsEach: number;
  runs: number;
  running: boolean;
  cancelled: boolean;
  interruption?: string;
  settings: string;
  groups: ExploreSweepGroup[];
}

export type HostToExplore =
  /** Everything the page shows; `kept`: run ids whose timeline can still be opened. */
  | { type: 'state'; tab: ExploreTab; batch: ExploreBatchView | null; sweep: ExploreSweepView | null; kept: string[]; keep: number }
  /** Which runs are still kept changed. */
  | { type: 'kept'; kept: string[] }
  /** Ask the page to report what it drew (tests). */
  | { type: 'report'; token: number };

/** What the Explore page drew, as it reports it (tests and diagnostics). */
export interface ExploreRendered {
  token: number;
  tab: ExploreTab;
  batch: {
    runs: number;
    distinct: number;
    /** Bar heights as drawn in the histogram, in order. */
    bars: number[];
    /** The header text, as shown. */
    observed: string;
    /** The most common ordering's lines, as shown. */
    topLines: string[];
    /** Rows of the orderings table. */
    rows: number;
    /** Open-timeline buttons that are enabled (runs still kept). */
    openable: number;
  } | null;
  sweep: {
    /** Each uPlot chart drawn: its title, series (besides x) and points per series. */
    charts: { title: string; series: number; points: number }[];
    tableRows: number;
  } | null;
  /** Elements that must never be created from data: img, script, iframe, object, embed, svg, link, style. */
  foreignElements: number;
  /** The page's CSS width (Save Explore Image draws at twice it). */
  pageWidth: number;
}

export type ExploreToHost =
  | { type: 'ready' }
  | { type: 'tab'; tab: ExploreTab }
  /** Open this run's timeline. */
  | { type: 'openRun'; runId: string }
  /** Export the sweep as CSV (the host asks where). */
  | { type: 'exportCsv' }
  | { type: 'rendered'; report: ExploreRendered }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export const EXPLORE_LINES_MAX = 2000;

function isTab(x: unknown): x is ExploreTab { return x === 'batch' || x === 'sweep'; }

function parseExploreRendered(r: unknown): ExploreRendered | undefined {
  if (!isObj(r) || !hasOnly(r, ['token', 'tab', 'batch', 'sweep', 'foreignElements', 'pageWidth'])) { return undefined; }
  const { token, tab, batch, sweep, foreignElements, pageWidth } = r;
  if (!isNum(token) || !isTab(tab) || !isNum(foreignElements) || !isNum(pageWidth)) { return undefined; }
  let b: ExploreRendered['batch'] = null;
  if (batch !== null) {
    if (!isObj(batch) || !hasOnly(batch, ['runs', 'distinct', 'bars', 'observed', 'topLines', 'rows', 'openable'])) { return undefined; }
    const { runs, distinct, bars, observed, topLines, rows, openable } = batch;
    if (!isNum(runs) || !isNum(distinct) || !isNumList(bars) || !isStr(observed) || !isStrList(topLines) || !isNum(rows) || !isNum(openable)) { return undefined; }
    b = { runs, distinct, bars, observed, topLines, rows, openable };
  }
  let s: ExploreRendered['sweep'] = null;
  if (sweep !== null) {
    if (!isObj(sweep) || !hasOnly(sweep, ['charts', 'tableRows']) || !isNum(sweep.tableRows)) { return undefined; }
    const charts = sweep.charts;
    if (!Array.isArray(charts) || charts.length > 64) { return undefined; }
    const out: { title: string; series: number; points: number }[] = [];
    for (const c of charts) {
      if (!isObj(c) || !hasOnly(c, ['title', 'series', 'points']) || !isStr(c.title, 200) || !isNum(c.series) || !isNum(c.points)) { return undefined; }
      out.push({ title: c.title, series: c.series, points: c.points });
    }
    s = { charts: out, tableRows: sweep.tableRows };
  }
  return { token, tab, batch: b, sweep: s, foreignElements, pageWidth };
}

/**
 * Checks a message from the Explore webview: returns it (rebuilt from its checked fields only)
 * if its type is on the allow-list and its shape is right, else undefined.
 */
export function parseExploreMessage(m: unknown): ExploreToHost | undefined {
  if (!isObj(m) || typeof m.type !== 'string') { return undefined; }
  switch (m.type) {
    case 'ready':
      return hasOnly(m, ['type']) ? { type: 'ready' } : undefined;
    case 'exportCsv':
      return hasOnly(m, ['type']) ? { type: 'exportCsv' } : undefined;
    case 'tab':
      return hasOnly(m, ['type', 'tab']) && isTab(m.tab) ? { type: 'tab', tab: m.tab } : undefined;
    case 'openRun':
      return hasOnly(m, ['type', 'runId']) && isRunId(m.runId) ? { type: 'openRun', runId: m.runId } : undefined;
    case 'rendered': {
      if (!hasOnly(m, ['type', 'report'])) { return undefined; }
      const report = parseExploreRendered(m.report);
      return report ? { type: 'rendered', report } : undefined;
    }
    case 'log':
      if (!hasOnly(m, ['type', 'level', 'message']) || (m.level !== 'info' && m.level !== 'warn' && m.level !== 'error') || !isStr(m.message)) { return undefined; }
      return { type: 'log', level: m.level, message: m.message };
    default:
      return undefined;
  }
}
