/**
 * Shout/Hear's entry point: makes the run store, the run controller and the views, and
 * registers every command from one table. Commands double as the programmatic API:
 * `executeCommand('shoutHear.run', overrides)` resolves to the run summary.
 */
import * as vscode from 'vscode';
import { compareEngines } from './commands/compareEngines';
import { grantLock } from './commands/grantLock';
import { replayRun } from './commands/replayRun';
import { saveImage } from './commands/saveImage';
import { compareRunWith, forgetRun, openExploreTab, openRunTimeline, runIdOf } from './commands/runActions';
import { reportErrors } from './commands/reportErrors';
import { rerunWithNapProbability, run, stop } from './commands/run';
import { runBatch, type BatchDeps } from './commands/runBatch';
import { SeriesRunner } from './commands/series';
import { showTimeline } from './commands/showTimeline';
import { sweepNapProbabilities } from './commands/sweepNapProbabilities';
import { traceFile } from './commands/traceFile';
import { exportTrace, openTraceFile } from './commands/traceFiles';
import { explainRun } from './commands/explainRun';
import { LearnDocuments } from './commands/learnDocuments';
import { keptRunsOf } from './commands/learnRuns';
import { programFollower, showProgram } from './commands/showProgram';
import { stateAt } from './commands/stateAt';
import { locatePython } from './host/pythonLocator';
import { RunController } from './host/runController';
import { RunStore } from './host/runStore';
import { resolveConfig } from './host/settings';
import { shoutHearApi, type ShoutHearApi } from './host/testApi';
import { OutputView } from './views/outputView';
import { registerScriptCodeLens } from './views/scriptCodeLens';
import { registerExplore, type ExploreView } from './views/explore/register';
import { registerRunsView } from './views/runs/runsTree';
import { registerTimeline, type Timeline } from './views/timeline/register';

export type { ShoutHearApi } from './host/testApi';

/** What a command's handler may use. */
interface Parts {
  extensionPath: string;
  runs: RunController;
  store: RunStore;
  view: OutputView;
  timeline: Timeline;
  explore: ExploreView;
  series: SeriesRunner;
  learn: LearnDocuments;
}

interface Command {
  id: string;
  /** args: what an API caller passed (none from the palette, the status bar, a button). */
  handler(parts: Parts, ...args: unknown[]): unknown;
  /**
   * Errors reported by reportErrors (shown; from the API also a rejection). Off for commands
   * that report nothing of their own.
   */
  plain?: true;
}

const batchDeps = (p: Parts): BatchDeps => ({ series: p.series, explore: p.explore, resolveConfig });

/** Every command (package.json contributes the same ids). */
const COMMANDS: readonly Command[] = [
  { id: 'shoutHear.run', handler: (p, overrides) => run(p.runs, overrides) },
  { id: 'shoutHear.rerunWithNapProbability', handler: (p, probability) => rerunWithNapProbability(p.runs, probability) },
  { id: 'shoutHear.stop', handler: (p) => stop(p.runs), plain: true },
  { id: 'shoutHear.showTimeline', handler: (p) => showTimeline(p.timeline), plain: true },
  { id: 'shoutHear.replayRun', handler: (p, runId) => replayRun(p.runs, runIdOf(runId)) },
  { id: 'shoutHear.grantLock', handler: (p, name) => grantLock(p.runs, name) },
  { id: 'shoutHear.exportTrace', handler: (p, runId, target) => exportTrace(p.runs, runIdOf(runId), target, p.store.summaries()) },
  { id: 'shoutHear.openRunTimeline', handler: (p, run) => openRunTimeline(p.store, p.timeline, run) },
  { id: 'shoutHear.compareRunWith', handler: (p, run, other) => compareRunWith(p.store, p.timeline, run, other) },
  { id: 'shoutHear.forgetRun', handler: (p, run) => forgetRun(p.store, run) },
  { id: 'shoutHear.saveTimelineImage', handler: (p, uri, options) => saveImage('timeline', p.timeline.panel, uri, options) },
  { id: 'shoutHear.saveExploreImage', handler: (p, uri, options) => saveImage('explore', p.explore.panel, uri, options) },
  { id: 'shoutHear.openExploreTab', handler: (p, tab) => openExploreTab(p.explore, tab) },
  { id: 'shoutHear.openTraceFile', handler: (p, uri) => openTraceFile(p.timeline, uri, () => p.store.ids()) },
  { id: 'shoutHear.compareEngines', handler: (p, overrides) => compareEngines(p.runs, p.view, p.timeline, resolveConfig(overrides)) },
  { id: 'shoutHear.runBatch', handler: (p, arg) => runBatch(batchDeps(p), arg) },
  // Plain: the editor title, the Explorer and the CodeLens pass a Uri; only a caller that passes
  // overrides (an object) is the API and gets a rejection besides the message.
  {
    id: 'shoutHear.traceFile', plain: true,
    handler: (p, uri, overrides) => reportErrors(typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides),
      () => traceFile(p.runs, p.timeline, p.extensionPath, uri, overrides)),
  },
  { id: 'shoutHear.sweepNapProbabilities', handler: (p, arg) => sweepNapProbabilities(batchDeps(p), arg) },
  // Explain This Run rejects when there is no run to explain, even from the palette (issue 12).
  { id: 'shoutHear.explainRun', handler: (p, runId) => reportErrors(true, () => explainRun(keptRunsOf(p.store, p.timeline), p.learn, runIdOf(runId))), plain: true },
  { id: 'shoutHear.stateAt', handler: (p, runId, tMs) => reportErrors(true, () => stateAt(keptRunsOf(p.store, p.timeline), runId, tMs)), plain: true },
  { id: 'shoutHear.showProgram', handler: (p, options) => showProgram(keptRunsOf(p.store, p.timeline), p.learn, options) },
];

let controller: RunController | undefined;

export function activate(context: vscode.ExtensionContext): ShoutHearApi {
  const view = new OutputView();
  const store = new RunStore();
  const runs = new RunController(context.extensionPath, view, locatePython, store);
  controller = runs;
  context.subscriptions.push(view, runs, store.onDidChange(({ dropped }) => {
    for (const { run, reason } of dropped) {
      if (reason !== 'budget') { continue; }
      const text = vscode.l10n.t('Run {0} ({1}) was dropped from memory: the kept runs\' traces went over {2} MiB. Export a run (Export Trace…) to keep it.',
        run.source.id, run.label, store.budgetBytes / 1048576);
      view.note(text);
      void vscode.window.showWarningMessage(vscode.l10n.t('Shout/Hear: {0}', text));
    }
  }));
  context.subscriptions.push(registerScriptCodeLens());
  const timeline = registerTimeline(context, runs, store);
  const series = new SeriesRunner(runs);
  const explore = registerExplore(context, store, timeline, () => series.busy);
  const learn = new LearnDocuments(context.extensionPath);
  context.subscriptions.push(learn);
  timeline.followProgram(programFollower(keptRunsOf(store, timeline), learn));
  const parts: Parts = { extensionPath: context.extensionPath, runs, store, view, timeline, explore, series, learn };
  const runsView = registerRunsView(context, store, explore);

  for (const command of COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(command.id, (...args: unknown[]) =>
      command.plain
        ? command.handler(parts, ...args)
        : reportErrors(args.some((a) => a !== undefined), () => Promise.resolve(command.handler(parts, ...args)))));
  }
  return shoutHearApi({ outputText: () => view.text, runs, store, timeline, explore, series, learn, runsTree: runsView.tree, runsView: runsView.view });
}

/** Stops the run still going, and waits until its processes are gone. */
export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
