// Lock off: which lines were written while another process was mid-line (the timeline marks
// them), and how compare mode lines runs up.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventKind, PrintFlags } from '../../src/protocol/events';
import { TraceStore } from '../../src/trace/traceStore';
import { sliceEvents } from '../../src/views/timeline/feed';
import { RunData } from '../../src/webview/timeline/model';
import { LockOffLines, lineOverlaps, type LineSpan } from '../../src/webview/timeline/overlap';
import { alignShifts } from '../../src/webview/timeline/viewport';

const L = (proc: number, start: number, end: number): LineSpan => ({ proc, start, end });

test('lines of two processes that overlap in time are both counted, with the band where they do', () => {
  // shouter: [0,10]; hearer: [5,12] overlaps it; shouter again [20,30]; hearer [30,35] only touches it.
  const r = lineOverlaps([L(0, 0, 10), L(1, 5, 12), L(0, 20, 30), L(1, 30, 35)]);
  assert.equal(r.lines, 4);
  assert.equal(r.overlapping, 2);
  assert.deepEqual(r.overlappingIndexes, [0, 1]);
  assert.deepEqual(r.bands, [5, 10]);
});

test('one process never overlaps itself; nested and chained overlaps', () => {
  assert.equal(lineOverlaps([L(0, 0, 10), L(0, 5, 12)]).overlapping, 0, 'same process');
  // A long hearer line with two short shouter lines inside it: three lines, two bands.
  const nested = lineOverlaps([L(1, 0, 100), L(0, 10, 20), L(0, 50, 60)]);
  assert.equal(nested.overlapping, 3);
  assert.deepEqual(nested.bands, [10, 20, 50, 60]);
  // Three processes in a chain: a overlaps b, b overlaps c; the band is continuous.
  const chain = lineOverlaps([L(0, 0, 10), L(1, 8, 20), L(2, 18, 30)]);
  assert.equal(chain.overlapping, 3);
  assert.deepEqual(chain.bands, [8, 10, 18, 20]);
  assert.deepEqual(lineOverlaps([]), { lines: 0, overlapping: 0, overlappingIndexes: [], bands: [] });
});

test('agrees with a brute-force pairwise check', () => {
  const line = fc.record({ proc: fc.integer({ min: 0, max: 3 }), start: fc.integer({ min: 0, max: 100 }), len: fc.integer({ min: 1, max: 30 }) });
  fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (xs) => {
    const lines = xs.map((x) => L(x.proc, x.start, x.start + x.len));
    const r = lineOverlaps(lines);
    const want = lines.map((a, i) => lines.some((b, j) => j !== i && b.proc !== a.proc && a.start < b.end && b.start < a.end)).map((m, i) => (m ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(r.overlappingIndexes, want);
    // Bands: sorted, disjoint, and a time is inside one exactly when two processes are mid-line.
    for (let i = 2; i < r.bands.length; i += 2) { assert.ok(r.bands[i] > r.bands[i - 1]); }
    for (let t = 0.5; t < 131; t += 1) {
      const busy = new Set(lines.filter((l) => l.start < t && t < l.end).map((l) => l.proc)).size;
      let inBand = false;
      for (let i = 0; i < r.bands.length; i += 2) { if (r.bands[i] < t && t < r.bands[i + 1]) { inBand = true; } }
      assert.equal(inBand, busy >= 2, `t=${t}`);
    }
  }));
});

test('pieces of a line (lock off) become one line from the first piece to the last, as events stream in', () => {
  const store = new TraceStore();
  const piece = (proc: number, msg: number, i: number, t: number) => store.append(EventKind.Print, proc, msg, t, 1, i, PrintFlags.NoLock);
  // shouter "Shout: 1" in pieces at 0, 10, 20; hearer's line pieces at 5 and 15 land between them.
  piece(0, 1, 0, 0); piece(1, 1, 0, 5); piece(0, 1, 1, 10); piece(1, 1, 1, 15); piece(0, 1, 2, 20);
  // Later lines, one at a time: no overlap.
  piece(0, 2, 0, 100); piece(0, 2, 1, 101); piece(1, 2, 0, 200); piece(1, 2, 1, 210);
  store.append(EventKind.Print, 0, 3, 300, 5, 0); // a locked print is not a piece
  const run = new RunData({
    runId: 'r', label: 'r', seed: 1, startedAt: 0, processes: [{ proc: 0, role: 'shouter', name: 's' }, { proc: 1, role: 'hearer', name: 'h' }],
    config: { messageCount: 3, useLock: false } as never,
  }, 0, true);
  // In two batches, split mid-line.
  assert.ok(run.append(sliceEvents(store, 0, 3)));
  assert.ok(run.append(sliceEvents(store, 3, store.length)));
  const r = run.lockOff.result();
  assert.deepEqual(run.lockOff.lines, [L(0, 0, 21), L(1, 5, 16), L(0, 100, 102), L(1, 200, 211)]);
  assert.equal(r.lines, 4);
  assert.equal(r.overlapping, 2);
  assert.deepEqual(r.bands, [5, 16]);
});

test('a live result may be reused for a while; a new one once asked with no slack', () => {
  const lines = new LockOffLines();
  const cols = { t: new Float64Array([0, 1]), dur: new Float32Array([5, 5]), aux: new Uint32Array([0, 0]), flags: new Uint8Array([PrintFlags.NoLock, PrintFlags.NoLock]), kind: new Uint8Array([EventKind.Print, EventKind.Print]), proc: new Uint16Array([0, 1]) };
  lines.add(cols, 0, 1);
  assert.equal(lines.result(400, 1000).lines, 1);
  lines.add(cols, 1, 2);
  assert.equal(lines.result(400, 1100).lines, 1, 'stale within 400 ms');
  assert.equal(lines.result(400, 1500).overlapping, 2);
  assert.equal(lines.result(0, 1500).lines, 2);
});

test('compare alignment: a single run keeps its clock; compared runs line up on their first events', () => {
  assert.deepEqual(alignShifts([5e6, undefined], 'first'), [0, 0]);
  assert.deepEqual(alignShifts([5e6, 180e6], 'first'), [5e6, 180e6]);
  assert.deepEqual(alignShifts([5e6, 180e6], 'start'), [0, 0]);
  assert.deepEqual(alignShifts([undefined, 180e6], 'first'), [0, 0]);
});
