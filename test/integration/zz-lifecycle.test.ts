// Runs last (file order): a storm of reruns and stops, then deactivation during a run.
import * as assert from 'assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, isAlive, waitFor, workerPids } from './helpers';

suite('Lifecycle under stress', () => {
  test('50 rapid reruns and stops: never more than one run alive, no orphans', async () => {
    await api();
    let maxAlive = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) { maxAlive = Math.max(maxAlive, workerPids().length); await new Promise((r) => setTimeout(r, 2)); }
    })();
    const runs: Thenable<RunSummary>[] = [];
    const stops: Thenable<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      runs.push(vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 200, napProbability: 0.5, napMs: 5, seed: i }));
      if (i % 5 === 4) { stops.push(vscode.commands.executeCommand('shoutHear.stop')); }
      await new Promise((r) => setTimeout(r, i % 3));
    }
    const summaries = await Promise.all(runs);
    await Promise.all(stops);
    await vscode.commands.executeCommand('shoutHear.stop');
    sampling = false;
    await sampler;
    assert.equal(new Set(summaries.map((s) => s.runId)).size, 50);
    assert.ok(maxAlive <= 2, `at most one run's two workers alive at once (saw ${maxAlive})`);
    for (const s of summaries) {
      assert.ok(s.ok || s.stopped, `${s.runId}: ${s.failure}`);
      for (const pid of [s.pids.shouter, s.pids.hearer]) { assert.equal(isAlive(pid!), false); }
    }
    assert.deepEqual(workerPids(), []);
  });

  test('deactivating the extension during a run kills its processes', async () => {
    const ext = vscode.extensions.getExtension('shout-hear.shout-hear')!;
    const pending = vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 1000, napProbability: 1, napMs: 50 });
    await waitFor('the run to start', () => workerPids().length === 2);
    const pids = workerPids();
    // The module VS Code loaded (same path, so the same instance): call its real deactivate().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require(path.join(ext.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    await main.deactivate();
    for (const pid of pids) { assert.equal(isAlive(pid), false, `pid ${pid} is gone after deactivate`); }
    const s = await pending;
    assert.equal(s.stopped, true);
  });
});
