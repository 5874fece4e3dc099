/**
 * One run at a time in this window: starts it (stopping any run still going first), shows
 * its progress (notification with Cancel, status bar item), feeds the output view, and
 * stops it on request or when the extension deactivates.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { forgetPython, pythonScriptPath, type ResolvedPython } from '../engine/python';
import { startRun, type ReplayPlan, type Run } from '../engine/run';
import type { ScriptRun } from '../engine/scriptRun';
import { scriptSummaryText, type ScriptResult } from '../trace/scriptSummary';
import { sourceOfScript } from '../views/timeline/scriptSource';
import type { RunConfig, RunSummary } from '../protocol/run';
import { unsupportedPlatformMessage } from '../shared/platformSupport';
import { HeardProgress } from '../trace/progress';
import type { OutputView } from '../views/outputView';
import { sourceOfRun } from '../views/timeline/source';
import type { RunStore } from './runStore';

const PROGRESS_MS = 250;

export class RunController implements vscode.Disposable {
  private current: Run | undefined;
  /** A user's own program being traced (shoutHear.traceFile): also one run at a time. */
  private currentScript: ScriptRun | undefined;
  private readonly statusItem = vscode.window.createStatusBarItem('shoutHear.run', vscode.StatusBarAlignment.Left, 10);
  /** The config of the most recent run (seed as configured, so a fresh seed stays fresh). */
  lastConfig: RunConfig | undefined;
  private readonly startEmitter = new vscode.EventEmitter<Run>();
  private readonly endEmitter = new vscode.EventEmitter<{ run: Run; summary: RunSummary }>();
  /** A run started (its trace and output are live on the Run object). */
  readonly onDidStartRun = this.startEmitter.event;
  /** A run ended, however it ended. */
  readonly onDidEndRun = this.endEmitter.event;

  constructor(
    private readonly extensionPath: string,
    private readonly view: OutputView,
    private readonly locatePython: () => Promise<ResolvedPython>,
    /** Where every run started here is kept (and its summary once it ends). */
    readonly store: RunStore,
  ) {
    this.statusItem.name = 'Shout/Hear run';
    this.statusItem.command = 'shoutHear.stop';
    this.statusItem.tooltip = 'Shout/Hear is running: click to stop';
    this.statusItem.accessibilityInformation = { label: 'Shout/Hear run in progress. Activate to stop it.', role: 'button' };
  }

  get running(): Run | undefined { return this.current; }

  async run(config: RunConfig, replay?: ReplayPlan): Promise<RunSummary> {
    // Starts are taken one at a time, each stopping the run before it: however fast runs are
    // requested, at most one is alive.
    const turn = this.startTurn.then(() => this.stopAndStart(config, replay));
    this.startTurn = turn.then(() => undefined, () => undefined);
    const run = await turn;
    return this.follow(run);
  }

  private startTurn: Promise<void> = Promise.resolve();

  private async stopAndStart(config: RunConfig, replay: ReplayPlan | undefined): Promise<Run> {
    const unsupported = unsupportedPlatformMessage(process.platform, 'extension');
    if (unsupported) { throw new Error(unsupported); }
    // Find Python first: if there is none, the run still going is left alone.
    const python = config.engine === 'python' ? await this.locatePython() : undefined;
    await this.stop();
    if (!replay) { this.lastConfig = config; }
    let run: Run;
    try {
      run = startRun({
        config,
        workerDir: path.join(this.extensionPath, 'dist', 'workers'),
        ...(python ? { python: { executable: python.executable, version: python.version, script: pythonScriptPath(this.extensionPath) } } : {}),
        ...(replay ? { replay } : {}),
        onOutput: (text) => this.view.output(text),
      });
    } catch (err) {
      if (python) { forgetPython(python.executable); }
      this.view.error((err as Error).message);
      throw err;
    }
    // The interpreter found earlier may be gone since (a deleted venv): ask again next time.
    if (python) { void run.done.then(() => { if (run.startFailedFor !== undefined) { forgetPython(python.executable); } }); }
    this.current = run;
    this.store.add(sourceOfRun(run), run);
    // Context key for the palette's `when` clauses (commands that need a kept run).
    void vscode.commands.executeCommand('setContext', 'shoutHear.hasRuns', this.store.runs().length > 0);
    this.view.startRun(run.id, run.seed, config);
    return run;
  }

  private async follow(run: Run): Promise<RunSummary> {
    void vscode.commands.executeCommand('setContext', 'shoutHear.running', true);
    this.showProgress(run);
    const stopShowingLock = run.config.lockPolicy === 'manual' ? this.showLockWaiters(run) : undefined;
    this.startEmitter.fire(run);
    const summary = await run.done;
    stopShowingLock?.();
    if (run.replayOf) {
      const original = this.findRun(run.replayOf);
      if (original) { summary.identical = original.transcript.text() === run.transcript.text(); }
    }
    if (this.current === run) {
      this.current = undefined;
      this.statusItem.hide();
      void vscode.commands.executeCommand('setContext', 'shoutHear.running', false);
    }
    this.view.endRun(summary);
    this.endEmitter.fire({ run, summary });
    this.store.ended(run.id, summary);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Shout/Hear: {0} ({1})', summary.ok ? 'ok' : summary.stopped ? 'stopped' : 'failed', summary.runId), 5000);
    return summary;
  }

  /** The real runs kept in the store, newest first. */
  get kept(): Run[] { return this.store.runs(); }

  findRun(runId: string): Run | undefined { return this.store.findRun(runId); }

  /** Stops the current run, if any, and waits until all its processes are gone. */
  async stop(): Promise<RunSummary | undefined> {
    await this.currentScript?.stop();
    return this.current?.stop();
  }

  /**
   * Traces a user's program: stops the run going (of either kind), starts `start()` in its
   * turn, keeps it in the store, shows its output and summary; resolves when it has ended.
   */
  async runScript(start: (onOutput: (text: string) => void) => ScriptRun, header: (runId: string) => string): Promise<ScriptResult> {
    const turn = this.startTurn.then(async () => {
      await this.stop();
      const script = start((text) => this.view.output(text));
      this.currentScript = script;
      this.store.add(sourceOfScript(script));
      void vscode.commands.executeCommand('setContext', 'shoutHear.hasRuns', true);
      this.view.startText(header(script.id));
      return script;
    });
    this.startTurn = turn.then(() => undefined, () => undefined);
    const script = await turn;
    void vscode.commands.executeCommand('setContext', 'shoutHear.running', true);
    this.statusItem.text = `$(sync~spin) Shout/Hear: ${path.basename(script.file)}`;
    this.statusItem.accessibilityInformation = { label: `Shout/Hear is tracing ${path.basename(script.file)}. Activate to stop.`, role: 'button' };
    this.statusItem.show();
    const result = await script.done;
    if (this.currentScript === script) {
      this.currentScript = undefined;
      if (!this.current) {
        this.statusItem.hide();
        void vscode.commands.executeCommand('setContext', 'shoutHear.running', false);
      }
    }
    this.view.endText(scriptSummaryText(result));
    vscode.window.setStatusBarMessage(`Shout/Hear: ${result.ok ? 'ok' : result.stopped ? 'stopped' : 'failed'} (${path.basename(result.file)})`, 5000);
    return result;
  }

  /** Lock policy "manual": a status bar item says who waits, and grants on click. */
  private showLockWaiters(run: Run): () => void {
    const item = vscode.window.createStatusBarItem('shoutHear.lock', vscode.StatusBarAlignment.Left, 9);
    item.name = 'Shout/Hear lock';
    item.command = 'shoutHear.grantLock';
    const update = () => {
      const { holder, waiting } = run.lockState;
      item.text = waiting.length > 0 && holder === undefined ? `$(unlock) Grant lock: ${waiting.join(' | ')}` : `$(lock) ${holder ?? 'free'}`;
      item.tooltip = waiting.length > 0 ? `Waiting for the print lock: ${waiting.join(', ')}. Click to grant.` : 'Nobody waits for the print lock.';
      item.accessibilityInformation = {
        label: waiting.length > 0 && holder === undefined
          ? `Print lock free; waiting: ${waiting.join(', ')}. Activate to grant it.`
          : `Print lock held by ${holder ?? 'nobody'}.`,
        role: 'button',
      };
      item.backgroundColor = waiting.length > 0 && holder === undefined ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    };
    update();
    item.show();
    const off = run.onLockState(update);
    return () => { off(); item.dispose(); };
  }

  private showProgress(run: Run): void {
    // Every shouter's messages count, and only messages: "done" is no message heard.
    const counter = new HeardProgress(run.trace, run.config);
    const total = counter.total;
    const update = () => {
      const heard = counter.heard;
      this.statusItem.text = `$(sync~spin) Shout/Hear ${Math.min(heard, total)}/${total}`;
      this.statusItem.accessibilityInformation = { label: `Shout/Hear running: ${Math.min(heard, total)} of ${total} messages heard. Activate to stop.`, role: 'button' };
      return heard;
    };
    update();
    this.statusItem.show();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Shout/Hear'), cancellable: true },
      (progress, token) => new Promise<void>((resolve) => {
        token.onCancellationRequested(() => { void run.stop(); });
        let reported = 0;
        const timer = setInterval(() => {
          const heard = Math.min(update(), total);
          progress.report({ message: `${heard} of ${total} messages heard`, increment: ((heard - reported) / total) * 100 });
          reported = heard;
        }, PROGRESS_MS);
        void run.done.then(() => { clearInterval(timer); resolve(); });
      }),
    );
  }

  dispose(): void {
    void this.current?.stop();
    void this.currentScript?.stop();
    this.statusItem.dispose();
    this.startEmitter.dispose();
    this.endEmitter.dispose();
  }
}
