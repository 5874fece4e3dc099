/**
 * Statistics of a nap-probability sweep (or any batch of runs grouped by probability): per
 * group, mean / sample standard deviation / min / max / median / p10 / p90 of run duration,
 * total lock wait, max queue depth and mean put→get latency, plus distinct orderings. And CSV
 * (RFC 4180) for exporting them. Pure: no `vscode`, no processes.
 */
import { EventKind, SENTINEL } from '../protocol/events';
import type { TraceStore } from '../trace/traceStore';
import { distinctOrderings, type ObservedOrdering } from './orderings';

export interface Stats {
  /** Values the statistics are over (runs without a value, e.g. no message got, are left out). */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  stddev: number;
  min: number;
  max: number;
  median: number;
  p10: number;
  p90: number;
}

/**
 * The p-th quantile (0..1) of sorted values, linearly interpolated between closest ranks
 * (numpy's default, R type 7, Excel PERCENTILE.INC). NaN for no values.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) { return NaN; }
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Statistics of the finite values among `values` (NaN/Infinity are skipped). All NaN when none. */
export function describe(values: readonly number[]): Stats {
  const xs = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  const n = xs.length;
  if (n === 0) { return { n: 0, mean: NaN, stddev: NaN, min: NaN, max: NaN, median: NaN, p10: NaN, p90: NaN }; }
  let sum = 0;
  for (const x of xs) { sum += x; }
  const mean = sum / n;
  // Two passes (not sum of squares) so large, close values do not cancel.
  let ss = 0;
  for (const x of xs) { ss += (x - mean) * (x - mean); }
  return {
    n, mean, stddev: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: xs[0], max: xs[n - 1], median: quantile(xs, 0.5), p10: quantile(xs, 0.1), p90: quantile(xs, 0.9),
  };
}

/**
 * Put→get latency of every message, in ms, in the order the gets appear in the trace: each
 * shouter's Put of message i (aux = shouter) paired with the Get of the same (shouter, i).
 * Sentinels are left out, and so are messages put but never got (a stopped run).
 */
export function putGetLatencies(trace: TraceStore): Float64Array {
  const putAt = new Map<number, number>();
  const out: number[] = [];
  // Key (shouter, message) as one number: message < 2^31, shouter < 2^16.
  const key = (aux: number, value: number) => aux * 2 ** 32 + value;
  trace.scan((kind, _proc, value, t, _dur, aux) => {
    if (value === SENTINEL) { return; }
    if (kind === EventKind.Put) { putAt.set(key(aux, value), t); }
  });
  trace.scan((kind, _proc, value, t, _dur, aux) => {
    if (kind !== EventKind.Get || value === SENTINEL) { return; }
    const put = putAt.get(key(aux, value));
    if (put !== undefined) { out.push((t - put) / 1e6); }
  });
  return Float64Array.from(out);
}

/** One run of a sweep, reduced to what the statistics need. */
export interface SweepSample {
  runId: string;
  napProbability: number;
  durationMs: number;
  lockWaitMs: number;
  maxQueueDepth: number;
  /** Mean put→get latency of the run (ms); NaN when no message was got. */
  putGetMeanMs: number;
  lines: readonly string[];
}

/** Reduces a finished run (its summary, trace and output lines) to a sample. */
export function sampleOf(
  run: { runId: string; summary: { durationMs: number; lockWaits: { totalMs: number }; maxQueueDepth: number; config: { napProbability: number } }; trace: TraceStore; lines: readonly string[] },
): SweepSample {
  const lat = putGetLatencies(run.trace);
  let sum = 0;
  for (const x of lat) { sum += x; }
  return {
    runId: run.runId,
    napProbability: run.summary.config.napProbability,
    durationMs: run.summary.durationMs,
    lockWaitMs: run.summary.lockWaits.totalMs,
    maxQueueDepth: run.summary.maxQueueDepth,
    putGetMeanMs: lat.length > 0 ? sum / lat.length : NaN,
    lines: run.lines,
  };
}

export interface SweepGroup {
  napProbability: number;
  runs: number;
  runIds: string[];
  durationMs: Stats;
  lockWaitMs: Stats;
  maxQueueDepth: Stats;
  putGetLatencyMs: Stats;
  distinctOrderings: number;
  /** Most common first (see distinctOrderings). */
  orderings: ObservedOrdering[];
}

/** Groups samples by nap probability (ascending) and describes each group. */
export function sweepStats(samples: readonly SweepSample[]): SweepGroup[] {
  const groups = new Map<number, SweepSample[]>();
  for (const s of samples) {
    const g = groups.get(s.napProbability);
    if (g) { g.push(s); } else { groups.set(s.napProbability, [s]); }
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([napProbability, runs]) => {
    const orderings = distinctOrderings(runs.map((r) => ({ runId: r.runId, lines: r.lines })));
    return {
      napProbability,
      runs: runs.length,
      runIds: runs.map((r) => r.runId),
      durationMs: describe(runs.map((r) => r.durationMs)),
      lockWaitMs: describe(runs.map((r) => r.lockWaitMs)),
      maxQueueDepth: describe(runs.map((r) => r.maxQueueDepth)),
      putGetLatencyMs: describe(runs.map((r) => r.putGetMeanMs)),
      distinctOrderings: orderings.length,
      orderings,
    };
  });
}

// ---------------------------------------------------------------- CSV

export type CsvCell = string | number | boolean | null | undefined;

const STAT_FIELDS = ['n', 'mean', 'stddev', 'min', 'max', 'median', 'p10', 'p90'] as const;
const METRICS = [
  ['durationMs', 'duration_ms'], ['lockWaitMs', 'lock_wait_ms'], ['maxQueueDepth', 'max_queue_depth'], ['putGetLatencyMs', 'put_get_latency_ms'],
] as const;

/** The sweep as a table: one row per probability, a column per metric × statistic. */
export function sweepTable(groups: readonly SweepGroup[]): { header: string[]; rows: CsvCell[][] } {
  const header = ['nap_probability', 'runs', 'distinct_orderings'];
  for (const [, name] of METRICS) { for (const f of STAT_FIELDS) { header.push(`${name}_${f}`); } }
  const rows = groups.map((g) => {
    const row: CsvCell[] = [g.napProbability, g.runs, g.distinctOrderings];
    for (const [key] of METRICS) { for (const f of STAT_FIELDS) { row.push(g[key][f]); } }
    return row;
  });
  return { header, rows };
}

function csvField(cell: CsvCell): string {
  // Missing values (NaN, null, undefined) are empty fields, not the text "NaN".
  if (cell === null || cell === undefined || (typeof cell === 'number' && !Number.isFinite(cell))) { return ''; }
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row, then the rows; CRLF line ends (also after the last row);
 * fields holding a comma, quote, CR or LF are quoted, quotes doubled. Numbers are written in
 * full precision (String(n)); NaN, ±Infinity, null and undefined become empty fields.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const out = [header.map(csvField).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) { throw new RangeError(`a CSV row has ${row.length} fields where the header has ${header.length}`); }
    out.push(row.map(csvField).join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}

/** The sweep's CSV (sweepTable through toCsv). */
export function sweepCsv(groups: readonly SweepGroup[]): string {
  const { header, rows } = sweepTable(groups);
  return toCsv(header, rows);
}
