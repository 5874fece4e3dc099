import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventKind, SENTINEL } from '../../src/protocol/events';
import { computeMetrics, maxQueueDepth } from '../../src/trace/metrics';
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
