// Exploration in a real VS Code: replay, be the scheduler, lock off, bounded queue, many processes.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EventKind } from '../../src/protocol/events';
import type { RunSummary } from '../../src/protocol/run';
import { importChromeTrace } from '../../src/trace/traceImport';
import { api, setSetting, waitFor, workerPids } from './helpers';

const run = async (overrides?: object): Promise<RunSummary> => vscode.commands.executeCommand<RunSummary>('shoutHear.run', overrides);
const LINE = /^(Shout(\[\d\])?: \d+|Hear(\[\d\])?: (\d\/)?\d+)$/;

suite('Explore', () => {
  suiteSetup(async () => { await api(); await setSetting('openTimeline', 'never'); });
  suiteTeardown(async () => { await setSetting('openTimeline', undefined); });
  teardown(async () => { await vscode.commands.executeCommand('shoutHear.stop'); });

  test('twenty random runs, each replayed, print identical lines', async () => {
    for (let i = 0; i < 20; i++) {
      const original = await run({ messageCount: 10, napMs: 2, napProbability: 0.3, seed: 1000 + i * 7919 });
      assert.equal(original.ok, true, original.failure);
      const replay = await vscode.commands.executeCommand<RunSummary>('shoutHear.replayRun', original.runId);
      assert.equal(replay.ok, true, replay.failure);
      assert.equal(replay.replayOf, original.runId);
      assert.equal(replay.identical, true, `replay of ${original.runId}`);
      assert.deepEqual(replay.lines, original.lines);
      assert.equal(replay.config.lockPolicy, 'replay');
      assert.equal(replay.seed, original.seed);
    }
    await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.replayRun', 'run-nope'), /No run "run-nope" is kept/);
  });

  test('be the scheduler: manual grants by command decide who prints', async () => {
    const pending = run({ messageCount: 3, napProbability: 0, lockPolicy: 'manual' });
    const order: string[] = [];
    const shoutHear = await api();
    for (let turns = 0; turns < 6; turns++) {
      await waitFor('someone to wait for the lock', () => (shoutHear.lockState()?.waiting.length ?? 0) > 0 && !shoutHear.lockState()?.holder);
      const { waiting } = shoutHear.lockState()!;
      // Prefer the hearer whenever it waits: the printed order must follow our choices.
      const pick = waiting.includes('hearer') ? 'hearer' : waiting[0];
      order.push(pick);
      await vscode.commands.executeCommand('shoutHear.grantLock', pick);
      await waitFor('the grant to be used', () => shoutHear.lockState()?.holder !== pick);
    }
    const s = await pending;
    assert.equal(s.ok, true, s.failure);
    assert.deepEqual(s.lines!.map((l) => l.split(':')[0].toLowerCase()), order.map((o) => (o === 'hearer' ? 'hear' : 'shout')));
    await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.grantLock', 'hearer'), /No run is going/);
  });

  test('lock off, pieces scheduled by hand: lines really mix, and the queue invariant still holds', async () => {
    const pending = run({ messageCount: 2, napProbability: 0, useLock: false, lockPolicy: 'manual' });
    const shoutHear = await api();
    let ended = false;
    void pending.then(() => { ended = true; });
    let last = '';
    while (!ended) {
      const state = shoutHear.lockState();
      if (!state || state.holder || state.waiting.length === 0) { await new Promise((r) => setTimeout(r, 2)); continue; }
      if (state.waiting.length === 1) {
        // Give the other process a moment to ask too: when both are mid-line, alternate.
        await waitFor('a second writer', () => (shoutHear.lockState()?.waiting.length ?? 0) > 1, 300).catch(() => undefined);
      }
      const waiting = shoutHear.lockState()?.waiting ?? [];
      if (waiting.length === 0 || shoutHear.lockState()?.holder) { continue; }
      const pick = waiting.find((w) => w !== last) ?? waiting[0];
      last = pick;
      await vscode.commands.executeCommand('shoutHear.grantLock', pick).then(undefined, () => undefined);
    }
    const s = await pending;
    assert.equal(s.exactlyOnceInOrder, true, s.invariant);
    assert.ok(s.lines!.some((l) => !LINE.test(l)), `some line is garbled: ${JSON.stringify(s.lines)}`);
    assert.match((await api()).outputText(), new RegExp(`lock off`));
  });

  test('a bounded queue: put blocks, and the depth never passes the capacity', async () => {
    for (const queueCapacity of [1, 3]) {
      const s = await run({ messageCount: 40, napProbability: 0, queueCapacity });
      assert.equal(s.ok, true, s.failure);
      assert.equal(s.capacityRespected, true);
      assert.ok(s.maxQueueDepth <= queueCapacity, `depth ${s.maxQueueDepth} <= ${queueCapacity}`);
    }
    // Make a put block for sure: as the scheduler, let the shouter print whenever it can. With
    // capacity 1 it then fills the queue while the hearer still holds message 1 unprinted.
    const pending = run({ messageCount: 3, napProbability: 0, queueCapacity: 1, lockPolicy: 'manual' });
    const shoutHear = await api();
    let ended = false;
    void pending.then(() => { ended = true; });
    while (!ended) {
      const state = shoutHear.lockState();
      if (state && !state.holder && state.waiting.length > 0) {
        if (state.waiting.length === 1 && state.waiting[0] === 'hearer') {
          // Give the shouter a moment to ask too, unless it is blocked in put.
          await waitFor('the shouter', () => shoutHear.lockState()?.waiting.includes('shouter') ?? false, 200).catch(() => undefined);
        }
        const waiting = shoutHear.lockState()?.waiting ?? [];
        const pick = waiting.includes('shouter') ? 'shouter' : waiting[0];
        if (pick) { await vscode.commands.executeCommand('shoutHear.grantLock', pick).then(undefined, () => undefined); }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const s = await pending;
    assert.equal(s.ok, true, s.failure);
    assert.ok(s.putBlocks > 0, `a put waited for room (${JSON.stringify(s.lines)})`);
    assert.equal(s.maxQueueDepth, 1);
  });

  test('several shouters and hearers: every message got once, each shouter in order', async () => {
    const s = await run({ messageCount: 15, napProbability: 0.2, napMs: 1, shouters: 3, hearers: 2 });
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    assert.equal(s.lines!.length, 2 * 3 * 15);
    assert.ok(s.lines!.every((l) => LINE.test(l)), 'lines say who');
    assert.ok(s.lines!.includes('Shout[3]: 15'));
    // Which hearer hears what is up to timing; together they hear all 45, in each shouter's order.
    assert.equal(s.lines!.filter((l) => /^Hear\[[12]\]: [1-3]\/\d+$/.test(l)).length, 45);
    assert.deepEqual(s.processes.map((p) => p.name), ['shouter 1', 'shouter 2', 'shouter 3', 'hearer 1', 'hearer 2', 'queue']);
    assert.deepEqual(workerPids(), []);
  });

  test('fifo and random lock policies keep the invariant', async () => {
    for (const lockPolicy of ['fifo', 'random']) {
      const s = await run({ messageCount: 50, napProbability: 0, lockPolicy, seed: 3 });
      assert.equal(s.ok, true, `${lockPolicy}: ${s.failure}`);
      // Every line is its own grant, recorded by the run's scheduler process.
      const file = path.join(os.tmpdir(), `shout-hear-grants-${process.pid}-${lockPolicy}.json`);
      try {
        await vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(file));
        assert.equal(importChromeTrace(fs.readFileSync(file, 'utf8')).trace.countOf(EventKind.Grant), 100, `${lockPolicy}: every line was its own grant`);
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
  });
});
