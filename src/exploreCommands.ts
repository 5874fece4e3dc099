/**
 * The commands that make Shout/Hear an explorer: replay a run exactly, grant the lock by hand,
 * and run the same settings on both engines side by side.
 */
import { randomInt } from 'crypto';
import * as vscode from 'vscode';
import { replayPlanOf } from './engine/replay';
import type { Run } from './engine/run';
import { compareOrders, shapeOf, type RunShape } from './explore/engineComparison';
import type { RunConfig, RunSummary } from './protocol';
import type { RunController } from './runController';
import type { OutputView } from './views/outputView';
import type { TimelineTestApi } from './views/timeline/register';

export interface EngineComparison {
  node: RunSummary;
  python: RunSummary;
  shapes: { node: RunShape; python: RunShape };
  order: ReturnType<typeof compareOrders>;
}

async function pickRun(runs: RunController, title: string, accept: (r: Run) => boolean): Promise<Run | undefined> {
  const items = runs.kept.filter(accept).map((r) => ({
    label: r.id,
    description: `seed ${r.seed}, ${r.config.messageCount} messages, p ${r.config.napProbability}, ${r.config.engine}`,
    // Only the lines shown: a kept run may have millions.
    detail: r.transcript.firstLines(6).join(' · '),
    run: r,
  }));
  if (items.length === 0) { throw new Error('There is no finished Node-engine run to pick: run Shout/Hear first.'); }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.run;
}

export function replayRun(runs: RunController, runId: unknown): Promise<RunSummary | undefined> {
  return (async () => {
    let run: Run | undefined;
    if (runId === undefined) {
      run = await pickRun(runs, 'Replay which run?', (r) => r.ended && r.config.engine === 'node');
      if (!run) { return undefined; }
    } else {
      if (typeof runId !== 'string') { throw new Error(`Replay Run takes a run id such as "run-…"; got ${JSON.stringify(runId)}.`); }
      run = runs.findRun(runId);
      if (!run) { throw new Error(`No run "${runId}" is kept in this window (kept: ${runs.kept.map((r) => r.id).join(', ') || 'none'}).`); }
    }
    if (!run.ended) { throw new Error(`Run ${run.id} is still going: replay it once it has ended.`); }
    if (run.config.engine !== 'node') { throw new Error(`Run ${run.id} ran on the ${run.config.engine} engine, whose real OS lock cannot be replayed; replay a Node-engine run.`); }
    const plan = replayPlanOf(run.id, run.config, run.trace);
    return runs.run({ ...run.config, seed: run.seed, lockPolicy: 'replay' }, plan);
  })();
}

export async function grantLock(runs: RunController, name: unknown): Promise<{ holder: string | undefined; waiting: string[] } | undefined> {
  const run = runs.running;
  if (!run) { throw new Error('No run is going: there is no lock to grant.'); }
  if (run.config.lockPolicy !== 'manual') {
    throw new Error(`This run's lock policy is "${run.config.lockPolicy}": set shoutHear.lockPolicy to "manual" to grant the lock by hand.`);
  }
  let target = name;
  if (target === undefined) {
    const waiting = run.lockState.waiting;
    if (waiting.length === 0) { void vscode.window.showInformationMessage('Nobody is waiting for the lock right now.'); return run.lockState; }
    target = await vscode.window.showQuickPick(waiting, { title: 'Grant the print lock to…' });
    if (target === undefined) { return undefined; }
  }
  if (typeof target !== 'string') { throw new Error(`Grant Lock takes a process name such as "shouter" or "hearer 2"; got ${JSON.stringify(target)}.`); }
  run.grantLock(target);
  return run.lockState;
}

export async function compareEngines(runs: RunController, view: OutputView, timeline: TimelineTestApi, base: RunConfig): Promise<EngineComparison> {
  const seed = base.seed ?? randomInt(0, 2 ** 31 - 1);
  const config: RunConfig = { ...base, seed, lockPolicy: 'os' };
  const node = await runs.run({ ...config, engine: 'node' });
  if (!node.ok) { throw new Error(`the Node run did not complete (${node.failure ?? node.invariant}); nothing to compare`); }
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
