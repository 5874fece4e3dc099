/**
 * The hooks activate returns for the integration tests (also handy for diagnostics): what the
 * panels last drew, fake page messages, made-up runs. Kept here so that no production signature
 * names a test type; commands take the views' own interfaces (TimelineView, ExploreView).
 */
import * as vscode from 'vscode';
import type { SeriesRunner } from '../commands/series';
import type { ExploreRendered } from '../protocol/explore';
import type { RunSummary } from '../protocol/run';
import type { TimelineRendered } from '../protocol/timeline';
import type { HostToTimelineLearn } from '../protocol/timelineLearn';
import type { ExploreView } from '../views/explore/register';
import type { RunsElement, RunsTree } from '../views/runs/runsTree';
import type { Timeline } from '../views/timeline/register';
import { syntheticSource, type TimelineSource } from '../views/timeline/source';
import { TIMELINE_TITLE, TIMELINE_VIEW_TYPE } from '../views/timeline/panel';
import { EXPLORE_TITLE, EXPLORE_VIEW_TYPE } from '../views/explore/panel';
import { reportHooks } from './waitForReport';
import type { RunController } from './runController';
import type { RunStore } from './runStore';
import type { LearnDocuments, LineMark } from '../commands/learnDocuments';

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
  /** Drives the page's Learn controls (playhead, step, axis mode, narration) as a user would. */
  drive(message: HostToTimelineLearn): void;
  droppedRuns(): number;
  /** Keeps a finished run from elsewhere (an opened trace file) and shows it. */
  showSource(source: TimelineSource): void;
  /** Opens the panel with two kept runs stacked (compare mode). */
  showCompare(mainId: string, compareId: string): void;
  /** Opens the panel on one kept run (main slot); a run no longer kept is said so in the panel. */
  showRun(runId: string): void;
  /** The runs kept, newest first. */
  keptRunIds(): string[];
  /** A kept run's source (its trace, lanes and config), by id. */
  sourceOf(runId: string): TimelineSource | undefined;
  /**
   * Does what VS Code does after a window reload (which would end the test run): hands a new
   * panel of our view type and the page's saved state to the serializer.
   */
  restoreForTest(state: unknown): Promise<void>;
}

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
  /** Forgets the batch and sweep shown (as a fresh window starts). */
  forgetShown(): void;
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

export interface ShoutHearApi {
  /** The text most recently written to the Shout/Hear output channel (up to 1 MiB). */
  outputText: () => string;
  /** Summaries of the kept runs that ended, newest first. */
  recentRuns: () => readonly RunSummary[];
  /** Who holds and who waits for the print lock in the run going now (lock policy "manual"). */
  lockState: () => { holder: string | undefined; waiting: string[] } | undefined;
  /** The Timeline panel's hooks (its "what I drew" reports, a made-up run for tests). */
  timeline: TimelineTestApi;
  /** The Explore panel's hooks (Run Batch, Sweep Nap Probabilities). */
  explore: ExploreTestApi;
  /** A traced program's run (shoutHear.traceFile): each event's kind and source location, and its lanes' pids. */
  scriptRun: (runId: string) => { events: { kind: number; proc: number; tMs: number; file?: string; line?: number }[]; pids: number[]; leaderPid?: number } | undefined;
  /** The Runs view's elements (as VS Code gets them: top level, or a run's facts) and their tree items. */
  runsView: {
    children(element?: RunsElement): RunsElement[];
    item(element: RunsElement): vscode.TreeItem;
    /** Shows the view with the element selected (expanded if asked), as a click would. */
    reveal(element: RunsElement, expand: boolean): Thenable<void>;
  };
  /** Learn: the line marks last set on the program listing. */
  learn: { marks(): readonly LineMark[] };
}

export function timelineTestApi(timeline: Timeline, store: RunStore): TimelineTestApi {
  return {
    isOpen: () => timeline.panel !== undefined,
    isVisible: () => timeline.panel?.visible ?? false,
    ...reportHooks<TimelineRendered>('timeline', () => timeline.panel),
    injectRun: (spec) => {
      const entry = store.add(syntheticSource(spec));
      timeline.open(true).showRun(entry.source.id);
      return entry.source.id;
    },
    droppedRuns: () => store.dropped,
    drive: (m) => timeline.panel?.drive(m),
    showCompare: (mainId, compareId) => timeline.showCompare(mainId, compareId),
    showRun: (runId) => timeline.showRun(runId),
    showSource: (source) => timeline.showSource(source),
    keptRunIds: () => store.ids(),
    sourceOf: (runId) => store.get(runId)?.source,
    restoreForTest: (state) => {
      const created = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, TIMELINE_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      return timeline.restore(created, state);
    },
  };
}

export function exploreTestApi(explore: ExploreView, series: SeriesRunner): ExploreTestApi {
  return {
    isOpen: () => explore.panel !== undefined,
    ...reportHooks<ExploreRendered>('explore', () => explore.panel),
    exportCsv: (target) => explore.writeCsv(target),
    cancel: () => series.cancel(),
    forgetShown: () => explore.forget(),
    lastOpenRequest: () => explore.lastOpenRequest,
    restoreForTest: async ({ afterReload }) => {
      if (afterReload) {
        if (series.busy) { throw new Error('restoreForTest: a batch or sweep is still going'); }
        explore.forget();
      }
      const created = vscode.window.createWebviewPanel(EXPLORE_VIEW_TYPE, EXPLORE_TITLE, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
      await explore.restore(created);
    },
  };
}

export function shoutHearApi(
  parts: { outputText: () => string; runs: RunController; store: RunStore; timeline: Timeline; explore: ExploreView; series: SeriesRunner; runsTree: RunsTree; runsView: vscode.TreeView<RunsElement>; learn: LearnDocuments },
): ShoutHearApi {
  return {
    outputText: parts.outputText,
    recentRuns: () => parts.store.summaries(),
    lockState: () => parts.runs.running?.lockState,
    timeline: timelineTestApi(parts.timeline, parts.store),
    explore: exploreTestApi(parts.explore, parts.series),
    scriptRun: (runId) => {
      const script = parts.store.get(runId)?.source.script;
      if (!script) { return undefined; }
      const events: { kind: number; proc: number; tMs: number; file?: string; line?: number }[] = [];
      for (let i = 0; i < script.trace.length; i++) {
        const e = script.trace.get(i);
        const site = script.meta.sites.get(e.site);
        events.push({ kind: e.kind, proc: e.proc, tMs: e.t / 1e6, ...(site ? { file: site.file, line: site.line } : {}) });
      }
      return { events, pids: script.lanes().map((l) => l.pid), ...(script.pid !== undefined ? { leaderPid: script.pid } : {}) };
    },
    runsView: {
      children: (e) => parts.runsTree.getChildren(e),
      item: (e) => parts.runsTree.getTreeItem(e),
      reveal: (e, expand) => parts.runsView.reveal(e, { select: true, focus: false, expand }),
    },
    learn: { marks: () => parts.learn.marks },
  };
}
