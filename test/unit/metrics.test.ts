import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventKind, PrintFlags, SENTINEL } from '../../src/protocol/events';
import { LockedPrints } from '../../src/trace/lockCheck';
import { MetricsTally, computeMetrics, maxQueueDepth } from '../../src/trace/metrics';
import { CHUNK, TraceStore } from '../../src/trace/traceStore';
import { Transcript } from '../../src/trace/transcript';

function store(puts: [number, number][], gets: [number, number][], extra: (s: TraceStore) => void = () => {}): TraceStore {
  const s = new TraceStore();
  for (const [t, v] of puts) { s.append(EventKind.Put, 0, v, t); }
  for (const [t, v] of gets) { s.append(EventKind.Get, 1, v, t); }
  extra(s);
  return s;
}
const one = { shouters: 1, hearers: 1, messageCount: 3 };
const done = (s: TraceStore) => { s.append(EventKind.Put, 0, SENTINEL, 100); s.append(EventKind.Get, 1, SENTINEL, 101); };

test('a complete, ordered run holds the invariant', () => {
  const m = computeMetrics(store([[1, 1], [2, 2], [3, 3]], [[4, 1], [5, 2], [6, 3]], done), one);
  assert.equal(m.exactlyOnceInOrder, true, m.invariant);
  assert.equal(m.maxQueueDepth, 3);
  assert.match(m.invariant, /exactly once, in order \(3 of 3\)/);
});

test('duplicates, reorders, losses and phantom messages are each named', () => {
  const cases: [[number, number][], RegExp][] = [
    [[[4, 1], [5, 1], [6, 3]], /message 1 was got twice/],
    [[[4, 2], [5, 1], [6, 3]], /message 2 was got where 1 was due/],
    [[[4, 1], [5, 2]], /1 of 3 messages were never got/],
    [[[4, 1], [5, 2], [6, 9]], /message 9 was got but never put/],
  ];
  for (const [gets, message] of cases) {
    const m = computeMetrics(store([[1, 1], [2, 2], [3, 3]], gets, done), one);
    assert.equal(m.exactlyOnceInOrder, false);
    assert.match(m.invariant, message);
  }
  const noDone = computeMetrics(store([[1, 1], [2, 2], [3, 3]], [[4, 1], [5, 2], [6, 3]]), one);
  assert.match(noDone.invariant, /"done" was put 0 and got 0 times; 1 expected/);
});

test('naps and lock waits are counted', () => {
  const m = computeMetrics(store([], [], (s) => {
    s.append(EventKind.Nap, 0, 1, 10, 100);
    s.append(EventKind.LockWait, 1, 1, 10, 2_000_000);
    s.append(EventKind.LockWait, 0, 2, 20, 500_000);
  }), one);
  assert.equal(m.naps, 1);
  assert.deepEqual(m.lockWaits, { count: 2, totalMs: 2.5 });
});

test('queue depth follows puts and gets in time', () => {
  assert.equal(maxQueueDepth([1, 2, 5, 6], [3, 4, 7, 8]), 2);
  assert.equal(maxQueueDepth([1, 3, 5], [2, 4, 6]), 1);
  assert.equal(maxQueueDepth([], []), 0);
});

test('trace store keeps events in columns across chunks', () => {
  const s = new TraceStore();
  for (let i = 0; i < 70_000; i++) { s.append(EventKind.Print, i % 2, i, i * 10, 5, 1); }
  assert.equal(s.length, 70_000);
  assert.equal(s.chunks.length, 2);
  assert.deepEqual(s.get(69_999), { kind: EventKind.Print, flags: 0, proc: 1, obj: 0, site: 0, aux: 1, value: 69_999, t: 699_990, dur: 5 });
  assert.equal(s.countOf(EventKind.Print), 70_000);
  assert.equal(s.byteSize, 2 * CHUNK * 28, '28 bytes per event (every v2 field), in 64K-event chunks');
});

test('transcript keeps lines across arbitrary chunks', () => {
  const t = new Transcript();
  for (const piece of ['Shout: 1\nHe', 'ar: 1\n', 'Shout: 2\nHear: 2', '\n', 'tail']) { t.append(Buffer.from(piece)); }
  assert.equal(t.lineCount, 4);
  assert.equal(t.totalLines, 5);
  assert.equal(t.line(1), 'Hear: 1');
  assert.deepEqual(t.allLines(), ['Shout: 1', 'Hear: 1', 'Shout: 2', 'Hear: 2', 'tail']);
});

test('a live run\'s tallies, fed batch by batch, say what one pass over the whole trace says', () => {
  // A run feeds the metrics and the locked prints each batch as it arrives; the end of the run
  // reads them. Any split of any trace (across chunk ends too) must give the same answers.
  const kinds = [EventKind.Put, EventKind.Get, EventKind.Print, EventKind.LockWait, EventKind.Nap, EventKind.PutBlocked, EventKind.Start];
  const event = fc.record({
    kind: fc.constantFrom(...kinds), proc: fc.integer({ min: 0, max: 3 }), value: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(SENTINEL)),
    t: fc.integer({ min: 0, max: 1000 }), dur: fc.integer({ min: 0, max: 30 }), aux: fc.integer({ min: 0, max: 2 }), noLock: fc.boolean(),
  });
  fc.assert(fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 8 }), (events, padding, cuts) => {
    const trace = new TraceStore();
    // Padding: a chunk or more of plain Start events first, so the pieces cross a chunk's end.
    for (let i = 0; i < padding * (CHUNK / 2); i++) { trace.append(EventKind.Start, 0, 0, 0); }
    for (const e of events) { trace.append(e.kind, e.proc, e.value, e.t, e.dur, e.aux, e.kind === EventKind.Print && e.noLock ? PrintFlags.NoLock : 0); }
    const input = { shouters: 2, hearers: 2, messageCount: 3 };
    const tally = new MetricsTally(input.shouters, 4);
    const prints = new LockedPrints();
    let at = 0;
    for (const cut of [...cuts, trace.length]) {
      const to = Math.min(trace.length, at + cut + (at === 0 ? padding * (CHUNK / 2) - 3 : 0));
      tally.add(trace, at, Math.max(at, to));
      prints.add(trace, at, Math.max(at, to));
      at = Math.max(at, to);
    }
    tally.add(trace, at, trace.length);
    prints.add(trace, at, trace.length);
    assert.deepEqual(tally.result(input), computeMetrics(trace, input));
    assert.equal(prints.firstOverlap(), LockedPrints.of(trace).firstOverlap());
  }), { numRuns: 150 });
});

test('two processes\' locked prints: the merge answers as it does with a third process far away (ties and hand-overs included)', () => {
  // A third process's print long after every other changes no answer: the merge's tie rule
  // (the first process first) must not depend on how many processes it walks.
  const spans = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3 }), dur: fc.integer({ min: 0, max: 3 }) }), { maxLength: 12 });
  fc.assert(fc.property(spans, spans, (a, b) => {
    const trace = new TraceStore();
    for (const [proc, list] of [[0, a], [1, b]] as const) {
      let t = 0;
      for (const s of list) { t += s.gap; trace.append(EventKind.Print, proc, 1, t, s.dur); t += s.dur; }
    }
    const two = LockedPrints.of(trace).firstOverlap();
    trace.append(EventKind.Print, 2, 1, 1e6, 1);
    assert.equal(two, LockedPrints.of(trace).firstOverlap());
  }), { numRuns: 500 });
});

/** The lock check's definition: every locked print by start (ties: lower lane, then its own order); the first that starts before an earlier one ended. */
function firstOverlapByDefinition(spans: { lane: number; start: number; end: number; k: number }[]): number | undefined {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.lane - b.lane || a.k - b.k);
  let latestEnd = -Infinity;
  for (const s of sorted) {
    if (s.start < latestEnd) { return s.start; }
    latestEnd = Math.max(latestEnd, s.end);
  }
  return undefined;
}

test('locked prints merged batch by batch (a live run) give the answer of the merge over all of them', () => {
  // Each lane's prints in order, lanes interleaved in batches of any size, cut anywhere; now and
  // then a lane that is not a printer prints, or a lane prints out of order: the live merge must
  // give up then, and the answer stays the whole merge's.
  const lane = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 2 }), dur: fc.integer({ min: 0, max: 2 }) }), { maxLength: 10 });
  fc.assert(fc.property(fc.array(lane, { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 20 }),
    fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 8 }), fc.constantFrom('printers', 'stranger', 'unordered'), (lanes, batches, cuts, twist) => {
      const spans = lanes.flatMap((list, p) => { let t = 0; return list.map((s, k) => { t += s.gap; const span = { lane: p, start: t, end: t + s.dur, k }; t += s.dur; return span; }); });
      if (twist === 'stranger') { spans.push({ lane: 7, start: 2, end: 5, k: 0 }); }
      if (twist === 'unordered' && spans.length > 1) { spans[spans.length - 1].start = -1; }
      // Trace order: each lane's in its own order, taken a batch at a time from lanes in turn.
      const queues = [...new Set(spans.map((s) => s.lane))].map((p) => spans.filter((s) => s.lane === p));
      const trace = new TraceStore();
      for (let b = 0; queues.some((q) => q.length > 0); b++) {
        const q = queues[b % queues.length];
        for (const s of q.splice(0, batches[b % Math.max(1, batches.length)] ?? 2)) { trace.append(EventKind.Print, s.lane, 1, s.start, s.end - s.start); }
      }
      const live = new LockedPrints(() => 2, lanes.map((_, p) => p));
      let at = 0;
      for (const cut of cuts) { const to = Math.min(trace.length, at + cut); live.add(trace, at, to); at = to; }
      live.add(trace, at, trace.length);
      const whole = LockedPrints.of(trace).firstOverlap();
      assert.equal(live.firstOverlap(), whole);
      if (twist === 'printers') { assert.equal(whole, firstOverlapByDefinition(spans)); }
    }), { numRuns: 1000 });
});

test('the exactly-once check made as moves come says what the check of every move says (runs right, and runs broken)', () => {
  // Plausible runs — each shouter puts 1..n in time order, each message got once by some hearer,
  // each process's events in its own order, processes interleaved in batches — then one thing
  // broken, or not: the shortcut may only be taken when the full check would pass.
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }),
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 30, maxLength: 30 }), fc.constantFrom('none', 'drop', 'repeat', 'swap', 'late', 'extra'),
    fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 6 }), (shouters, hearers, n, noise, twist, pick, cuts) => {
      let r = 0;
      const next = () => noise[r++ % noise.length];
      type Move = { kind: EventKind; proc: number; value: number; t: number; aux: number };
      const byProc: Move[][] = Array.from({ length: shouters + hearers }, () => []);
      let getAt = 0; // the queue hands out in order: gets in time order, whoever gets
      for (let s = 0; s < shouters; s++) {
        let t = 0;
        for (let v = 1; v <= n; v++) {
          t += next();
          byProc[s].push({ kind: EventKind.Put, proc: s, value: v, t, aux: s });
          const h = next() % hearers;
          getAt = Math.max(getAt, t) + 1 + next();
          byProc[shouters + h].push({ kind: EventKind.Get, proc: shouters + h, value: v, t: getAt, aux: s });
        }
      }
      // "done" once per hearer (several shouters: the queue process puts them; here shouter 1's lane).
      for (let h = 0; h < hearers; h++) { byProc[0].push({ kind: EventKind.Put, proc: 0, value: SENTINEL, t: 1000 + h, aux: 0 }); }
      for (let h = 0; h < hearers; h++) { byProc[shouters + h].push({ kind: EventKind.Get, proc: shouters + h, value: SENTINEL, t: getAt + 1 + h, aux: 0 }); }
      const all = byProc.flat().filter((m) => m.value !== SENTINEL);
      const victim = all[pick % all.length];
      const list = byProc[victim.proc];
      const i = list.indexOf(victim);
      if (twist === 'drop') { list.splice(i, 1); }
      if (twist === 'repeat') { list.splice(i, 0, { ...victim }); }
      if (twist === 'swap' && i + 1 < list.length) { [list[i].value, list[i + 1].value] = [list[i + 1].value, list[i].value]; }
      if (twist === 'late') { victim.t += 3; }
      if (twist === 'extra') { list.push({ ...victim, value: n + 1 }); }
      const trace = new TraceStore();
      for (let b = 0; byProc.some((q) => q.length > 0); b++) {
        for (const m of byProc[b % byProc.length].splice(0, 1 + next())) { trace.append(m.kind, m.proc, m.value, m.t, 0, m.aux); }
      }
      const input = { shouters, hearers, messageCount: n };
      const tally = new MetricsTally(shouters, 2);
      let at = 0;
      for (const cut of cuts) { const to = Math.min(trace.length, at + cut); tally.add(trace, at, to); at = to; }
      tally.add(trace, at, trace.length);
      const checkedAll = tally.result(input, false);
      assert.deepEqual(tally.result(input), checkedAll);
      if (twist === 'none') { assert.equal(checkedAll.exactlyOnceInOrder, true, checkedAll.invariant); }
    }), { numRuns: 1500 });
});
