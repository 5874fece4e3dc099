/**
 * Sweep Nap Probabilities: argument checking, the run plan (interleaved rounds), and the
 * collection of each run into a sample for `sweepStats`. Pure: no `vscode`, no processes (the
 * host in src/views/explore runs the runs).
 */
import { createHash } from 'crypto';
import type { ExploreStats, ExploreSweepGroup, ExploreSweepView } from '../protocol/explore';
import type { RunConfig } from '../protocol/run';
import { ArgumentError, checkOverrides, isPlainObject, settingsText, shown } from './batch';
import { sweepStats, type Stats, type SweepGroup, type SweepSample } from './sweepStats';

export const SWEEP_DEFAULT_PROBABILITIES: readonly number[] = [0, 0.25, 0.5, 0.75, 1];
export const SWEEP_DEFAULT_RUNS_EACH = 10;
export const SWEEP_MAX_PROBABILITIES = 21;
export const SWEEP_MAX_RUNS_EACH = 100;

export interface SweepArgs {
  probabilities: number[];
  runsEach: number;
  overrides: Record<string, unknown> | undefined;
  /** Where to write the CSV when done (checked by the host: a Uri or an absolute path). */
  csv?: unknown;
}

const COMMAND = 'Sweep Nap Probabilities';

/** Why `x` is not a list of nap probabilities, or undefined if it is one. */
export function probabilitiesProblem(x: unknown): string | undefined {
  const what = `"probabilities" must be a list of 1 to ${SWEEP_MAX_PROBABILITIES} different numbers from 0 to 1, such as [0, 0.25, 0.5, 0.75, 1]`;
  if (!Array.isArray(x) || x.length < 1 || x.length > SWEEP_MAX_PROBABILITIES) { return `${what}; got ${shown(x)}`; }
  for (let i = 0; i < x.length; i++) {
    const p: unknown = x[i];
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) { return `${what}; item ${i + 1} is ${shown(p)}`; }
    if (x.indexOf(p) !== i) { return `${what}; ${p} is listed twice`; }
  }
  return undefined;
}

/** Why `x` is not a runs-per-probability count, or undefined if it is one. */
export function runsEachProblem(x: unknown): string | undefined {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > SWEEP_MAX_RUNS_EACH) {
    return `"runsEach" must be an integer from 1 to ${SWEEP_MAX_RUNS_EACH}; got ${shown(x)}`;
  }
  return undefined;
}

/** Checks the sweep's argument `{ probabilities?, runsEach?, overrides?, csv? }` (undefined: defaults). Throws ArgumentError. */
export function parseSweepArgs(arg: unknown): SweepArgs {
  if (arg === undefined || arg === null) {
    return { probabilities: [...SWEEP_DEFAULT_PROBABILITIES], runsEach: SWEEP_DEFAULT_RUNS_EACH, overrides: undefined };
  }
  if (!isPlainObject(arg)) { throw new ArgumentError(`${COMMAND} takes an object { probabilities, runsEach, overrides? }; got ${shown(arg)}.`); }
  const allowed = ['probabilities', 'runsEach', 'overrides', 'csv'];
  for (const k of Object.keys(arg)) {
    if (!allowed.includes(k)) { throw new ArgumentError(`${COMMAND}: unknown argument "${k}" (allowed: ${allowed.join(', ')}).`); }
  }
  const probabilities = arg.probabilities ?? [...SWEEP_DEFAULT_PROBABILITIES];
  const pp = probabilitiesProblem(probabilities);
  if (pp) { throw new ArgumentError(`${COMMAND}: ${pp}.`); }
  const runsEach = arg.runsEach ?? SWEEP_DEFAULT_RUNS_EACH;
  const rp = runsEachProblem(runsEach);
  if (rp) { throw new ArgumentError(`${COMMAND}: ${rp}.`); }
  const overrides = checkOverrides(COMMAND, arg.overrides);
  if (overrides && 'napProbability' in overrides) {
    throw new ArgumentError(`${COMMAND}: "overrides" must not set napProbability (the sweep sets it from "probabilities"); got napProbability ${shown(overrides.napProbability)}.`);
  }
  return { probabilities: probabilities as number[], runsEach: runsEach as number, overrides, ...(arg.csv !== undefined ? { csv: arg.csv } : {}) };
}

/**
 * The one reading of a typed nap probability (the sweep's list and the Rerun picker alike): a
 * plain decimal such as 0.25, .5 or 1 — no sign, no exponent; undefined if the text is not one.
 */
export function probabilityNumber(text: string): number | undefined {
  const s = text.trim();
  return /^(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : undefined;
}

/** One typed nap probability: the number, or why it is not one (in words). */
export function parseNapProbability(text: string): number | string {
  const value = probabilityNumber(text);
  if (value === undefined) { return `"${text.trim()}" is not a number: type one from 0 to 1`; }
  if (value > 1) { return `${value} is outside 0..1: a nap probability is from 0 (never) to 1 (after every message)`; }
  return value;
}

/** Parses a typed list such as "0, 0.25, 0.5" (commas and/or spaces). Throws ArgumentError. */
export function parseProbabilityText(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter((s) => s.length > 0);
  const values = parts.map((s) => probabilityNumber(s) ?? NaN);
  const bad = values.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) { throw new ArgumentError(`"${parts[bad]}" is not a number: type probabilities from 0 to 1, separated by commas.`); }
  const problem = probabilitiesProblem(values);
  if (problem) { throw new ArgumentError(`${problem}.`); }
  return values;
}

/**
 * The order of the runs: round by round, every probability once per round. Interleaving
 * spreads any drift of the machine's load over all probabilities alike, and a cancelled
 * sweep still has runs for each of them.
 */
export function sweepPlan(probabilities: readonly number[], runsEach: number): number[] {
  const plan: number[] = [];
  for (let r = 0; r < runsEach; r++) { plan.push(...probabilities); }
  return plan;
}

/** A run's output order as a short digest: distinct orderings are counted without keeping every line. */
export function orderingDigest(lines: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(lines)).digest('base64');
}

/** Collects the sweep's samples as runs end (lines reduced to a digest). */
export class SweepCollector {
  readonly samples: SweepSample[] = [];

  add(sample: SweepSample): void {
    this.samples.push({ ...sample, lines: [orderingDigest(sample.lines)] });
  }

  get count(): number { return this.samples.length; }

  groups(): SweepGroup[] { return sweepStats(this.samples); }
}

/** A copy (NaN, for no values, becomes null in JSON). */
function statsOut(s: Stats): ExploreStats { return { ...s }; }

/** A group without its orderings (they are digests here): what the command resolves to and the page shows. */
export function groupOut(g: SweepGroup): ExploreSweepGroup {
  return {
    napProbability: g.napProbability, runs: g.runs, runIds: g.runIds,
    durationMs: statsOut(g.durationMs), lockWaitMs: statsOut(g.lockWaitMs), maxQueueDepth: statsOut(g.maxQueueDepth),
    putGetLatencyMs: statsOut(g.putGetLatencyMs), distinctOrderings: g.distinctOrderings,
  };
}

export interface SweepResult {
  probabilities: number[];
  runsEach: number;
  /** Runs that ran to their end. */
  runs: number;
  cancelled: boolean;
  /** Per probability, ascending: statistics of each metric (NaN is null in JSON), distinct orderings. */
  groups: ExploreSweepGroup[];
}

export function sweepResult(c: SweepCollector, args: Pick<SweepArgs, 'probabilities' | 'runsEach'>, cancelled: boolean): SweepResult {
  return { probabilities: [...args.probabilities], runsEach: args.runsEach, runs: c.count, cancelled, groups: c.groups().map(groupOut) };
}

/** What the page needs of a sweep. */
export function sweepView(r: SweepResult, config: RunConfig, extra: { running: boolean; interruption?: string }): ExploreSweepView {
  const settings = settingsText(config).split(' · ').filter((s) => !s.startsWith('nap probability')).join(' · ');
  return {
    probabilities: r.probabilities, runsEach: r.runsEach, runs: r.runs, running: extra.running, cancelled: r.cancelled,
    ...(extra.interruption ? { interruption: extra.interruption } : {}),
    settings, groups: r.groups,
  };
}
