/**
 * What the Runs view offers on a kept run (and the API with a run id): Open Timeline, Compare
 * With…, Forget, and opening a batch or sweep in Explore. VS Code calls a context command with
 * the tree element; the API passes a run id. Both are accepted and checked here.
 */
import * as vscode from 'vscode';
import type { RunStore } from '../host/runStore';
import type { ExploreTab } from '../protocol/explore';
import type { ExploreView } from '../views/explore/register';
import type { TimelineView } from '../views/timeline/register';

/** A run id from an API caller's string or from a Runs view element; other values pass through. */
export function runIdOf(arg: unknown): unknown {
  if (typeof arg === 'object' && arg !== null && 'runId' in arg && typeof arg.runId === 'string') { return arg.runId; }
  return arg;
}

/** The kept run's id named by arg, or an error naming what was wrong. */
function keptIdOrThrow(store: RunStore, arg: unknown, command: string): string {
  const id = runIdOf(arg);
  if (typeof id !== 'string') { throw new Error(vscode.l10n.t('{0} takes a run (from the Runs view) or a run id such as "run-…"; got {1}.', command, JSON.stringify(id) ?? 'nothing')); }
  if (!store.get(id)) { throw new Error(vscode.l10n.t('No run "{0}" is kept in this window (kept: {1}).', id, store.ids().join(', ') || vscode.l10n.t('none'))); }
  return id;
}

export function openRunTimeline(store: RunStore, timeline: TimelineView, arg: unknown): { runId: string } {
  const runId = keptIdOrThrow(store, arg, vscode.l10n.t('Open Timeline'));
  timeline.showRun(runId);
  return { runId };
}

/** Compare With…: the run stacked over another kept run in the timeline (asks which, unless given). */
export async function compareRunWith(store: RunStore, timeline: TimelineView, arg: unknown, otherArg: unknown): Promise<{ runId: string; compareRunId: string } | undefined> {
  const runId = keptIdOrThrow(store, arg, vscode.l10n.t('Compare With'));
  let compareRunId: string;
  if (otherArg !== undefined) {
    compareRunId = keptIdOrThrow(store, otherArg, vscode.l10n.t('Compare With'));
  } else {
    const others = store.all().filter((e) => e.source.id !== runId);
    if (others.length === 0) { throw new Error(vscode.l10n.t('There is no other kept run to compare {0} with: run Shout/Hear again first.', runId)); }
    const picked = await vscode.window.showQuickPick(
      others.map((e) => ({ label: e.label, description: e.source.id, id: e.source.id })),
      { title: vscode.l10n.t('Compare {0} with which run?', runId) },
    );
    if (!picked) { return undefined; }
    compareRunId = picked.id;
  }
  if (compareRunId === runId) { throw new Error(vscode.l10n.t('Compare a run with another run, not with itself ({0}).', runId)); }
  timeline.showCompare(runId, compareRunId);
  return { runId, compareRunId };
}

/** Forget: the run leaves the store, so every view (timeline, Explore, Runs, pickers) drops it. */
export function forgetRun(store: RunStore, arg: unknown): { runId: string } {
  const runId = keptIdOrThrow(store, arg, vscode.l10n.t('Forget'));
  store.forget(runId);
  void vscode.commands.executeCommand('setContext', 'shoutHear.hasRuns', store.runs().length > 0);
  return { runId };
}

export function openExploreTab(explore: ExploreView, arg: unknown): { tab: ExploreTab } {
  const tab = typeof arg === 'object' && arg !== null && 'tab' in arg ? arg.tab : arg;
  if (tab !== 'batch' && tab !== 'sweep') { throw new Error(vscode.l10n.t('Open in Explore takes "batch" or "sweep"; got {0}.', JSON.stringify(tab) ?? 'nothing')); }
  explore.showTab(tab);
  return { tab };
}
