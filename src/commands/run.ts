/**
 * Run Shout/Hear (the settings, with an API caller's overrides on top), Rerun with Nap
 * Probability… (the last run's settings with another nap probability, optionally saved as the
 * default), and Stop Run.
 */
import * as vscode from 'vscode';
import type { RunController } from '../host/runController';
import { resolveConfig } from '../host/settings';
import type { RunSummary } from '../protocol/run';
import { pickNapProbability } from './napProbabilityPicker';

export function run(runs: RunController, overrides: unknown): Promise<RunSummary> {
  return runs.run(resolveConfig(overrides));
}

export async function rerunWithNapProbability(runs: RunController, probability: unknown): Promise<RunSummary | undefined> {
  const base = runs.lastConfig ?? resolveConfig(undefined);
  let napProbability = probability;
  if (napProbability === undefined) {
    const picked = await pickNapProbability(base.napProbability);
    if (!picked) { return undefined; }
    napProbability = picked.value;
    if (picked.saveAsDefault) {
      await vscode.workspace.getConfiguration('shoutHear').update('napProbability', picked.value, vscode.ConfigurationTarget.Global);
    }
  }
  return runs.run(resolveConfig({ napProbability }, base));
}

export function stop(runs: RunController): Promise<RunSummary | undefined> {
  return runs.stop();
}
