/**
 * Sweep Nap Probabilities…: runs at each of several nap probabilities; the Explore panel shows
 * per probability how the runs came out (orderings, durations, lock waits), exportable as CSV.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ArgumentError } from '../stats/batch';
import {
  parseProbabilityText, parseSweepArgs, runsEachProblem, SweepCollector, sweepPlan, sweepResult, sweepView,
  SWEEP_DEFAULT_PROBABILITIES, SWEEP_DEFAULT_RUNS_EACH, SWEEP_MAX_RUNS_EACH, type SweepResult,
} from '../stats/sweep';
import { sampleOf } from '../stats/sweepStats';
import type { BatchDeps } from './runBatch';
import { linesOf } from './series';

function csvTarget(x: unknown): vscode.Uri | undefined {
  if (x === undefined) { return undefined; }
  if (x instanceof vscode.Uri) { return x; }
  if (typeof x === 'string' && path.isAbsolute(x)) { return vscode.Uri.file(x); }
  throw new ArgumentError(vscode.l10n.t('Sweep Nap Probabilities: "csv" must be a file Uri or an absolute path where the CSV is written; got {0}.', String(JSON.stringify(x))));
}

export async function sweepNapProbabilities(deps: BatchDeps, arg: unknown): Promise<(SweepResult & { csv?: string }) | undefined> {
  const args = parseSweepArgs(arg);
  const target = csvTarget(args.csv);
  if (arg === undefined) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Shout/Hear: Sweep Nap Probabilities (1/2)'),
      prompt: vscode.l10n.t('Nap probabilities to sweep, from 0 to 1, separated by commas'),
      value: SWEEP_DEFAULT_PROBABILITIES.join(', '),
      validateInput: (text) => { try { parseProbabilityText(text); return undefined; } catch (err) { return (err as Error).message; } },
    });
    if (typed === undefined) { return undefined; }
    args.probabilities = parseProbabilityText(typed);
    const each = await vscode.window.showInputBox({
      title: vscode.l10n.t('Shout/Hear: Sweep Nap Probabilities (2/2)'),
      prompt: vscode.l10n.t('Runs for each probability (1 to {0})', SWEEP_MAX_RUNS_EACH),
      value: String(SWEEP_DEFAULT_RUNS_EACH),
      validateInput: (text) => (/^\s*\d+\s*$/.test(text) ? runsEachProblem(Number(text)) : vscode.l10n.t('Type a whole number from 1 to {0}.', SWEEP_MAX_RUNS_EACH)),
    });
    if (each === undefined) { return undefined; }
    args.runsEach = Number(each.trim());
  }
  const { explore } = deps;
  const base = deps.resolveConfig(args.overrides);
  // Each probability's config goes through the same validation as a run's overrides.
  const configs = new Map(args.probabilities.map((p) => [p, deps.resolveConfig({ ...(args.overrides ?? {}), napProbability: p })]));
  const collector = new SweepCollector();
  const result = await deps.series.run(explore, {
    what: 'A sweep',
    title: vscode.l10n.t('Shout/Hear: Sweep Nap Probabilities ({0} × {1} runs)', args.probabilities.length, args.runsEach),
    plan: sweepPlan(args.probabilities, args.runsEach).map((p) => configs.get(p)!),
    add: (summary, run) => {
      if (!run) { explore.log.warn(`sweep: run ${summary.runId} was no longer kept when it ended; left out`); return; }
      collector.add(sampleOf({ runId: summary.runId, summary, trace: run.trace, lines: linesOf(summary, run) }));
    },
    show: ({ running, cancelled, interruption }) => explore.showSweep(
      sweepView(sweepResult(collector, args, cancelled), base, { running, ...(interruption ? { interruption } : {}) }),
      running ? [] : collector.groups()),
    result: (cancelled) => sweepResult(collector, args, cancelled),
  });
  if (target) {
    await explore.writeCsv(target);
    return { ...result, csv: target.toString() };
  }
  return result;
}
