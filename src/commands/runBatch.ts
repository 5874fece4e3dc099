/**
 * Run Batch…: the current settings N times, one run after another; the Explore panel shows how
 * many distinct orderings of the printed lines came out (and how many were possible).
 */
import * as vscode from 'vscode';
import type { RunConfig } from '../protocol/run';
import {
  BATCH_DEFAULT_RUNS, BATCH_MAX_RUNS, BatchCollector, batchResult, batchView, parseBatchArgs, possibleOrderings, validateRunCountText, type BatchResult,
} from '../stats/batch';
import type { ExploreView } from '../views/explore/register';
import { linesOf, type SeriesRunner } from './series';

export interface BatchDeps {
  series: SeriesRunner;
  explore: ExploreView;
  resolveConfig(overrides: unknown): RunConfig;
}

export async function runBatch(deps: BatchDeps, arg: unknown): Promise<BatchResult | undefined> {
  const args = parseBatchArgs(arg);
  if (arg === undefined) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Shout/Hear: Run Batch'),
      prompt: vscode.l10n.t('How many runs of the current settings, one after another? (1 to {0})', BATCH_MAX_RUNS),
      value: String(BATCH_DEFAULT_RUNS),
      validateInput: validateRunCountText,
    });
    if (typed === undefined) { return undefined; }
    args.runs = Number(typed.trim());
  }
  const config = deps.resolveConfig(args.overrides);
  const collector = new BatchCollector();
  const possible = possibleOrderings(config);
  return deps.series.run(deps.explore, {
    what: 'A batch',
    title: vscode.l10n.t('Shout/Hear: Run Batch ({0} runs)', args.runs),
    plan: new Array<RunConfig>(args.runs).fill(config),
    add: (summary, run) => collector.add(summary.runId, linesOf(summary, run), summary.ok),
    show: ({ running, cancelled, interruption }) => deps.explore.showBatch(
      batchView(batchResult(collector, possible, args.runs, cancelled), config, { running, ...(interruption ? { interruption } : {}) })),
    result: (cancelled) => batchResult(collector, possible, args.runs, cancelled),
    status: () => (collector.count > 0 ? ` · ${collector.distinct} distinct so far` : ''),
  });
}
