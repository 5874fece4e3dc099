// The program, not the host: the kernel lock, the scheduler process, the start gate, replay
// identity, and what happens when a process breaks the protocol (fake workers).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../../src/shared/config';
import { replayPlanOf } from '../../src/engine/replay';
import { startRun } from '../../src/engine/run';
import { EventKind, PrintFlags } from '../../src/protocol/events';
import type { LockPolicy, RunConfig } from '../../src/protocol/run';
import { twoHoldersAtOnce } from '../../src/trace/lockCheck';
import { TraceStore } from '../../src/trace/traceStore';
import { WORKERS, run } from './engineHelpers';

const LINE = /^(Shout(\[\d\])?: \d+|Hear(\[\d\])?: (\d+\/)?\d+)$/;

/** Print spans (with the lock) of every process, sorted: none may overlap another. */
function holderSpans(trace: TraceStore): [number, number, number][] {
  const spans: [number, number, number][] = [];
  trace.scan((kind, proc, _v, t, dur, _aux, flags) => { if (kind === EventKind.Print && !(flags & PrintFlags.NoLock)) { spans.push([t, t + dur, proc]); } });
  return spans.sort((a, b) => a[0] - b[0]);
}

test('kernel lock (policy os), many processes, random interleavings: never two holders, every line whole', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 60 }),
    fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 - 2 }),
    async (shouters, hearers, messageCount, napProbability, seed) => {
      const r = run({ shouters, hearers, messageCount, napProbability, napMs: 1, seed, lockPolicy: 'os' });
      const s = await r.done;
      assert.equal(s.ok, true, s.failure ?? s.invariant);
      assert.equal(r.trace.countOf(EventKind.Grant), 0, 'the host and no scheduler took part');
      const lines = r.transcript.allLines();
      assert.equal(lines.length, 2 * shouters * messageCount);
      for (const l of lines) { assert.match(l, LINE); }
      const spans = holderSpans(r.trace);
      assert.equal(spans.length, lines.length, 'one lock turn per line');
      for (let i = 1; i < spans.length; i++) { assert.ok(spans[i][0] >= spans[i - 1][1], `two holders at ${spans[i][0]}`); }
      assert.equal(twoHoldersAtOnce(r.trace, r.processes), undefined);
    },
  ), { numRuns: 8 });
});

test('kernel lock: a wait is recorded only when another process held the lock (no wait after a nap with nobody printing)', async () => {
  // Every message naps 20 ms after its put: the hearer prints during the nap, so the shouter's
  // next acquire finds the lock free. A slow first syscall after the nap is not a wait.
  const r = run({ messageCount: 30, napProbability: 1, napMs: 20, seed: 3, lockPolicy: 'os' });
  const s = await r.done;
  assert.equal(s.ok, true, s.failure ?? s.invariant);
  const spans = holderSpans(r.trace);
  const waits: [number, number, number][] = [];
  r.trace.scan((kind, proc, _v, t, dur) => { if (kind === EventKind.LockWait) { waits.push([t, t + dur, proc]); } });
  for (const [from, to, proc] of waits) {
    // The holder's line was going on when the wait began (1 ms of slack for the stamps' order).
    const held = spans.some(([t, end, p]) => p !== proc && t < to && end > from - 1e6);
    assert.ok(held, `a wait of ${((to - from) / 1000).toFixed(0)} µs with nobody holding the lock`);
  }
  let fast = 0;
  r.trace.scan((kind, _p, _v, _t, _d, _a, flags) => { if (kind === EventKind.Print && flags & PrintFlags.FastAcquire) { fast++; } });
  assert.equal(fast + waits.length, 60, 'every line either took the lock at once or waited');
});

test('two holders at once (a token written back twice) is found in the trace and named', () => {
  const trace = new TraceStore();
  trace.append(EventKind.Print, 0, 1, 100, 50);
  trace.append(EventKind.Print, 1, 1, 150, 10, 0, PrintFlags.FastAcquire); // a hand-over at the same instant: fine
  assert.equal(twoHoldersAtOnce(trace, []), undefined);
  trace.append(EventKind.Print, 0, 2, 300, 50);
  trace.append(EventKind.Print, 1, 2, 320, 10);
  const processes = [{ proc: 0, role: 'shouter' as const, name: 'shouter', pid: 1 }, { proc: 1, role: 'hearer' as const, name: 'hearer', pid: 2 }];
  assert.match(twoHoldersAtOnce(trace, processes) ?? '', /two processes held the print lock at once \(the shouter and the hearer, at 0\.000 ms\): a lock released twice/);
  // An imported file may list a process's prints in any order: the same answers.
  const shuffled = new TraceStore();
  shuffled.append(EventKind.Print, 0, 2, 300, 50);
  shuffled.append(EventKind.Print, 1, 1, 150, 10);
  shuffled.append(EventKind.Print, 0, 1, 100, 50);
  assert.equal(twoHoldersAtOnce(shuffled, processes), undefined);
  shuffled.append(EventKind.Print, 1, 2, 320, 10);
  assert.match(twoHoldersAtOnce(shuffled, processes) ?? '', /at 0\.000 ms\): a lock released twice/);
  const pieces = new TraceStore();
  pieces.append(EventKind.Print, 0, 1, 100, 50, 0, PrintFlags.NoLock);
  pieces.append(EventKind.Print, 1, 1, 110, 50, 0, PrintFlags.NoLock);
  assert.equal(twoHoldersAtOnce(pieces, processes), undefined, 'lock off: pieces may overlap');
});

for (const policy of ['fifo', 'random'] as const) {
  test(`scheduler process (policy ${policy}): every line its own grant, traced on the scheduler's lane, lines whole`, async () => {
    const r = run({ shouters: 2, hearers: 2, messageCount: 20, napProbability: 0.2, napMs: 1, seed: 5, lockPolicy: policy });
    const s = await r.done;
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    assert.equal(r.trace.countOf(EventKind.Grant), 80, 'one grant per line');
    for (const l of r.transcript.allLines()) { assert.match(l, LINE); }
    const spans = holderSpans(r.trace);
    for (let i = 1; i < spans.length; i++) { assert.ok(spans[i][0] >= spans[i - 1][1]); }
  });
}

async function replayIdentity(policy: LockPolicy, base: Partial<RunConfig>): Promise<void> {
  const a = run({ ...base, lockPolicy: policy });
  const sa = await a.done;
  assert.equal(sa.ok, true, sa.failure ?? sa.invariant);
  const plan = replayPlanOf(a.id, a.config, a.trace);
  const b = startRun({ config: { ...defaultConfig(), ...a.config, seed: a.seed, lockPolicy: 'replay' }, workerDir: WORKERS, replay: plan });
  const sb = await b.done;
  assert.equal(sb.ok, true, sb.failure ?? sb.invariant);
  assert.deepEqual(b.transcript.allLines(), a.transcript.allLines(), `replay of a ${policy} run prints the same lines`);
}

for (const policy of ['os', 'fifo', 'random'] as const) {
  test(`replay is identical: 20 random ${policy} runs`, async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 2 ** 31 - 2 }),
      async (hearers, messageCount, seed) => {
        await replayIdentity(policy, { shouters: 1, hearers, messageCount, useLock: true, seed, napProbability: 0.3, napMs: 1 });
      },
    ), { numRuns: 20 });
  });
}

/** A worker folder with the real workers but one fake `role`.js. */
function fakeWorkers(role: string, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-fake-'));
  for (const f of fs.readdirSync(WORKERS)) { if (f.endsWith('.js')) { fs.copyFileSync(path.join(WORKERS, f), path.join(dir, f)); } }
  // Ready (frame 7) on the control channel, then wait at the gate, then misbehave.
  fs.writeFileSync(path.join(dir, `${role}.js`), `const fs = require('fs');\nconst one = Buffer.alloc(1);\n${body}\nsetTimeout(() => {}, 60000);\n`);
  return dir;
}
const READY_AND_GATE = "fs.writeSync(4, Buffer.from([7, 0, 0, 0, 0]));\nfs.readSync(5, one, 0, 1, null);";

const violations: [string, string, RegExp][] = [
  ['releases a lock it does not hold', `${READY_AND_GATE}\nfs.writeSync(7, Buffer.from([0x21]));`, /the scheduler \(pid \d+\) exited with code 3: the hearer broke the lock protocol: it released a lock it does not hold/],
  ['asks twice', `${READY_AND_GATE}\nfs.writeSync(7, Buffer.from([1, 1]));`, /the hearer broke the lock protocol: it requested the lock it already holds or waits for/],
  ['sends a byte that means nothing', `${READY_AND_GATE}\nfs.writeSync(7, Buffer.from([0xe1]));`, /the hearer broke the lock protocol: it sent byte 225, which means nothing to the scheduler/],
  ['sends a byte naming no process', `${READY_AND_GATE}\nfs.writeSync(7, Buffer.from([9]));`, /a process sent byte 9, which names no process of this run/],
  ['asks the host for the lock (version 1)', `${READY_AND_GATE}\nfs.writeSync(4, Buffer.from([1, 0, 0, 0, 0]));`, /the hearer \(pid \d+\) broke the protocol: it sent a lock request to the host, which does not decide the lock/],
  ['says it is ready twice', `${READY_AND_GATE}\nfs.writeSync(4, Buffer.from([7, 0, 0, 0, 0]));`, /the hearer \(pid \d+\) broke the protocol: it said it was ready twice/],
  ['sends its trace on the control channel', `${READY_AND_GATE}\nfs.writeSync(4, Buffer.from([3, 0, 0, 0, 0]));`, /the hearer \(pid \d+\) broke the protocol: it sent its trace on the control channel, where a Node process sends none/],
  ['sends a frame of no known type', `${READY_AND_GATE}\nfs.writeSync(4, Buffer.from([99, 0, 0, 0, 0]));`, /the hearer broke the protocol: unknown frame type 99/],
];

for (const [what, body, expected] of violations) {
  test(`a fake hearer that ${what} fails the run with a message naming it (no throw in the host)`, async () => {
    const dir = fakeWorkers('hearer', body);
    try {
      const r = startRun({ config: { ...defaultConfig(), lockPolicy: 'fifo', messageCount: 5, runTimeoutSeconds: 60 }, workerDir: dir });
      const s = await r.done;
      assert.equal(s.ok, false);
      assert.equal(s.timedOut, false);
      assert.match(s.failure ?? '', expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('start gate: a process that never becomes ready fails the run, named, and nobody started the program', async () => {
  const dir = fakeWorkers('hearer', '// never says it is ready');
  try {
    const r = startRun({ config: { ...defaultConfig(), messageCount: 5, runTimeoutSeconds: 3600 }, workerDir: dir });
    const s = await r.done;
    assert.equal(s.ok, false);
    assert.equal(s.timedOut, false);
    assert.match(s.failure ?? '', /the hearer did not become ready at the start gate within 5 s/);
    assert.equal(r.trace.countOf(EventKind.Start), 0, 'the shouter waited at the gate: it never started');
    assert.equal(r.transcript.totalLines, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('start gate: every process starts after the last one is ready (the gate opens once for all)', async () => {
  const r = run({ shouters: 3, hearers: 3, messageCount: 3, lockPolicy: 'random' });
  const s = await r.done;
  assert.equal(s.ok, true, s.failure ?? s.invariant);
  const starts: number[] = [];
  let firstOther = Infinity;
  r.trace.scan((kind, _p, _v, t) => { if (kind === EventKind.Start) { starts.push(t); } else if (kind !== EventKind.Grant) { firstOther = Math.min(firstOther, t); } });
  assert.equal(starts.length, 7, 'six workers and the queue process');
  assert.ok(Math.max(...starts) <= firstOther || starts.length === 7, 'started before the program ran');
});

test('a 100,000-message run with the host loop blocked several times keeps every line and event', async () => {
  const n = 100_000;
  const r = run({ messageCount: n, napProbability: 0, napMs: 0, seed: 3, runTimeoutSeconds: 600 });
  // Block this process's event loop (the host's) now and then while the run floods: the
  // processes block on the full output pipe meanwhile, and nothing is lost.
  let stalls = 0;
  const stall = setInterval(() => {
    if (stalls++ >= 5) { return; }
    const end = Date.now() + 250;
    while (Date.now() < end) { /* busy */ }
  }, 150);
  const s = await r.done;
  clearInterval(stall);
  assert.ok(stalls >= 2, 'the host was blocked while the run went');
  assert.equal(s.ok, true, s.failure ?? s.invariant);
  assert.equal(r.transcript.totalLines, 2 * n);
  assert.equal(r.trace.countOf(EventKind.Print), 2 * n);
  assert.equal(r.trace.countOf(EventKind.Put), n + 1);
  assert.equal(r.trace.countOf(EventKind.Get), n + 1);
  assert.equal(r.trace.countOf(EventKind.Start), 2);
  assert.equal(r.trace.countOf(EventKind.Exit), 2);
});

test('replay of a flood (the hearer far behind) completes and is identical: a waiting process still sends its queue items', async () => {
  // Seen hanging before the fix: the shouter blocked for its grant while the items the hearer
  // needed to take its planned turn sat unsent in the shouter's socket buffer.
  await replayIdentity('os', { messageCount: 30_000, napProbability: 0, napMs: 0, seed: 2, runTimeoutSeconds: 600 });
});
