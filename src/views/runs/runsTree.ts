/**
 * The Runs view in the Shout/Hear sidebar: the run store's kept runs, newest first (label, ✓/✗,
 * how the run's settings differ from the defaults; expanding one shows its summary facts), and
 * the batch and sweep the Explore panel shows. It only reads the store and the Explore view and
 * follows their change events, so a run kept or dropped is the same here as everywhere else.
 * Context commands get the element (RunsElement) as VS Code passes it.
 */
import * as vscode from 'vscode';
import type { KeptRun, RunStore } from '../../host/runStore';
import type { ExploreTab } from '../../protocol/explore';
import type { RunConfig } from '../../protocol/run';
import { defaultConfig } from '../../shared/config';
import type { ExploreView } from '../explore/register';

export const RUNS_VIEW_ID = 'shoutHear.runs';

export type RunsElement =
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'fact'; readonly runId: string; readonly label: string; readonly value: string }
  | { readonly kind: 'series'; readonly tab: ExploreTab };

/** "nap 50% · lock off · 3 shouters": the settings that differ from the defaults, or "defaults". */
export function settingsDifference(config: RunConfig): string {
  const d = defaultConfig();
  const parts: string[] = [];
  const add = (key: keyof RunConfig, text: string) => { if (config[key] !== d[key]) { parts.push(text); } };
  add('engine', config.engine);
  add('messageCount', vscode.l10n.t('{0} messages', config.messageCount));
  add('napProbability', vscode.l10n.t('nap {0}%', +(config.napProbability * 100).toFixed(1)));
  add('napMs', vscode.l10n.t('{0} ms naps', config.napMs));
  add('useLock', vscode.l10n.t('lock off'));
  add('lockPolicy', vscode.l10n.t('lock {0}', config.lockPolicy));
  add('queueCapacity', vscode.l10n.t('queue cap {0}', config.queueCapacity));
  add('shouters', vscode.l10n.t('{0} shouters', config.shouters));
  add('hearers', vscode.l10n.t('{0} hearers', config.hearers));
  return parts.length > 0 ? parts.join(' · ') : vscode.l10n.t('default settings');
}

/** The run's facts shown when it is expanded: label and value. */
function factsOf(entry: KeptRun): { label: string; value: string }[] {
  const { source, summary } = entry;
  const facts = [{ label: vscode.l10n.t('run'), value: source.id }, { label: vscode.l10n.t('seed'), value: String(source.seed) }];
  const v = source.verdict;
  if (!v) { return [...facts, { label: vscode.l10n.t('state'), value: vscode.l10n.t('running…') }]; }
  facts.push(
    { label: vscode.l10n.t('result'), value: v.ok ? vscode.l10n.t('ok') : v.failure ?? (v.stopped ? vscode.l10n.t('stopped') : v.timedOut ? vscode.l10n.t('timed out') : vscode.l10n.t('failed')) },
    { label: vscode.l10n.t('duration'), value: `${v.durationMs.toFixed(0)} ms` },
    { label: vscode.l10n.t('naps'), value: String(v.naps) },
    { label: vscode.l10n.t('lock waits'), value: vscode.l10n.t('{0} ({1} ms)', v.lockWaits.count, v.lockWaits.totalMs.toFixed(1)) },
    { label: vscode.l10n.t('max queue depth'), value: String(v.maxQueueDepth) },
    { label: vscode.l10n.t('queue'), value: v.invariant },
  );
  if (summary) { facts.push({ label: vscode.l10n.t('events'), value: String(summary.events) }); }
  if (!entry.run) { facts.push({ label: vscode.l10n.t('from'), value: vscode.l10n.t('a trace file') }); }
  return facts;
}

export class RunsTree implements vscode.TreeDataProvider<RunsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: RunStore, private readonly explore: ExploreView) {
    this.subscriptions.push(store.onDidChange(() => this.refreshSoon()), explore.onDidChangeShown(() => this.refreshSoon()));
  }

  /** One refresh for a burst of changes (a batch adds many runs). */
  private refreshSoon(): void {
    if (this.timer) { return; }
    this.timer = setTimeout(() => { this.timer = undefined; this.changed.fire(undefined); }, 100);
  }

  getChildren(element?: RunsElement): RunsElement[] {
    if (!element) {
      const runs = this.store.all().map((e): RunsElement => ({ kind: 'run', runId: e.source.id }));
      const { batch, sweep } = this.explore.shown;
      const series: RunsElement[] = [...(batch ? [{ kind: 'series', tab: 'batch' } as const] : []), ...(sweep ? [{ kind: 'series', tab: 'sweep' } as const] : [])];
      return [...series, ...runs];
    }
    if (element.kind !== 'run') { return []; }
    const entry = this.store.get(element.runId);
    return entry ? factsOf(entry).map((f) => ({ kind: 'fact', runId: element.runId, ...f })) : [];
  }

  getParent(element: RunsElement): RunsElement | undefined {
    return element.kind === 'fact' ? { kind: 'run', runId: element.runId } : undefined;
  }

  getTreeItem(element: RunsElement): vscode.TreeItem {
    if (element.kind === 'fact') {
      const item = new vscode.TreeItem(element.label);
      item.id = `${element.runId}/${element.label}`;
      item.description = element.value;
      item.tooltip = `${element.label}: ${element.value}`;
      item.contextValue = 'fact';
      return item;
    }
    if (element.kind === 'series') { return this.seriesItem(element.tab); }
    const entry = this.store.get(element.runId);
    if (!entry) { return new vscode.TreeItem(vscode.l10n.t('{0} (no longer kept)', element.runId)); }
    const v = entry.source.verdict;
    // ✓/✗ is the icon (coloured as test results are); the label is the run's number and time.
    const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = entry.source.id;
    item.description = settingsDifference(entry.source.config);
    item.iconPath = new vscode.ThemeIcon(!v ? 'loading~spin' : v.ok ? 'pass' : 'error', new vscode.ThemeColor(!v ? 'foreground' : v.ok ? 'testing.iconPassed' : 'testing.iconFailed'));
    const state = !v ? vscode.l10n.t('running') : v.ok ? vscode.l10n.t('ok') : vscode.l10n.t('not ok');
    item.tooltip = new vscode.MarkdownString(vscode.l10n.t('**Run {0}** ({1}), {2}  \nseed {3}, {4}', entry.source.id, entry.label, state, entry.source.seed, settingsDifference(entry.source.config)));
    item.accessibilityInformation = { label: vscode.l10n.t('Run {0}, {1}, {2}', entry.label, state, String(item.description)) };
    const replayable = v && entry.run && entry.source.config.engine === 'node';
    item.contextValue = `run${v ? '.ended' : '.live'}${replayable ? '.replayable' : ''}${entry.run ? '.real' : ''}`;
    item.command = { command: 'shoutHear.openRunTimeline', title: vscode.l10n.t('Open Timeline'), arguments: [element] };
    return item;
  }

  private seriesItem(tab: ExploreTab): vscode.TreeItem {
    const { batch, sweep } = this.explore.shown;
    const item = new vscode.TreeItem(tab === 'batch' ? vscode.l10n.t('Batch') : vscode.l10n.t('Sweep'));
    item.id = `series/${tab}`;
    if (tab === 'batch' && batch) {
      item.description = batch.running
        ? vscode.l10n.t('{0} of {1} runs…', batch.runs, batch.requested)
        : vscode.l10n.t('{0} runs, {1} distinct orderings', batch.runs, batch.distinct);
      item.iconPath = new vscode.ThemeIcon('layers');
    } else if (sweep) {
      item.description = sweep.running
        ? vscode.l10n.t('{0} runs so far…', sweep.runs)
        : vscode.l10n.t('nap {0}, {1} runs each', sweep.probabilities.join(', '), sweep.runsEach);
      item.iconPath = new vscode.ThemeIcon('graph-line');
    }
    item.tooltip = vscode.l10n.t('Open it in the Explore panel');
    item.contextValue = `series.${tab}`;
    item.command = { command: 'shoutHear.openExploreTab', title: vscode.l10n.t('Open in Explore'), arguments: [{ kind: 'series', tab }] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    for (const s of this.subscriptions) { s.dispose(); }
  }
}

/** The Runs view: registered from activate. */
export function registerRunsView(context: vscode.ExtensionContext, store: RunStore, explore: ExploreView): { tree: RunsTree; view: vscode.TreeView<RunsElement> } {
  const tree = new RunsTree(store, explore);
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(tree, view);
  return { tree, view };
}
