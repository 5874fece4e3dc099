/**
 * Replay Run…: runs a finished Node-engine run again with the lock granted in the order the
 * trace recorded, so the printed lines come out exactly the same.
 */
import * as vscode from 'vscode';
import type { Run } from '../engine/run';
import { replayPlanOf } from '../engine/replay';
import type { RunController } from '../host/runController';
import type { RunSummary } from '../protocol/run';
import { keptRunOrThrow, pickKeptRun } from './pickRun';

export async function replayRun(runs: RunController, runId: unknown): Promise<RunSummary | undefined> {
  let run: Run | undefined;
  if (runId === undefined) {
    run = await pickKeptRun(runs.store, 'Replay which run?', (r) => r.ended && r.config.engine === 'node');
    if (!run) { return undefined; }
  } else {
    if (typeof runId !== 'string') { throw new Error(vscode.l10n.t('Replay Run takes a run id such as "run-…"; got {0}.', JSON.stringify(runId))); }
    const script = runs.store.get(runId)?.source;
    if (script?.script) {
      throw new Error(`Run ${runId} traced ${script.title ?? 'a Python file'}: Replay is not offered for traced programs, whose lock `
        + 'grants and scheduling are the kernel\'s and cannot be enforced; trace it again to see another interleaving.');
    }
    run = keptRunOrThrow(runs.store, runId);
  }
  if (!run.ended) { throw new Error(vscode.l10n.t('Run {0} is still going: replay it once it has ended.', run.id)); }
  if (run.config.engine !== 'node') { throw new Error(vscode.l10n.t('Run {0} ran on the {1} engine, whose real OS lock cannot be replayed; replay a Node-engine run.', run.id, run.config.engine)); }
  const plan = replayPlanOf(run.id, run.config, run.trace);
  return runs.run({ ...run.config, seed: run.seed, lockPolicy: 'replay' }, plan);
}
