/**
 * Compare Engines: the same settings and seed on the Node engine and on the Python engine, one
 * after the other; the output channel gets a side-by-side table, the timeline both runs stacked.
 */
import * as vscode from 'vscode';
import { randomInt } from 'crypto';
import type { RunController } from '../host/runController';
import type { RunConfig, RunSummary } from '../protocol/run';
import { compareOrders, shapeOf, type RunShape } from '../stats/engineComparison';
import type { OutputView } from '../views/outputView';
import type { TimelineView } from '../views/timeline/register';

export interface EngineComparison {
  node: RunSummary;
  python: RunSummary;
  shapes: { node: RunShape; python: RunShape };
  order: ReturnType<typeof compareOrders>;
}

export async function compareEngines(runs: RunController, view: OutputView, timeline: TimelineView, base: RunConfig): Promise<EngineComparison> {
  const seed = base.seed ?? randomInt(0, 2 ** 31 - 1);
  const config: RunConfig = { ...base, seed, lockPolicy: 'os' };
  const node = await runs.run({ ...config, engine: 'node' });
  if (!node.ok) { throw new Error(vscode.l10n.t('the Node run did not complete ({0}); nothing to compare', node.failure ?? node.invariant)); }
  const python = await runs.run({ ...config, engine: 'python' });
  const nodeRun = runs.findRun(node.runId)!;
  const pythonRun = runs.findRun(python.runId)!;
  const shapes = { node: shapeOf(nodeRun.trace), python: shapeOf(pythonRun.trace) };
  const order = compareOrders(nodeRun.transcript.allLines(), pythonRun.transcript.allLines());
  const row = (what: string, n: string | number, p: string | number) => `${what.padEnd(34)}${String(n).padStart(12)}${String(p).padStart(12)}`;
  view.note([
    `=== Compare engines: same settings, seed ${seed} (${node.runId} vs ${python.runId}) ===`,
    row('', 'node', 'python'),
    row('duration (ms)', node.durationMs.toFixed(1), python.durationMs.toFixed(1)),
    row('lock re-won by the releaser', shapes.node.lockRuns.reacquired, shapes.python.lockRuns.reacquired),
    row('lock hand-overs', shapes.node.lockRuns.handovers, shapes.python.lockRuns.handovers),
    row('longest run of one process (lines)', shapes.node.lockRuns.longestRun, shapes.python.lockRuns.longestRun),
    row('put→get latency mean (ms)', shapes.node.latencyMs.mean.toFixed(3), shapes.python.latencyMs.mean.toFixed(3)),
    row('put→get latency max (ms)', shapes.node.latencyMs.max.toFixed(3), shapes.python.latencyMs.max.toFixed(3)),
    row('naps', node.naps, python.naps),
    row('max queue depth', node.maxQueueDepth, python.maxQueueDepth),
    order.identical ? 'printed order: identical' : `printed order: differs from line ${order.firstDifference! + 1} (${order.samePositions} lines in the same place)`,
  ].join('\n'));
  timeline.showCompare(node.runId, python.runId);
  return { node, python, shapes, order };
}
