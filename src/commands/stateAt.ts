/**
 * shoutHear.stateAt(runId, tMs): each process's state and listing line, the queue's items and
 * the lines printed so far at one instant of a kept run (src/learn/stateAt.ts); rejects an
 * instant outside the run.
 */
import * as vscode from 'vscode';
import { stateAt as stateOf, type StateAt } from '../learn/stateAt';
import { findSource, learnRunOf, type KeptRuns } from './learnRuns';

export function checkInstant(tMs: unknown, what: string): number {
  if (typeof tMs !== 'number' || !Number.isFinite(tMs)) {
    throw new Error(vscode.l10n.t('{0}: tMs must be a number of milliseconds since the run\'s start, not {1}.', what, JSON.stringify(tMs) ?? String(tMs)));
  }
  return tMs;
}

export function stateAt(runs: KeptRuns, runId: unknown, tMs: unknown): Promise<StateAt> {
  if (runId === undefined) { return Promise.reject(new Error(vscode.l10n.t('State at an Instant: give a runId and tMs (ms since the run\'s start).'))); }
  const what = vscode.l10n.t('State at an Instant');
  const source = findSource(runs, runId, what);
  const t = checkInstant(tMs, what);
  try {
    return Promise.resolve(stateOf(learnRunOf(source), t));
  } catch (err) {
    throw new Error(vscode.l10n.t('{0}: {1}', what, (err as Error).message), { cause: err });
  }
}
