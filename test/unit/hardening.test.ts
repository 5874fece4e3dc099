// Faults, load and repetition at the engine level. SHOUT_HEAR_LONG=1 runs the long mode.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { liveWorkerCount } from '../../src/engine/run';
import { PyRandom } from '../../src/shared/pyRandom';
import { ROOT, childrenOf, groupMembers, isAlive, run, sleep, waitFor } from './engineHelpers';

const LONG = process.env.SHOUT_HEAR_LONG === '1';
const fdCount = () => fs.readdirSync('/proc/self/fd').length;

test(`fault injection: SIGKILL a worker at random moments (${LONG ? 100 : 20} trials)`, async () => {
  const rng = new PyRandom(2026);
  const latencies: number[] = [];
  for (let trial = 0; trial < (LONG ? 100 : 20); trial++) {
    const victim = rng.random() < 0.5 ? 'shouter' : 'hearer';
    const r = run({ messageCount: 2000, napProbability: 0.02, napMs: 5, seed: trial });
    await waitFor('both started', () => r.processes.length === 2 && r.transcript.lineCount >= 1);
    await sleep(Math.floor(rng.random() * 40));
    const target = r.processes.find((p) => p.role === victim)!;
    const killedAt = Date.now();
    process.kill(target.pid!, 'SIGKILL');
    const s = await r.done;
    latencies.push(Date.now() - killedAt);
    if (s.ok) { continue; } // it finished before the signal landed: nothing to check
    assert.match(s.failure ?? '', new RegExp(`the ${victim} \\(pid ${target.pid}\\) was killed by signal SIGKILL`), `trial ${trial}`);
    assert.ok(s.events > 0, 'the partial trace is kept');
    assert.equal(s.exactlyOnceInOrder, false);
    for (const p of r.processes) {
      assert.ok(!isAlive(p.pid), `trial ${trial}: ${p.role} ${p.pid} is gone`);
      assert.deepEqual(groupMembers(p.pid!), [], `trial ${trial}: nothing left in ${p.role}'s process group`);
    }
  }
  assert.equal(liveWorkerCount(), 0);
  console.log(`kill -> run ended: max ${Math.max(...latencies)} ms, median ${latencies.sort((a, b) => a - b)[latencies.length >> 1]} ms`);
});

test(`${LONG ? 1000 : 200} runs back to back: no orphans, no fd leak, bounded heap`, async () => {
  const runs = LONG ? 1000 : 200;
  // A run lets its spool files go a moment after it is done (traceSpool.ts): the last test's too.
  await sleep(50);
  const fdsBefore = fdCount();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const pids: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = run({ messageCount: 5, napProbability: 0, seed: i });
    const s = await r.done;
    assert.equal(s.ok, true, `run ${i}: ${s.failure ?? s.invariant}`);
    pids.push(s.pids.shouter!, s.pids.hearer!);
  }
  await sleep(50);
  global.gc?.();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  assert.equal(fdCount(), fdsBefore, 'file descriptors before and after');
  assert.deepEqual(pids.filter(isAlive), [], 'no worker alive');
  assert.equal(liveWorkerCount(), 0);
  assert.ok(heapGrowth < 32 * 1024 * 1024, `heap grew by ${(heapGrowth / 1e6).toFixed(1)} MB over ${runs} runs`);
});

test('the host vanishing (SIGKILL) takes its workers with it', async () => {
  // A host process of our own that starts a long run, then is killed without a chance to clean up.
  const host = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--messages', '1000', '--nap-probability', '1', '--nap-ms', '50', '--json'], { stdio: 'ignore' });
  let pids: number[] = [];
  await waitFor('the host to start its workers', () => {
    pids = childrenOf(host.pid!);
    return pids.length === 2;
  });
  host.kill('SIGKILL');
  await waitFor('the workers to exit on their own', () => pids.every((p) => !isAlive(p)));
});
