/**
 * The host side of the one "Shout/Hear Explore" panel: what it shows (the latest batch and the
 * latest sweep, the tab picked), opening it, live updates while a series runs, the page's
 * requests (open a run's timeline, export the sweep as CSV). The commands that fill it live in
 * src/commands/ (runBatch, sweepNapProbabilities). One call from activate: `registerExplore(...)`.
 * The panel survives a window reload: what it shows is kept in the workspace's storage and its
 * serializer brings it back.
 */
import * as os from 'os';
import * as vscode from 'vscode';
import { reportErrors } from '../../commands/reportErrors';
import type { RunStore } from '../../host/runStore';
import type { ExploreBatchView, ExploreSweepView, ExploreTab, ExploreToHost } from '../../protocol/explore';
import { sweepCsv, type SweepGroup } from '../../stats/sweepStats';
import { webviewOptions } from '../webviewPage';
import type { TimelineView } from '../timeline/register';
import { EXPLORE_TITLE, EXPLORE_VIEW_TYPE, ExplorePanel } from './panel';
import { EXPLORE_STATE_KEY, parseSavedExplore, savedExplore, serializeSavedExplore } from './savedState';

const NO_SWEEP = 'There is no finished sweep to export yet: run Sweep Nap Probabilities first.';

export class ExploreView implements vscode.Disposable {
  private current: ExplorePanel | undefined;
  private tab: ExploreTab = 'batch';
  private batch: ExploreBatchView | null = null;
  private sweep: ExploreSweepView | null = null;
  /** The finished sweep's groups, for its CSV. */
  private sweepGroups: SweepGroup[] | undefined;
  private lastOpen: { runId: string; kept: boolean } | undefined;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private keptTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    private readonly timeline: TimelineView,
    readonly log: vscode.LogOutputChannel,
    /** True while a batch or sweep runs (the page is then updated by it). */
    private readonly seriesGoing: () => boolean,
  ) {
    this.subscriptions.push(store.onDidChange(({ added }) => {
      // The store keeps the newest runs only: tell the page which can still be opened.
      if (!added || !this.current || this.seriesGoing()) { return; }
      clearTimeout(this.keptTimer);
      this.keptTimer = setTimeout(() => this.current?.sendKept(this.store.ids()), 300);
    }));
  }

  get panel(): ExplorePanel | undefined { return this.current; }

  /** The batch and sweep the panel shows (the Runs view lists them). */
  get shown(): { batch: ExploreBatchView | null; sweep: ExploreSweepView | null } { return { batch: this.batch, sweep: this.sweep }; }

  private readonly shownListeners = new Set<() => void>();
  /** fn() whenever the batch or sweep shown changes (started, finished, restored, forgotten). */
  onDidChangeShown(fn: () => void): vscode.Disposable {
    this.shownListeners.add(fn);
    return { dispose: () => { this.shownListeners.delete(fn); } };
  }
  private fireShown(): void { for (const fn of this.shownListeners) { fn(); } }

  /** Opens the panel on one tab (the Runs view's batch and sweep items). */
  showTab(tab: ExploreTab): void {
    if (!(tab === 'batch' ? this.batch : this.sweep)) { throw new Error(vscode.l10n.t('There is no {0} to show: run {1} first.', tab, tab === 'batch' ? 'Run Batch…' : 'Sweep Nap Probabilities…')); }
    this.tab = tab;
    this.open(false);
    this.persist();
  }

  /** The run the page last asked to open (and whether its timeline was still kept). */
  get lastOpenRequest(): { runId: string; kept: boolean } | undefined { return this.lastOpen; }

  /** Shows a batch (running or finished) on the batch tab. */
  showBatch(view: ExploreBatchView): void { this.batch = view; this.tab = 'batch'; this.fireShown(); }

  /** Shows a sweep on the sweep tab; `groups` once it has ended (for its CSV). */
  showSweep(view: ExploreSweepView, groups: SweepGroup[] | undefined): void { this.sweep = view; this.sweepGroups = groups; this.tab = 'sweep'; this.fireShown(); }

  /** Sends the page the state soon: at most a few times a second while a series runs. */
  scheduleUpdate(): void {
    if (this.updateTimer) { return; }
    this.updateTimer = setTimeout(() => { this.updateTimer = undefined; this.current?.update(); }, 400);
  }

  updateNow(): void { clearTimeout(this.updateTimer); this.updateTimer = undefined; this.current?.update(); this.persist(); this.fireShown(); }

  open(preserveFocus: boolean): ExplorePanel {
    if (this.current) { this.current.reveal(preserveFocus); this.current.update(); return this.current; }
    return this.adopt(vscode.window.createWebviewPanel(
      EXPLORE_VIEW_TYPE, EXPLORE_TITLE, { viewColumn: vscode.ViewColumn.One, preserveFocus }, webviewOptions(this.context.extensionUri),
    ));
  }

  private adopt(webviewPanel: vscode.WebviewPanel): ExplorePanel {
    const p = new ExplorePanel(webviewPanel, this.context.extensionUri, () => this.stateMessage(), (m) => this.onPageMessage(m), this.log);
    this.current = p;
    p.onDispose(() => { if (this.current === p) { this.current = undefined; } });
    return p;
  }

  /** Keeps what the panel shows in the workspace's storage (for the serializer after a reload). */
  private persist(): void {
    if (!this.batch && !this.sweep) { return; }
    const text = serializeSavedExplore(savedExplore(this.tab, this.batch, this.sweep));
    if (text === undefined) { this.log.warn('explore: the batch and sweep shown are too large to keep across a window reload'); return; }
    this.context.workspaceState.update(EXPLORE_STATE_KEY, text).then(undefined, (err: Error) => this.log.warn(`explore: could not keep the panel's state: ${err.message}`));
  }

  /** What VS Code calls after a window reload: the panel comes back showing the stored batch and sweep. */
  restore(webviewPanel: vscode.WebviewPanel): Promise<void> {
    if (!this.batch && !this.sweep) {
      const raw = this.context.workspaceState.get<unknown>(EXPLORE_STATE_KEY);
      const saved = parseSavedExplore(raw);
      if (saved) {
        ({ tab: this.tab, batch: this.batch, sweep: this.sweep } = saved);
        this.fireShown();
      } else if (raw !== undefined) {
        this.log.warn('explore: the stored panel state is not one this version reads; the panel starts empty');
      }
    }
    this.current?.dispose();
    this.adopt(webviewPanel);
    return Promise.resolve();
  }

  /** Forgets this window's batch and sweep, as a reloaded extension host starts without them (tests). */
  forget(): void { this.batch = null; this.sweep = null; this.sweepGroups = undefined; this.tab = 'batch'; this.fireShown(); }

  private stateMessage() {
    return { type: 'state' as const, tab: this.tab, batch: this.batch, sweep: this.sweep, kept: this.store.ids(), keep: this.store.keep };
  }

  private ourRunIds(): Set<string> {
    return new Set([
      ...(this.batch?.orderings.flatMap((o) => o.runIds) ?? []),
      ...(this.sweep?.groups.flatMap((g) => g.runIds) ?? []),
    ]);
  }

  private onPageMessage(m: ExploreToHost): void {
    switch (m.type) {
      case 'tab': this.tab = m.tab; this.persist(); break;
      case 'openRun': {
        if (!this.ourRunIds().has(m.runId)) { this.log.warn(`explore webview asked to open run ${m.runId}, which is not in the batch or sweep shown: ignored`); return; }
        const kept = this.store.get(m.runId) !== undefined;
        this.lastOpen = { runId: m.runId, kept };
        if (kept) {
          this.timeline.showRun(m.runId);
        } else {
          void vscode.window.showInformationMessage(
            vscode.l10n.t('Run {0} is no longer kept: only the last {1} runs of this window are (runs live in memory), so its timeline is gone. Run the batch again to see more.', m.runId, this.store.keep));
          this.current?.sendKept(this.store.ids());
        }
        break;
      }
      case 'exportCsv':
        void reportErrors(false, () => this.exportCsv(undefined));
        break;
      default:
        break;
    }
  }

  /** Writes the finished sweep's CSV to target; resolves to the text written. */
  async writeCsv(target: vscode.Uri): Promise<string> {
    if (!this.sweepGroups || this.sweepGroups.length === 0) { throw new Error(NO_SWEEP); }
    const csv = sweepCsv(this.sweepGroups);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
    this.log.info(`sweep CSV written to ${target.toString()}`);
    return csv;
  }

  /** The page's Export CSV button: asks where, writes, says where. */
  private async exportCsv(target: vscode.Uri | undefined): Promise<string | undefined> {
    if (this.sweep && !this.sweepGroups) { throw new Error(vscode.l10n.t('The sweep shown was brought back after a window reload, without its runs\' measurements: run Sweep Nap Probabilities again to export CSV.')); }
    if (!this.sweepGroups || this.sweepGroups.length === 0) { throw new Error(NO_SWEEP); }
    let uri = target;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export the sweep as CSV'), saveLabel: vscode.l10n.t('Export CSV'),
        defaultUri: vscode.Uri.joinPath(folder, 'shout-hear-sweep.csv'), filters: { 'CSV': ['csv'] },
      });
      if (!uri) { return undefined; }
    }
    const csv = await this.writeCsv(uri);
    if (!target) { void vscode.window.showInformationMessage(vscode.l10n.t('Shout/Hear: sweep exported to {0}.', uri.fsPath || uri.toString())); }
    return csv;
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    clearTimeout(this.keptTimer);
    for (const s of this.subscriptions) { s.dispose(); }
    this.current?.dispose();
  }
}

export function registerExplore(
  context: vscode.ExtensionContext, store: RunStore, timeline: TimelineView, seriesGoing: () => boolean,
): ExploreView {
  const log = vscode.window.createOutputChannel('Shout/Hear Explore', { log: true });
  const explore = new ExploreView(context, store, timeline, log, seriesGoing);
  context.subscriptions.push(
    log, explore,
    vscode.window.registerWebviewPanelSerializer(EXPLORE_VIEW_TYPE, { deserializeWebviewPanel: (p) => explore.restore(p) }),
  );
  return explore;
}
