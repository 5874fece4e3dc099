/**
 * Run Batch: argument checking and the aggregation of a batch of runs into its distinct output
 * orderings, with the count of every ordering the program allows for small message counts.
 * Pure: no `vscode`, no processes (the host in src/views/explore runs the runs).
 */
import { EXPLORE_LINES_MAX, type ExploreBatchView, type ExploreOrdering } from '../protocol/explore';
import { parseLessonLine } from '../protocol/lines';
import type { RunConfig } from '../protocol/run';
import { countOrderings, distinctOrderings, type ObservedOrdering } from './orderings';

export const BATCH_DEFAULT_RUNS = 20;
export const BATCH_MAX_RUNS = 500;
/** Possible orderings are counted for message counts up to this. */
export const COUNT_POSSIBLE_MAX_MESSAGES = 6;

/** A bad argument to Run Batch or Sweep Nap Probabilities: the message names it and what is allowed. */
export class ArgumentError extends Error {
  constructor(message: string) { super(message); this.name = 'ArgumentError'; }
}

/** A value in a few characters, for error messages. */
export function shown(x: unknown): string {
  if (x === undefined) { return 'undefined'; }
  if (typeof x === 'number' && !Number.isFinite(x)) { return String(x); }
  try {
    const s = JSON.stringify(x);
    return s.length > 60 ? `${s.slice(0, 57)}…` : s;
    // A value JSON cannot write (a cycle, a bigint): its own text.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
  } catch { return String(x); }
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) { return false; }
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Checks `overrides` is absent or an object (its values are checked like settings, later). */
export function checkOverrides(command: string, x: unknown): Record<string, unknown> | undefined {
  if (x === undefined) { return undefined; }
  if (!isPlainObject(x)) { throw new ArgumentError(`${command}: "overrides" must be an object of settings such as { "messageCount": 3 }; got ${shown(x)}.`); }
  return x;
}

function checkKeys(command: string, arg: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(arg)) {
    if (!allowed.includes(k)) { throw new ArgumentError(`${command}: unknown argument "${k}" (allowed: ${allowed.join(', ')}).`); }
  }
}

export interface BatchArgs {
  runs: number;
  overrides: Record<string, unknown> | undefined;
}

/** Why `runs` is not a run count, or undefined if it is one (1..BATCH_MAX_RUNS). */
export function runCountProblem(runs: unknown): string | undefined {
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > BATCH_MAX_RUNS) {
    return `"runs" must be an integer from 1 to ${BATCH_MAX_RUNS}; got ${shown(runs)}`;
  }
  return undefined;
}

/** The InputBox's check of a typed run count: an error message, or undefined when fine. */
export function validateRunCountText(text: string): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) { return `Type a whole number of runs from 1 to ${BATCH_MAX_RUNS}.`; }
  const n = Number(t);
  return n < 1 || n > BATCH_MAX_RUNS ? `Type a whole number of runs from 1 to ${BATCH_MAX_RUNS}; ${n} is out of range.` : undefined;
}

/** Checks Run Batch's argument `{ runs?, overrides? }` (undefined: the defaults). Throws ArgumentError. */
export function parseBatchArgs(arg: unknown): BatchArgs {
  const command = 'Run Batch';
  if (arg === undefined || arg === null) { return { runs: BATCH_DEFAULT_RUNS, overrides: undefined }; }
  if (!isPlainObject(arg)) { throw new ArgumentError(`${command} takes an object { runs, overrides? }; got ${shown(arg)}.`); }
  checkKeys(command, arg, ['runs', 'overrides']);
  const runs = arg.runs ?? BATCH_DEFAULT_RUNS;
  const problem = runCountProblem(runs);
  if (problem) { throw new ArgumentError(`${command}: ${problem}.`); }
  return { runs: runs as number, overrides: checkOverrides(command, arg.overrides) };
}

/** Past these the count's state sets explode (memory as well as time): only observed orderings are shown. */
export const COUNT_POSSIBLE_MAX_SHOUTERS = 3;
export const COUNT_POSSIBLE_MAX_HEARERS = 3;
/** Work limit handed to countOrderings (well under a second where it gives up). */
export const COUNT_POSSIBLE_MAX_STATES = 500_000;

export interface PossibleOrderings { possible: bigint | null; why?: string }

/**
 * Every ordering the program allows, counted exactly, or why not ("observed only"). Runs in
 * the caller's thread: the limits keep it to about a second at worst.
 */
export function possibleOrderings(
  config: Pick<RunConfig, 'messageCount' | 'shouters' | 'hearers' | 'queueCapacity' | 'useLock'>,
  maxStates = COUNT_POSSIBLE_MAX_STATES,
): PossibleOrderings {
  if (!config.useLock) { return { possible: null, why: 'without the print lock lines can mix mid-line, so whole-line orderings are not counted' }; }
  if (config.messageCount > COUNT_POSSIBLE_MAX_MESSAGES) { return { possible: null, why: `possible orderings are counted for up to ${COUNT_POSSIBLE_MAX_MESSAGES} messages` }; }
  if (config.shouters > COUNT_POSSIBLE_MAX_SHOUTERS || config.hearers > COUNT_POSSIBLE_MAX_HEARERS) {
    return { possible: null, why: `possible orderings are counted for up to ${COUNT_POSSIBLE_MAX_SHOUTERS} shouters and ${COUNT_POSSIBLE_MAX_HEARERS} hearers` };
  }
  try {
    return { possible: countOrderings({ messageCount: config.messageCount, shouters: config.shouters, hearers: config.hearers, queueCapacity: config.queueCapacity }, { maxStates }) };
  } catch (err) {
    if (err instanceof RangeError) { return { possible: null, why: 'too many possible orderings to count with this many processes' }; }
    throw err;
  }
}

/** "7 of 132 possible orderings seen", or "observed only (…)". */
export function observedText(distinct: number, p: PossibleOrderings): string {
  const orderings = distinct === 1 ? 'ordering' : 'orderings';
  if (p.possible === null) { return `${distinct} distinct ${orderings} seen — observed only (${p.why})`; }
  return `${distinct} of ${p.possible} possible orderings seen`;
}

/** `Shout: 3` → S3, `Hear[2]: 1/3` → H2:1/3; anything else (a mixed line) in quotes. */
export function shortLine(line: string): string {
  const l = parseLessonLine(line);
  if (l?.role === 'shouter') { return l.numbered ? `S${l.index + 1}:${l.message}` : `S${l.message}`; }
  if (l?.role === 'hearer') { return l.numbered ? `H${l.index + 1}:${l.shouter + 1}/${l.message}` : `H${l.message}`; }
  return JSON.stringify(line.length > 24 ? `${line.slice(0, 23)}…` : line);
}

/** The compact form of an ordering (the first `max` lines). */
export function shortOrdering(lines: readonly string[], max = 60): string {
  const head = lines.slice(0, max).map(shortLine).join(' ');
  return lines.length > max ? `${head} … (+${lines.length - max})` : head;
}

/**
 * Collects a batch as its runs end: each run's lines (identical orderings share one array, so
 * a batch of many identical runs costs one copy), and which runs did not end ok.
 */
export class BatchCollector {
  private readonly intern = new Map<string, readonly string[]>();
  private readonly runs: { runId: string; lines: readonly string[] }[] = [];
  notOk = 0;

  add(runId: string, lines: readonly string[], ok: boolean): void {
    const key = JSON.stringify(lines);
    let shared = this.intern.get(key);
    if (!shared) { shared = lines.slice(); this.intern.set(key, shared); }
    this.runs.push({ runId, lines: shared });
    if (!ok) { this.notOk++; }
  }

  get count(): number { return this.runs.length; }
  get distinct(): number { return this.intern.size; }
  get runIds(): string[] { return this.runs.map((r) => r.runId); }

  /** Distinct orderings, most common first (ties: first seen first). */
  orderings(): ObservedOrdering[] { return distinctOrderings(this.runs); }
}

export interface BatchResult {
  runs: number;
  distinct: number;
  orderings: ObservedOrdering[];
  /** Every ordering the program allows (decimal string, exact), or null when not counted. */
  possible: string | null;
  observed: string;
  requested: number;
  cancelled: boolean;
  notOk: number;
}

/** The batch so far; `p`: possibleOrderings of its config (computed once per batch). */
export function batchResult(c: BatchCollector, p: PossibleOrderings, requested: number, cancelled: boolean): BatchResult {
  const orderings = c.orderings();
  return {
    runs: c.count, distinct: orderings.length, orderings,
    possible: p.possible === null ? null : String(p.possible),
    observed: observedText(orderings.length, p),
    requested, cancelled, notOk: c.notOk,
  };
}

/** The settings that shape the orderings, in one line. */
export function settingsText(c: RunConfig): string {
  const parts = [
    `${c.messageCount} message${c.messageCount === 1 ? '' : 's'}`,
    `nap probability ${c.napProbability}`, `nap ${c.napMs} ms`,
    c.useLock ? `lock ${c.lockPolicy}` : 'no lock',
  ];
  if (c.shouters !== 1 || c.hearers !== 1) { parts.push(`${c.shouters} shouter${c.shouters === 1 ? '' : 's'} × ${c.hearers} hearer${c.hearers === 1 ? '' : 's'}`); }
  if (c.queueCapacity > 0) { parts.push(`queue capacity ${c.queueCapacity}`); }
  parts.push(c.seed === null ? 'a fresh seed each run' : `seed ${c.seed}`);
  if (c.engine !== 'node') { parts.push(`${c.engine} engine`); }
  return parts.join(' · ');
}

/** What the page needs of a batch (lines capped at EXPLORE_LINES_MAX per ordering). */
export function batchView(r: BatchResult, config: RunConfig, extra: { running: boolean; interruption?: string }): ExploreBatchView {
  const orderings: ExploreOrdering[] = r.orderings.map((o) => ({
    count: o.count, runIds: o.runIds,
    lines: o.lines.slice(0, EXPLORE_LINES_MAX), truncated: Math.max(0, o.lines.length - EXPLORE_LINES_MAX),
    short: shortOrdering(o.lines),
  }));
  return {
    runs: r.runs, requested: r.requested, running: extra.running, cancelled: r.cancelled,
    ...(extra.interruption ? { interruption: extra.interruption } : {}),
    notOk: r.notOk, distinct: r.distinct, possible: r.possible, observed: r.observed,
    settings: settingsText(config), orderings,
  };
}

export interface SequenceOutcome {
  /** Runs that ran to their end (and were handed to onEnd). */
  ran: number;
  cancelled: boolean;
  /** Why the sequence ended early, in words. */
  interruption?: string;
}

/**
 * Runs `plan` one after another (never two at once: runs in parallel would distort each other's
 * timing). Before each run it checks `cancelled()`; a run that ends stopped ends the sequence
 * (by Cancel, or by someone else: Stop Run, another run) and is not handed to onEnd.
 */
export async function runSequence<C, S extends { runId: string; stopped: boolean }>(
  plan: readonly C[],
  hooks: { run(config: C, index: number): Promise<S>; cancelled(): boolean; onEnd(summary: S, index: number): void; onStart?(index: number): void },
): Promise<SequenceOutcome> {
  const n = plan.length;
  for (let i = 0; i < n; i++) {
    if (hooks.cancelled()) { return { ran: i, cancelled: true, interruption: `cancelled after ${i} of ${n} runs` }; }
    hooks.onStart?.(i);
    const summary = await hooks.run(plan[i], i);
    if (summary.stopped) {
      return hooks.cancelled()
        ? { ran: i, cancelled: true, interruption: `cancelled after ${i} of ${n} runs` }
        : { ran: i, cancelled: true, interruption: `stopped after ${i} of ${n} runs: run ${summary.runId} was stopped (Stop Run, or another run started)` };
    }
    hooks.onEnd(summary, i);
  }
  return { ran: n, cancelled: false };
}
