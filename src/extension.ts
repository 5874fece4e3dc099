/**
 * Shout/Hear's entry point: registers the commands and wires the run controller to the views.
 * Commands double as the programmatic API: `executeCommand('shoutHear.run', overrides)`
 * resolves to the run summary.
 */
import * as vscode from 'vscode';
import { reportErrors } from './commandErrors';
import { ConfigError, validateConfig, type NameStyle } from './config';
import type { RunConfig, RunSummary } from './protocol';
import { pickNapProbability } from './napProbabilityPicker';
import { compareEngines, grantLock, replayRun } from './exploreCommands';
import { locatePython } from './pythonLocator';
import { RunController } from './runController';
import { exportTrace, openTraceFile } from './traceFiles';
import { readSettings } from './settings';
import { OutputView } from './views/outputView';
import { registerExplore, type ExploreTestApi } from './views/explore/register';
import { registerTimeline, type TimelineTestApi } from './views/timeline/register';

export interface ShoutHearApi {
  /** The text most recently written to the Shout/Hear output channel (up to 1 MiB). */
  outputText(): string;
  /** Summaries of this window's runs, newest first (at most 20). */
  recentRuns(): readonly RunSummary[];
  /** Who holds and who waits for the print lock in the run going now (lock policy "manual"). */
  lockState(): { holder: string | undefined; waiting: string[] } | undefined;
  /** The Timeline panel's hooks (its "what I drew" reports, a made-up run for tests). */
  timeline: TimelineTestApi;
  /** The Explore panel's hooks (Run Batch, Sweep Nap Probabilities). */
  explore: ExploreTestApi;
}

let controller: RunController | undefined;

const overrideName: NameStyle = (key) => `override "${key}" (setting shoutHear.${key})`;

/** Settings, then overrides on top; throws ConfigError naming every bad value. */
function resolveConfig(overrides: unknown, base?: RunConfig): RunConfig {
  const settings = readSettings();
  if (!settings.ok) { throw new ConfigError(settings.errors); }
  const merged = validateConfig(overrides, base ?? settings.config, overrideName);
  if (!merged.ok) { throw new ConfigError(merged.errors); }
  return merged.config;
}

export function activate(context: vscode.ExtensionContext): ShoutHearApi {
  const view = new OutputView();
  const runs = new RunController(context.extensionPath, view, locatePython);
  controller = runs;
  context.subscriptions.push(view, runs);
  const timeline = registerTimeline(context, runs);
  const explore = registerExplore(context, runs, timeline, (overrides) => resolveConfig(overrides));

  context.subscriptions.push(
    vscode.commands.registerCommand('shoutHear.run', (overrides?: unknown) =>
      reportErrors(overrides !== undefined, () => runs.run(resolveConfig(overrides)))),

    vscode.commands.registerCommand('shoutHear.rerunWithNapProbability', (probability?: unknown) =>
      reportErrors(probability !== undefined, async () => {
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
      })),

    vscode.commands.registerCommand('shoutHear.stop', () => runs.stop()),

    vscode.commands.registerCommand('shoutHear.replayRun', (runId?: unknown) =>
      reportErrors(runId !== undefined, () => replayRun(runs, runId))),

    vscode.commands.registerCommand('shoutHear.grantLock', (name?: unknown) =>
      reportErrors(name !== undefined, () => grantLock(runs, name))),

    vscode.commands.registerCommand('shoutHear.exportTrace', (runId?: unknown, target?: unknown) =>
      reportErrors(runId !== undefined || target !== undefined, () => exportTrace(runs, runId, target, runs.recent))),

    vscode.commands.registerCommand('shoutHear.openTraceFile', (uri?: unknown) =>
      reportErrors(uri !== undefined, () => openTraceFile(timeline, uri, () => runs.kept.map((r) => r.id)))),

    vscode.commands.registerCommand('shoutHear.compareEngines', (overrides?: unknown) =>
      reportErrors(overrides !== undefined, () => compareEngines(runs, view, timeline, resolveConfig(overrides)))),
  );
  return {
    outputText: () => view.text,
    recentRuns: () => runs.recent,
    lockState: () => runs.running?.lockState,
    timeline,
    explore,
  };
}

/** Stops the run still going, and waits until its processes are gone. */
export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
