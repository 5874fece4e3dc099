/**
 * Wires the Timeline into the extension: the Show Timeline command, opening on run start
 * (setting shoutHear.openTimeline), the run history, and the serializer that brings the panel
 * back after a window reload. One call from activate: `registerTimeline(context, runs)`.
 */
import * as vscode from 'vscode';
import type { Run } from '../../engine/run';
import type { TimelineRendered } from '../../protocol';
import { RunHistory } from './history';
import { webviewOptions } from '../webviewPage';
import { TIMELINE_TITLE, TIMELINE_VIEW_TYPE, TimelinePanel } from './panel';
import { sourceOfRun, syntheticSource, type TimelineSource } from './source';
import { reportHooks } from '../waitForReport';

/** What a RunController offers the timeline. */
export interface RunEvents {
  readonly onDidStartRun: vscode.Event<Run>;
}

/** Hooks for the integration tests (also handy for diagnostics). */
export interface TimelineTestApi {
  isOpen(): boolean;
  isVisible(): boolean;
  /** The last "what I drew" report from the page. */
  lastRendered(): TimelineRendered | undefined;
  /** Resolves with the first report (past or future) that satisfies pred. */
  waitForRendered(pred: (r: TimelineRendered) => boolean, timeoutMs?: number): Promise<TimelineRendered>;
  /** Asks the page for a fresh report. */
  requestReport(timeoutMs?: number): Promise<TimelineRendered>;
  /** Adds a finished made-up run (given process names and output lines), shows it, returns its id. */
  injectRun(spec: { processNames: string[]; lines: string[] }): string;
  /** Hands a raw message to the host as if the page sent it; false if the allow-list rejected it. */
  receiveFromWebview(message: unknown): boolean;
  droppedRuns(): number;
  /** Keeps a finished run from elsewhere (an opened trace file) and shows it. */
  showSource(source: TimelineSource): void;
  /** Opens the panel with two kept runs stacked (compare mode). */
  showCompare(mainId: string, compareId: string): void;
  /** Opens the panel on one kept run (main slot); a run no longer kept is said so in the panel. */
  showRun(runId: string): void;
  /** The runs kept, newest first. */
  keptRunIds(): string[];
  /** A kept run (a run of this window or an opened trace file), by id. */
  sourceOf(runId: string): TimelineSource | undefined;
  /** The newest kept run. */
  newestSource(): TimelineSource | undefined;
  /** The run shown in the panel's main slot, if the panel is open. */
  shownRunId(): string | undefined;
  /**
   * Does what VS Code does after a window reload (which would end the test run): hands a new
   * panel of our view type and the page's saved state to the serializer.
   */
  restoreForTest(state: unknown): Promise<void>;
}

export function registerTimeline(context: vscode.ExtensionContext, runs: RunEvents): TimelineTestApi {
  const log = vscode.window.createOutputChannel('Shout/Hear Timeline', { log: true });
  const history = new RunHistory();
  let panel: TimelinePanel | undefined;

  const adopt = (webviewPanel: vscode.WebviewPanel): TimelinePanel => {
    const p = new TimelinePanel(webviewPanel, context.extensionUri, history, log);
    panel = p;
    p.onDispose(() => { if (panel === p) { panel = undefined; } });
    return p;
  };

  /** What VS Code calls after a window reload: the panel comes back with the page's saved state. */
  const restore = async (webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> => {
    panel?.dispose();
    adopt(webviewPanel).restoreFrom(state);
  };

  const open = (preserveFocus: boolean): TimelinePanel => {
    if (panel) { panel.reveal(preserveFocus); return panel; }
    const created = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE, TIMELINE_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, webviewOptions(context.extensionUri),
    );
    return adopt(created);
  };

  context.subscriptions.push(
    log,
    { dispose: () => panel?.dispose() },
    vscode.commands.registerCommand('shoutHear.showTimeline', () => {
      // An open panel keeps what it shows; a new one starts with the newest run.
      const existed = panel !== undefined;
      const p = open(false);
      if (!existed) { p.showRun(undefined); }
    }),
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, { deserializeWebviewPanel: restore }),
    runs.onDidStartRun((run) => {
      history.add(sourceOfRun(run));
      const when = vscode.workspace.getConfiguration('shoutHear').get<unknown>('openTimeline', 'onRun');
      if (when !== 'never' && when !== 'onRun') {
        log.warn(`shoutHear.openTimeline is ${JSON.stringify(when)}; expected "onRun" or "never" — using "onRun".`);
      }
      if (when !== 'never' && !panel) { open(true); }
    }),
  );


  return {
    isOpen: () => panel !== undefined,
    isVisible: () => panel?.visible ?? false,
    ...reportHooks<TimelineRendered>('timeline', () => panel),
    injectRun: (spec) => {
      const entry = history.add(syntheticSource(spec));
      open(true).showRun(entry.source.id);
      return entry.source.id;
    },
    droppedRuns: () => history.dropped,
    showCompare: (mainId, compareId) => open(true).showCompare(mainId, compareId),
    showRun: (runId) => open(false).showRun(runId),
    showSource: (source) => {
      history.add(source);
      open(false).showRun(source.id);
    },
    keptRunIds: () => history.list().map((r) => r.runId),
    sourceOf: (runId) => history.get(runId)?.source,
    newestSource: () => history.newest?.source,
    shownRunId: () => panel?.shownRunId,
    restoreForTest: (state) => {
      const created = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, TIMELINE_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      return restore(created, state);
    },
  };
}
