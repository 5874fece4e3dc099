/**
 * Run Batch and Sweep Nap Probabilities: the commands, running their runs one after another
 * through the RunController (with a progress notification and Cancel), and the one "Shout/Hear
 * Explore" panel that shows the latest batch and the latest sweep. One call from activate:
 * `registerExplore(context, runs, timeline, resolveConfig)`. The panel survives a window reload:
 * what it shows is kept in the workspace's storage and its serializer brings it back.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Run } from '../../engine/run';
import {
  ArgumentError, BATCH_DEFAULT_RUNS, BATCH_MAX_RUNS, BatchCollector, batchResult, batchView, parseBatchArgs, possibleOrderings, runSequence, validateRunCountText, type BatchResult, type SequenceOutcome,
} from '../../explore/batch';
import {
  parseProbabilityText, parseSweepArgs, runsEachProblem, SweepCollector, sweepPlan, sweepResult, sweepView,
  SWEEP_DEFAULT_PROBABILITIES, SWEEP_DEFAULT_RUNS_EACH, SWEEP_MAX_RUNS_EACH, type SweepResult,
} from '../../explore/sweep';
import { sampleOf, sweepCsv, type SweepGroup } from '../../explore/sweepStats';
import {
  TIMELINE_KEEP_RUNS, type ExploreBatchView, type ExploreRendered, type ExploreSweepView, type ExploreTab, type ExploreToHost, type RunConfig, type RunSummary,
} from '../../protocol';
import { webviewOptions } from '../webviewPage';
import { EXPLORE_TITLE, EXPLORE_VIEW_TYPE, ExplorePanel } from './panel';
import { reportHooks } from '../waitForReport';
import { reportErrors } from '../../commandErrors';
import { EXPLORE_STATE_KEY, parseSavedExplore, savedExplore, serializeSavedExplore } from './savedState';

/** What the explorer needs of the RunController. */
export interface ExploreRuns {
  run(config: RunConfig): Promise<RunSummary>;
  stop(): Promise<RunSummary | undefined>;
  findRun(runId: string): Run | undefined;
  readonly onDidStartRun: vscode.Event<Run>;
}

/** What the explorer needs of the Timeline. */
export interface ExploreTimeline {
  keptRunIds(): string[];
  showRun(runId: string): void;
}

/** Hooks for the integration tests (also handy for diagnostics). */
export interface ExploreTestApi {
  isOpen(): boolean;
  lastRendered(): ExploreRendered | undefined;
  /** Resolves with the first report (past or future) that satisfies pred. */
  waitForRendered(pred: (r: ExploreRendered) => boolean, timeoutMs?: number): Promise<ExploreRendered>;
  /** Asks the page for a fresh report. */
  requestReport(timeoutMs?: number): Promise<ExploreRendered>;
  /** Hands a raw message to the host as if the page sent it; false if the allow-list rejected it. */
  receiveFromWebview(message: unknown): boolean;
  /** Writes the latest sweep's CSV to target (no dialog); resolves to the text written. */
  exportCsv(target: vscode.Uri): Promise<string>;
  /** Cancels the batch or sweep going, as its Cancel button does. */
  cancel(): void;
  /** The run the page last asked to open (and whether its timeline was still kept). */
  lastOpenRequest(): { runId: string; kept: boolean } | undefined;
  /**
   * Does what VS Code does after a window reload (which would end the test run): hands a new
   * panel of our view type to the serializer. `afterReload`: forget this window's batch and sweep
   * first, as a reloaded extension host starts without them (they come back from storage).
   */
  restoreForTest(options: { afterReload: boolean }): Promise<void>;
}

type ResolveConfig = (overrides: unknown) => RunConfig;


export function registerExplore(context: vscode.ExtensionContext, runs: ExploreRuns, timeline: ExploreTimeline, resolveConfig: ResolveConfig): ExploreTestApi {
  const log = vscode.window.createOutputChannel('Shout/Hear Explore', { log: true });
  let panel: ExplorePanel | undefined;
  let tab: ExploreTab = 'batch';
  let batch: ExploreBatchView | null = null;
  let sweep: ExploreSweepView | null = null;
  let sweepGroups: SweepGroup[] | undefined;
  let busy: string | undefined;
  let cancelCurrent: (() => void) | undefined;
  let lastOpen: { runId: string; kept: boolean } | undefined;

  const stateMessage = () => ({ type: 'state' as const, tab, batch, sweep, kept: timeline.keptRunIds(), keep: TIMELINE_KEEP_RUNS });

  const ourRunIds = (): Set<string> => new Set([
    ...(batch?.orderings.flatMap((o) => o.runIds) ?? []),
    ...(sweep?.groups.flatMap((g) => g.runIds) ?? []),
  ]);

  const onPageMessage = (m: ExploreToHost) => {
    switch (m.type) {
      case 'tab': tab = m.tab; persist(); break;
      case 'openRun': {
        if (!ourRunIds().has(m.runId)) { log.warn(`explore webview asked to open run ${m.runId}, which is not in the batch or sweep shown: ignored`); return; }
        const kept = timeline.keptRunIds().includes(m.runId);
        lastOpen = { runId: m.runId, kept };
        if (kept) {
          timeline.showRun(m.runId);
        } else {
          void vscode.window.showInformationMessage(
            `Run ${m.runId} is no longer kept: only the last ${TIMELINE_KEEP_RUNS} runs of this window are (runs live in memory), so its timeline is gone. Run the batch again to see more.`);
          panel?.sendKept(timeline.keptRunIds());
        }
        break;
      }
      case 'exportCsv':
        void exportCsv(undefined).catch((err: Error) => void vscode.window.showErrorMessage(`Shout/Hear: ${err.message}`));
        break;
      default:
        break;
    }
  };

  const adopt = (webviewPanel: vscode.WebviewPanel): ExplorePanel => {
    const p = new ExplorePanel(webviewPanel, context.extensionUri, stateMessage, onPageMessage, log);
    panel = p;
    p.onDispose(() => { if (panel === p) { panel = undefined; } });
    return p;
  };

  const open = (preserveFocus: boolean): ExplorePanel => {
    if (panel) { panel.reveal(preserveFocus); panel.update(); return panel; }
    return adopt(vscode.window.createWebviewPanel(
      EXPLORE_VIEW_TYPE, EXPLORE_TITLE, { viewColumn: vscode.ViewColumn.One, preserveFocus }, webviewOptions(context.extensionUri),
    ));
  };

  /** Keeps what the panel shows in the workspace's storage (for the serializer after a reload). */
  const persist = () => {
    if (!batch && !sweep) { return; }
    const text = serializeSavedExplore(savedExplore(tab, batch, sweep));
    if (text === undefined) { log.warn('explore: the batch and sweep shown are too large to keep across a window reload'); return; }
    void context.workspaceState.update(EXPLORE_STATE_KEY, text).then(undefined, (err: Error) => log.warn(`explore: could not keep the panel's state: ${err.message}`));
  };

  /** What VS Code calls after a window reload: the panel comes back showing the stored batch and sweep. */
  const restore = async (webviewPanel: vscode.WebviewPanel): Promise<void> => {
    if (!batch && !sweep) {
      const raw = context.workspaceState.get<unknown>(EXPLORE_STATE_KEY);
      const saved = parseSavedExplore(raw);
      if (saved) {
        ({ tab, batch, sweep } = saved);
      } else if (raw !== undefined) {
        log.warn('explore: the stored panel state is not one this version reads; the panel starts empty');
      }
    }
    panel?.dispose();
    adopt(webviewPanel);
  };

  // Live updates while a batch or sweep runs: at most a few a second.
  let updateTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleUpdate = () => {
    if (updateTimer) { return; }
    updateTimer = setTimeout(() => { updateTimer = undefined; panel?.update(); }, 400);
  };
  const updateNow = () => { clearTimeout(updateTimer); updateTimer = undefined; panel?.update(); persist(); };

  /** Runs `plan` one after another, with a progress notification whose Cancel stops the run going and the rest. */
  const runSeries = (title: string, plan: RunConfig[], onEnd: (summary: RunSummary, run: Run | undefined) => void, status: () => string): Thenable<SequenceOutcome> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      let cancelled = false;
      const cancel = () => { cancelled = true; void runs.stop(); };
      cancelCurrent = cancel;
      token.onCancellationRequested(cancel);
      try {
        return await runSequence(plan, {
          run: (config) => runs.run(config),
          cancelled: () => cancelled,
          onStart: (i) => progress.report({ message: `run ${i + 1} of ${plan.length}${status()}` }),
          onEnd: (summary) => {
            onEnd(summary, runs.findRun(summary.runId));
            progress.report({ increment: 100 / plan.length });
          },
        });
      } finally {
        cancelCurrent = undefined;
      }
    });

  const claim = (what: string) => {
    if (busy) { throw new Error(`${busy} is still going: cancel it first (Cancel on its progress notification) or wait for it to end.`); }
    busy = what;
  };

  const linesOf = (summary: RunSummary, run: Run | undefined): string[] => run?.transcript.allLines() ?? summary.lines ?? [];

  async function runBatch(arg: unknown, fromApi: boolean): Promise<BatchResult | undefined> {
    const args = parseBatchArgs(arg);
    if (!fromApi) {
      const typed = await vscode.window.showInputBox({
        title: 'Shout/Hear: Run Batch',
        prompt: `How many runs of the current settings, one after another? (1 to ${BATCH_MAX_RUNS})`,
        value: String(BATCH_DEFAULT_RUNS),
        validateInput: validateRunCountText,
      });
      if (typed === undefined) { return undefined; }
      args.runs = Number(typed.trim());
    }
    const config = resolveConfig(args.overrides);
    claim('A batch');
    try {
      const collector = new BatchCollector();
      const possible = possibleOrderings(config);
      tab = 'batch';
      batch = batchView(batchResult(collector, possible, args.runs, false), config, { running: true });
      open(true);
      const outcome = await runSeries(
        `Shout/Hear: Run Batch (${args.runs} runs)`,
        new Array<RunConfig>(args.runs).fill(config),
        (summary, run) => {
          collector.add(summary.runId, linesOf(summary, run), summary.ok);
          batch = batchView(batchResult(collector, possible, args.runs, false), config, { running: true });
          scheduleUpdate();
        },
        () => (collector.count > 0 ? ` · ${collector.distinct} distinct so far` : ''),
      ).then(undefined, (err: Error) => {
        // A run could not start (e.g. no Python): show what ran, then report the error.
        batch = batchView(batchResult(collector, possible, args.runs, true), config, { running: false, interruption: `a run could not start: ${err.message}` });
        updateNow();
        throw err;
      });
      const result = batchResult(collector, possible, args.runs, outcome.cancelled);
      batch = batchView(result, config, { running: false, ...(outcome.interruption ? { interruption: outcome.interruption } : {}) });
      tab = 'batch';
      open(true);
      updateNow();
      return result;
    } finally {
      busy = undefined;
    }
  }

  function csvTarget(x: unknown): vscode.Uri | undefined {
    if (x === undefined) { return undefined; }
    if (x instanceof vscode.Uri) { return x; }
    if (typeof x === 'string' && path.isAbsolute(x)) { return vscode.Uri.file(x); }
    throw new ArgumentError(`Sweep Nap Probabilities: "csv" must be a file Uri or an absolute path where the CSV is written; got ${JSON.stringify(x)}.`);
  }

  async function runSweep(arg: unknown, fromApi: boolean): Promise<(SweepResult & { csv?: string }) | undefined> {
    const args = parseSweepArgs(arg);
    const target = csvTarget(args.csv);
    if (!fromApi) {
      const typed = await vscode.window.showInputBox({
        title: 'Shout/Hear: Sweep Nap Probabilities (1/2)',
        prompt: 'Nap probabilities to sweep, from 0 to 1, separated by commas',
        value: SWEEP_DEFAULT_PROBABILITIES.join(', '),
        validateInput: (text) => { try { parseProbabilityText(text); return undefined; } catch (err) { return (err as Error).message; } },
      });
      if (typed === undefined) { return undefined; }
      args.probabilities = parseProbabilityText(typed);
      const each = await vscode.window.showInputBox({
        title: 'Shout/Hear: Sweep Nap Probabilities (2/2)',
        prompt: `Runs for each probability (1 to ${SWEEP_MAX_RUNS_EACH})`,
        value: String(SWEEP_DEFAULT_RUNS_EACH),
        validateInput: (text) => (/^\s*\d+\s*$/.test(text) ? runsEachProblem(Number(text)) : `Type a whole number from 1 to ${SWEEP_MAX_RUNS_EACH}.`),
      });
      if (each === undefined) { return undefined; }
      args.runsEach = Number(each.trim());
    }
    const base = resolveConfig(args.overrides);
    // Each probability's config goes through the same validation as a run's overrides.
    const configs = new Map(args.probabilities.map((p) => [p, resolveConfig({ ...(args.overrides ?? {}), napProbability: p })]));
    claim('A sweep');
    try {
      const collector = new SweepCollector();
      tab = 'sweep';
      sweepGroups = [];
      sweep = sweepView(sweepResult(collector, args, false), base, { running: true });
      open(true);
      const plan = sweepPlan(args.probabilities, args.runsEach).map((p) => configs.get(p)!);
      const outcome = await runSeries(
        `Shout/Hear: Sweep Nap Probabilities (${args.probabilities.length} × ${args.runsEach} runs)`,
        plan,
        (summary, run) => {
          if (!run) { log.warn(`sweep: run ${summary.runId} was no longer kept when it ended; left out`); return; }
          collector.add(sampleOf({ runId: summary.runId, summary, trace: run.trace, lines: linesOf(summary, run) }));
          sweep = sweepView(sweepResult(collector, args, false), base, { running: true });
          scheduleUpdate();
        },
        () => '',
      ).then(undefined, (err: Error) => {
        sweepGroups = collector.groups();
        sweep = sweepView(sweepResult(collector, args, true), base, { running: false, interruption: `a run could not start: ${err.message}` });
        updateNow();
        throw err;
      });
      const result = sweepResult(collector, args, outcome.cancelled);
      sweepGroups = collector.groups();
      sweep = sweepView(result, base, { running: false, ...(outcome.interruption ? { interruption: outcome.interruption } : {}) });
      tab = 'sweep';
      open(true);
      updateNow();
      if (target) {
        await writeCsv(target);
        return { ...result, csv: target.toString() };
      }
      return result;
    } finally {
      busy = undefined;
    }
  }

  async function writeCsv(target: vscode.Uri): Promise<string> {
    if (!sweepGroups || sweepGroups.length === 0) { throw new Error('There is no finished sweep to export yet: run Sweep Nap Probabilities first.'); }
    const csv = sweepCsv(sweepGroups);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
    log.info(`sweep CSV written to ${target.toString()}`);
    return csv;
  }

  async function exportCsv(target: vscode.Uri | undefined): Promise<string | undefined> {
    if (sweep && !sweepGroups) { throw new Error('The sweep shown was brought back after a window reload, without its runs\' measurements: run Sweep Nap Probabilities again to export CSV.'); }
    if (!sweepGroups || sweepGroups.length === 0) { throw new Error('There is no finished sweep to export yet: run Sweep Nap Probabilities first.'); }
    let uri = target;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      uri = await vscode.window.showSaveDialog({
        title: 'Export the sweep as CSV', saveLabel: 'Export CSV',
        defaultUri: vscode.Uri.joinPath(folder, 'shout-hear-sweep.csv'), filters: { 'CSV': ['csv'] },
      });
      if (!uri) { return undefined; }
    }
    const csv = await writeCsv(uri);
    if (!target) { void vscode.window.showInformationMessage(`Shout/Hear: sweep exported to ${uri.fsPath || uri.toString()}.`); }
    return csv;
  }

  /** Errors: from the palette shown as a message; from the API also rejected. */
  const command = <T>(name: string, body: (arg: unknown, fromApi: boolean) => Promise<T>) =>
    vscode.commands.registerCommand(name, (arg?: unknown) => reportErrors(arg !== undefined, () => body(arg, arg !== undefined)));

  let keptTimer: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(
    log,
    { dispose: () => { clearTimeout(updateTimer); clearTimeout(keptTimer); panel?.dispose(); } },
    command('shoutHear.runBatch', runBatch),
    command('shoutHear.sweepNapProbabilities', runSweep),
    vscode.window.registerWebviewPanelSerializer(EXPLORE_VIEW_TYPE, { deserializeWebviewPanel: restore }),
    runs.onDidStartRun(() => {
      // The timeline keeps the newest runs only: tell the page which can still be opened.
      if (!panel || busy) { return; }
      clearTimeout(keptTimer);
      keptTimer = setTimeout(() => panel?.sendKept(timeline.keptRunIds()), 300);
    }),
  );


  return {
    isOpen: () => panel !== undefined,
    ...reportHooks<ExploreRendered>('explore', () => panel),
    exportCsv: (target) => writeCsv(target),
    cancel: () => cancelCurrent?.(),
    lastOpenRequest: () => lastOpen,
    restoreForTest: async ({ afterReload }) => {
      if (afterReload) {
        if (busy) { throw new Error('restoreForTest: a batch or sweep is still going'); }
        batch = null; sweep = null; sweepGroups = undefined; tab = 'batch';
      }
      const created = vscode.window.createWebviewPanel(EXPLORE_VIEW_TYPE, EXPLORE_TITLE, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
      await restore(created);
    },
  };
}
