// Level of detail for the timeline: one decision per pixel column, range sums, hit testing inputs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LaneSums, SUM_GROUPS, gallop, lowerBound, walkColumns } from '../../src/webview/timeline/lod';

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test('lowerBound and gallop agree with a linear scan', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.integer({ min: -5, max: 1005 }), fc.nat(), (xs, v, fromSeed) => {
    const t = Float64Array.from(xs.sort((a, b) => a - b));
    const idx = identity(t.length);
    const expected = t.findIndex((x) => x >= v);
    const want = expected < 0 ? t.length : expected;
    assert.equal(lowerBound(t, idx, 0, t.length, v), want);
    const from = t.length === 0 ? 0 : fromSeed % (want + 1);
    assert.equal(gallop(t, idx, from, t.length, v), want);
  }));
});

test('walkColumns: every event in view is covered once, singles alone in their column, bins share one', () => {
  fc.assert(fc.property(
    fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 300 }),
    fc.double({ min: -1e5, max: 5e5, noNaN: true }), fc.double({ min: 1, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 400 }),
    (xs, t0, nsPerPx, width) => {
      const t = Float64Array.from(xs.sort((a, b) => a - b));
      const idx = identity(t.length);
      const seen: number[] = [];
      const colOf = (x: number) => Math.floor((x - t0) / nsPerPx);
      walkColumns(t, idx, t.length, t0, nsPerPx, width, {
        single: (p) => { seen.push(p); },
        bin: (p, q, col) => {
          assert.ok(q - p >= 2);
          for (let r = p; r < q; r++) { assert.equal(colOf(t[r]), col); seen.push(r); }
        },
      });
      const inView = [...t.keys()].filter((i) => t[i] >= t0 && t[i] < t0 + width * nsPerPx);
      assert.deepEqual(seen, inView);
    }));
});

test('walkColumns on a million events makes at most one call per column', () => {
  const n = 1_000_000;
  const t = Float64Array.from({ length: n }, (_, i) => i * 10);
  const idx = identity(n);
  let calls = 0;
  const made = walkColumns(t, idx, n, 0, (n * 10) / 1000, 1000, { single: () => { calls++; }, bin: () => { calls++; } });
  assert.equal(made, calls);
  assert.ok(calls <= 1000, `${calls} calls`);
});

test('LaneSums.range equals the direct sum for any range', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 400 }), fc.nat(), fc.nat(), (evs, a, b) => {
    const kind = Uint8Array.from(evs.map((e) => e[0]));
    const dur = Float32Array.from(evs.map((e) => e[1]));
    const idx = identity(evs.length);
    const sums = new LaneSums();
    evs.forEach(([k, d]) => sums.push(k, d));
    const p = evs.length ? a % (evs.length + 1) : 0;
    const q = evs.length ? p + (b % (evs.length - p + 1)) : 0;
    const got = new Float64Array(SUM_GROUPS);
    sums.range(p, q, idx, kind, dur, got);
    const direct = new Float64Array(SUM_GROUPS);
    const scanOnly = new LaneSums();
    scanOnly.range(p, q, idx, kind, dur, direct); // no blocks: a plain scan
    for (let g = 0; g < SUM_GROUPS; g++) { assert.ok(Math.abs(got[g] - direct[g]) < 1e-6, `group ${g}: ${got[g]} vs ${direct[g]}`); }
  }));
});
