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
