/**
 * Wires the Timeline into the extension: opening on run start (setting shoutHear.openTimeline),
 * the panel (which shows the runs of the run store), and the serializer that brings the panel
 * back after a window reload. One call from activate: `registerTimeline(context, runs, store)`.
 */
import * as vscode from 'vscode';
import type { Run } from '../../engine/run';
import type { RunStore } from '../../host/runStore';
import { webviewOptions } from '../webviewPage';
import { timelineTitle, TIMELINE_VIEW_TYPE, TimelinePanel, type ProgramFollower } from './panel';
import type { TimelineSource } from './source';

/** What a RunController offers the timeline. */
export interface RunEvents {
  readonly onDidStartRun: vscode.Event<Run>;
}

/** What commands and other views may ask of the Timeline. */
export interface TimelineView {
  /** Opens the panel on one kept run (main slot; default the newest); a run no longer kept is said so in the panel. */
  showRun(runId?: string): void;
  /** Opens the panel with two kept runs stacked (compare mode). */
  showCompare(mainId: string, compareId: string): void;
  /** Keeps a finished run from elsewhere (an opened trace file) and shows it. */
  showSource(source: TimelineSource): void;
  /** The run asked for in the panel's main slot, if the panel is open. */
  shownRunId(): string | undefined;
}

/** The Timeline as activate holds it: the view, and its panel for the test hooks. */
export interface Timeline extends TimelineView {
  readonly panel: TimelinePanel | undefined;
  /** Opens (or reveals) the panel. */
  open(preserveFocus: boolean): TimelinePanel;
  /** What VS Code calls after a window reload: the panel comes back with the page's saved state. */
  restore(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** The program editor follows the page's playhead and event clicks through this. */
  followProgram(follower: ProgramFollower): void;
}

export function registerTimeline(context: vscode.ExtensionContext, runs: RunEvents, store: RunStore): Timeline {
  const log = vscode.window.createOutputChannel('Shout/Hear Timeline', { log: true });
  let panel: TimelinePanel | undefined;
  let follower: ProgramFollower | undefined;

  const adopt = (webviewPanel: vscode.WebviewPanel): TimelinePanel => {
    const p = new TimelinePanel(webviewPanel, context.extensionUri, store, log);
    panel = p;
    p.follower = follower;
    p.onDispose(() => { if (panel === p) { panel = undefined; } });
    return p;
  };

  const restore = (webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> => {
    panel?.dispose();
    adopt(webviewPanel).restoreFrom(state);
    return Promise.resolve();
  };

  const open = (preserveFocus: boolean): TimelinePanel => {
    if (panel) { panel.reveal(preserveFocus); return panel; }
    const created = vscode.window.createWebviewPanel(
      TIMELINE_VIEW_TYPE, timelineTitle(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, webviewOptions(context.extensionUri),
    );
    return adopt(created);
  };

  context.subscriptions.push(
    log,
    { dispose: () => panel?.dispose() },
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, { deserializeWebviewPanel: restore }),
    runs.onDidStartRun(() => {
      const when = vscode.workspace.getConfiguration('shoutHear').get<unknown>('openTimeline', 'onRun');
      if (when !== 'never' && when !== 'onRun') {
        log.warn(`shoutHear.openTimeline is ${JSON.stringify(when)}; expected "onRun" or "never" — using "onRun".`);
      }
      if (when !== 'never' && !panel) { open(true); }
    }),
  );

  return {
    get panel() { return panel; },
    open,
    restore,
    showRun: (runId) => open(false).showRun(runId),
    showCompare: (mainId, compareId) => open(true).showCompare(mainId, compareId),
    showSource: (source) => {
      store.add(source);
      open(false).showRun(source.id);
    },
    shownRunId: () => panel?.shownRunId,
    followProgram: (f) => { follower = f; if (panel) { panel.follower = f; } },
  };
}
