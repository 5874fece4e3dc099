// The core run in a real VS Code: commands, output channel, summaries, settings, stop, rerun.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, isAlive, screenshot, setSetting, waitFor, workerPids } from './helpers';

const run = async (overrides?: object): Promise<RunSummary> => vscode.commands.executeCommand<RunSummary>('shoutHear.run', overrides);

function assertShoutBeforeHear(lines: string[], n: number): void {
  assert.equal(lines.length, 2 * n);
  for (let i = 1; i <= n; i++) {
    const shout = lines.indexOf(`Shout: ${i}`);
    const hear = lines.indexOf(`Hear: ${i}`);
    assert.ok(shout >= 0 && hear > shout, `Shout: ${i} (line ${shout}) comes before Hear: ${i} (line ${hear})`);
  }
}

suite('Run Shout/Hear', () => {
  suiteSetup(async () => { await api(); });
  teardown(async () => {
    await vscode.commands.executeCommand('shoutHear.stop');
    for (const key of ['messageCount', 'napProbability', 'napMs', 'seed', 'useLock', 'runTimeoutSeconds']) { await setSetting(key, undefined); }
  });

  test('the command runs both processes and the output channel shows header, lines and summary', async () => {
    const summary = await run({ messageCount: 10, seed: 7, napMs: 5 });
    assert.equal(summary.ok, true, summary.failure);
    assert.equal(summary.seed, 7);
    assert.equal(summary.exactlyOnceInOrder, true);
    assertShoutBeforeHear(summary.lines!, 10);
    assert.ok(summary.pids.shouter && summary.pids.hearer && summary.pids.shouter !== summary.pids.hearer);
    const text = (await api()).outputText();
    assert.match(text, new RegExp(`=== Shout/Hear ${summary.runId}: messages 10, nap probability 0.25, nap 5 ms, lock on, timeout 120 s, seed 7 ===`));
    for (const line of summary.lines!) { assert.ok(text.includes(`${line}\n`), `channel shows ${line}`); }
    assert.match(text, new RegExp(`=== ${summary.runId} ok ===`));
    assert.match(text, /exactly once, in order: ✓/);
    await screenshot('output-channel');
  });

  test('summaries hold over several seeds and nap probabilities', async () => {
    for (const seed of [1, 2, 3]) {
      for (const napProbability of [0, 0.5, 1]) {
        const s = await run({ messageCount: 12, seed, napProbability, napMs: 2 });
        assert.equal(s.ok, true, `seed ${seed} p ${napProbability}: ${s.failure ?? s.invariant}`);
        assert.equal(s.exactlyOnceInOrder, true);
        assert.equal(s.puts, 12);
        assert.equal(s.gets, 12);
        assertShoutBeforeHear(s.lines!, 12);
        if (napProbability === 0) { assert.equal(s.naps, 0); }
        if (napProbability === 1) { assert.equal(s.naps, 12); }
        assert.ok(s.maxQueueDepth >= 1 && s.maxQueueDepth <= 12);
      }
    }
  });

  test('twenty runs back to back all complete and check out', async () => {
    for (let i = 0; i < 20; i++) {
      const s = await run({ messageCount: 10, napMs: 1, seed: i });
      assert.equal(s.ok, true, `run ${i}: ${s.failure ?? s.invariant}`);
    }
    assert.deepEqual(workerPids(), []);
  });

  test('the same seed gives the same naps', async () => {
    const a = await run({ messageCount: 30, seed: 99, napMs: 1 });
    const b = await run({ messageCount: 30, seed: 99, napMs: 1 });
    assert.equal(a.naps, b.naps);
  });

  test('a bad setting gives an error naming it, and nothing is spawned', async () => {
    await setSetting('messageCount', 2.5);
    const before = (await api()).recentRuns().length;
    await assert.rejects(run({}), /shoutHear\.messageCount must be an integer from 1 to 1,000,000; got 2\.5/);
    await setSetting('messageCount', undefined);
    await setSetting('napProbability', 'often');
    await assert.rejects(run({}), /shoutHear\.napProbability must be a number from 0 to 1; got "often"/);
    assert.equal((await api()).recentRuns().length, before);
    assert.deepEqual(workerPids(), []);
  });

  test('bad overrides are rejected with the same clear message', async () => {
    await assert.rejects(run({ messageCount: -1 }), /messageCount.*must be an integer from 1 to 1,000,000; got -1/);
    await assert.rejects(run({ napMs: 'long' }), /napMs.*must be an integer from 0 to 10,000; got "long"/);
    await assert.rejects(run({ bogus: 1 }), /Unknown setting "bogus"/);
    assert.deepEqual(workerPids(), []);
  });

  test('stop mid-run resolves stopped and leaves no process alive', async () => {
    const pending = run({ messageCount: 1000, napProbability: 1, napMs: 50 });
    await waitFor('both workers to start', () => workerPids().length === 2);
    const pids = workerPids();
    await vscode.commands.executeCommand('shoutHear.stop');
    const s = await pending;
    assert.equal(s.stopped, true);
    assert.equal(s.ok, false);
    assert.deepEqual([s.pids.shouter, s.pids.hearer].sort(), pids.sort());
    for (const pid of pids) { assert.equal(isAlive(pid), false, `pid ${pid} is gone`); }
    assert.match((await api()).outputText(), new RegExp(`=== ${s.runId} stopped ===`));
  });

  test('a new run stops the one still going', async () => {
    const first = run({ messageCount: 1000, napProbability: 1, napMs: 50 });
    await waitFor('the first run to start', () => workerPids().length === 2);
    const firstPids = workerPids();
    const second = await run({ messageCount: 5, napProbability: 0 });
    const a = await first;
    assert.equal(a.stopped, true);
    assert.equal(second.ok, true);
    for (const pid of firstPids) { assert.equal(isAlive(pid), false); }
  });

  test('the run times out, and every process is killed', async () => {
    const s = await run({ messageCount: 100, napProbability: 1, napMs: 10_000, runTimeoutSeconds: 1 });
    assert.equal(s.timedOut, true);
    assert.match(s.failure ?? '', /timed out after 1 s/);
    for (const pid of [s.pids.shouter!, s.pids.hearer!]) { assert.equal(isAlive(pid), false); }
  });

  test('rerun with a nap probability argument keeps everything else', async () => {
    const first = await run({ messageCount: 8, seed: 5, napMs: 3 });
    const again = await vscode.commands.executeCommand<RunSummary>('shoutHear.rerunWithNapProbability', 1);
    assert.equal(again.ok, true);
    assert.equal(again.config.napProbability, 1);
    assert.equal(again.naps, 8);
    assert.deepEqual({ ...again.config, napProbability: first.config.napProbability }, first.config);
    assert.equal(vscode.workspace.getConfiguration('shoutHear').inspect('napProbability')?.globalValue, undefined, 'settings.json is unchanged');
    await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.rerunWithNapProbability', 1.5), /napProbability.*must be a number from 0 to 1; got 1\.5/);
  });
});
