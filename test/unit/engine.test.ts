// The run engine with real worker processes (no VS Code).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { EventKind, PrintFlags, SCHEDULER_PROC } from '../../src/protocol/events';
import { ROOT, groupMembers, isAlive, run, waitFor } from './engineHelpers';

function napValues(r: ReturnType<typeof run>): number[] {
  const naps: number[] = [];
  r.trace.scan((kind, _p, value) => { if (kind === EventKind.Nap) { naps.push(value); } });
  return naps;
}

test('a default run: every line once, each Hear after its Shout, the invariant checked', async () => {
  const r = run({ seed: 1, napMs: 5 });
  const s = await r.done;
  assert.equal(s.ok, true, s.failure);
  assert.equal(s.exactlyOnceInOrder, true);
  assert.equal(s.lines!.length, 20);
  for (let i = 1; i <= 10; i++) { assert.ok(s.lines!.indexOf(`Shout: ${i}`) < s.lines!.indexOf(`Hear: ${i}`)); }
  assert.equal(s.naps, 3, 'random.Random(1) naps after messages 1, 9 and 10 with p = 0.25');
  assert.deepEqual(napValues(r), [1, 9, 10]);
  assert.equal(s.puts, 10);
  assert.equal(s.gets, 10);
  assert.ok(!isAlive(s.pids.shouter) && !isAlive(s.pids.hearer));
});

test('property: any seed, probability and count keep exactly-once-in-order; the same seed gives the same naps', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 0, max: 2 ** 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 300 }),
    async (seed, napProbability, messageCount) => {
      const a = run({ seed, napProbability, messageCount, napMs: 0 });
      const sa = await a.done;
      assert.equal(sa.ok, true, sa.failure ?? sa.invariant);
      assert.equal(sa.lineCount, 2 * messageCount);
      const b = run({ seed, napProbability, messageCount, napMs: 0 });
      const sb = await b.done;
      assert.equal(sb.ok, true);
      assert.deepEqual(napValues(b), napValues(a));
    },
  ), { numRuns: 12 });
});

test('p = 0 never naps; p = 1 naps after every message', async () => {
  const never = await run({ napProbability: 0, messageCount: 50 }).done;
  assert.equal(never.naps, 0);
  const always = await run({ napProbability: 1, messageCount: 20, napMs: 1 }).done;
  assert.equal(always.naps, 20);
});

test('the trace has every kind of event, with consistent times', async () => {
  const r = run({ seed: 3, messageCount: 200, napProbability: 0.1, napMs: 1 });
  const s = await r.done;
  assert.equal(s.ok, true);
  const kinds = new Set<number>();
  let prints = 0;
  let fast = 0;
  const lastT = new Map<number, number>();
  r.trace.scan((kind, proc, _v, t, dur, _aux, flags) => {
    kinds.add(kind);
    assert.ok(dur >= 0 && t >= 0);
    if (proc !== SCHEDULER_PROC) {
      assert.ok(t >= (lastT.get(proc) ?? 0), 'each process records in time order');
      lastT.set(proc, t);
    }
    if (kind === EventKind.Print) { prints++; if (flags & PrintFlags.FastAcquire) { fast++; } }
  });
  for (const k of [EventKind.Start, EventKind.Exit, EventKind.Print, EventKind.Put, EventKind.Get]) { assert.ok(kinds.has(k), `has kind ${k}`); }
  assert.equal(prints, 400);
  assert.equal(kinds.has(EventKind.Grant), false, 'policy os: the kernel decides, nobody records grants');
  assert.equal(400 - fast, r.trace.countOf(EventKind.LockWait), 'a print that was not a fast acquire waited, and says so');
  assert.equal(s.lockWaits.count, r.trace.countOf(EventKind.LockWait));
});

test('a long flood stays correct (the lock hands over while both print fast)', async () => {
  const s = await run({ messageCount: 20_000, napProbability: 0 }).done;
  assert.equal(s.ok, true, s.failure ?? s.invariant);
  assert.equal(s.lineCount, 40_000);
  assert.ok(s.lockWaits.count > 0);
});

test('stop mid-run: resolves stopped, keeps the partial trace, leaves no process or group member', async () => {
  const r = run({ messageCount: 1000, napProbability: 1, napMs: 20 });
  await waitFor('some lines', () => r.transcript.lineCount >= 4);
  const pids = r.processes.map((p) => p.pid!);
  const s = await r.stop();
  assert.equal(s.stopped, true);
  assert.equal(s.ok, false);
  assert.equal(s.exactlyOnceInOrder, false);
  assert.ok(s.lineCount >= 4 && s.events > 0, 'partial output and trace are kept');
  for (const pid of pids) { assert.ok(!isAlive(pid), `pid ${pid} is gone`); assert.deepEqual(groupMembers(pid), []); }
});

for (const victim of ['shouter', 'hearer'] as const) {
  test(`SIGKILL of the ${victim}: the run fails naming it and the signal, and the sibling is gone`, async () => {
    const r = run({ messageCount: 1000, napProbability: 1, napMs: 10 });
    await waitFor('some lines', () => r.transcript.lineCount >= 4);
    const target = r.processes.find((p) => p.role === victim)!;
    process.kill(target.pid!, 'SIGKILL');
    const s = await r.done;
    assert.equal(s.ok, false);
    assert.match(s.failure ?? '', new RegExp(`the ${victim} \\(pid ${target.pid}\\) was killed by signal SIGKILL`));
    assert.ok(s.events > 0);
    for (const p of r.processes) { assert.ok(!isAlive(p.pid), `${p.role} is gone`); }
  });
}

test('a worker that hangs is killed by the timeout, and the failure says so', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-hang-'));
  for (const role of ['shouter', 'hearer', 'queue']) { fs.writeFileSync(path.join(dir, `${role}.js`), 'setInterval(() => {}, 1000);\n'); }
  const r = run({ runTimeoutSeconds: 1 }, dir);
  const s = await r.done;
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(s.timedOut, true);
  assert.match(s.failure ?? '', /timed out after 1 s/);
  for (const p of r.processes) { assert.ok(!isAlive(p.pid)); }
});

test('a worker that crashes on start: the failure names it, its exit code and its last words', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-crash-'));
  fs.writeFileSync(path.join(dir, 'shouter.js'), 'console.error("boom: no queue"); process.exit(7);\n');
  fs.writeFileSync(path.join(dir, 'hearer.js'), 'setInterval(() => {}, 1000);\n');
  fs.writeFileSync(path.join(dir, 'queue.js'), '');
  const s = await run({}, dir).done;
  fs.rmSync(dir, { recursive: true, force: true });
  assert.match(s.failure ?? '', /the shouter \(pid \d+\) exited with code 7: boom: no queue/);
});

test('missing worker files: a clear error and nothing spawned', () => {
  assert.throws(() => run({}, path.join(os.tmpdir(), 'no-such-dir')), /The shouter worker is missing/);
});

test('property: several shouters and hearers, any capacity and policy — never stuck, exactly once, capacity kept', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('os' as const, 'fifo' as const, 'random' as const), fc.integer({ min: 0, max: 1000 }),
    async (shouters, hearers, queueCapacity, lockPolicy, seed) => {
      const s = await run({ shouters, hearers, queueCapacity, lockPolicy, seed, messageCount: 12, napProbability: 0.2, napMs: 1, runTimeoutSeconds: 20 }).done;
      assert.equal(s.ok, true, `${shouters}×${hearers} cap ${queueCapacity} ${lockPolicy} seed ${seed}: ${s.failure ?? s.invariant}`);
      assert.equal(s.lineCount, 2 * shouters * 12);
      if (queueCapacity > 0) { assert.ok(s.maxQueueDepth <= queueCapacity); }
    },
  ), { numRuns: 25 });
});

test('the Python engine through the same engine API (this machine\'s python3)', async (t) => {
  const { execFileSync } = await import('child_process');
  let executable: string;
  try { executable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim(); } catch { t.skip('no python3'); return; }
  const { startRun } = await import('../../src/engine/run');
  const { defaultConfig } = await import('../../src/shared/config');
  const r = startRun({
    config: { ...defaultConfig(), engine: 'python', messageCount: 8, seed: 1, napMs: 1, shouters: 2, hearers: 2, queueCapacity: 2 },
    python: { executable, script: path.join(ROOT, 'python', 'shout_hear.py') },
  });
  const s = await r.done;
  assert.equal(s.ok, true, s.failure ?? s.invariant);
  assert.equal(s.engine, 'python');
  assert.ok(s.maxQueueDepth <= 2);
  assert.equal(s.processes.filter((p) => p.pid !== undefined).length, 4, 'every lane reported its pid');
  for (const pid of s.allPids) { assert.ok(!isAlive(pid), `pid ${pid} is gone`); }
});
