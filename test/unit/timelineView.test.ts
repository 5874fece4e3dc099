// Time axis ticks and labels, the viewport's zoom/pan, and the track layout.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AXIS_H, layoutTracks, trackAt } from '../../src/webview/timeline/layout';
import { formatDuration, formatTick, niceStep, timeTicks } from '../../src/webview/timeline/ticks';
import { MIN_SPAN, clampTo, fitAll, followEnd, panBy, span, tOf, xOf, zoomAt } from '../../src/webview/timeline/viewport';

test('niceStep is a 1-2-5 step at least the minimum', () => {
  for (const [min, want] of [[0.5, 1], [3, 5], [7, 10], [12, 20], [450, 500], [1.1e6, 2e6], [2.5e8, 5e8]] as const) { assert.equal(niceStep(min), want); }
  fc.assert(fc.property(fc.double({ min: 1.0001, max: 1e12, noNaN: true }), (m) => {
    const s = niceStep(m);
    assert.ok(s >= m * (1 - 1e-9) && s <= m * 5.0001);
    const mant = s / 10 ** Math.floor(Math.log10(s) + 1e-9);
    assert.ok([1, 2, 5].some((x) => Math.abs(mant - x) < 1e-6), `${s}`);
  }));
});

test('timeTicks are evenly spaced, inside the view, and at least minPx apart', () => {
  fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: 100, max: 1e10, noNaN: true }), fc.integer({ min: 100, max: 3000 }), (t0, s, w) => {
    const { step, ticks } = timeTicks(t0, t0 + s, w, 90);
    assert.ok((step / s) * w >= 90 * (1 - 1e-9));
    for (const t of ticks) { assert.ok(t >= t0 - 1e-6 && t <= t0 + s + 1e-6); }
    for (let i = 1; i < ticks.length; i++) { assert.ok(Math.abs(ticks[i] - ticks[i - 1] - step) < step * 1e-6); }
  }));
});

test('tick labels and durations use sensible units', () => {
  assert.equal(formatTick(0, 5e7), '0 ms');
  assert.equal(formatTick(1.5e8, 5e7), '150 ms');
  assert.equal(formatTick(2e9, 1e9), '2 s');
  assert.equal(formatTick(2.5e9, 5e8), '2.5 s');
  assert.equal(formatTick(3e3, 1e3), '3 µs');
  assert.equal(formatTick(250, 50), '250 ns');
  assert.equal(formatDuration(1234567), '1.23 ms');
  assert.equal(formatDuration(5e9), '5 s');
  assert.equal(formatDuration(0), '0');
});

test('zoomAt keeps the anchor at the same pixel and respects the minimum span', () => {
  fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e3, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (t0, s, frac, f) => {
    const v = { t0, t1: t0 + s };
    const anchor = t0 + frac * s;
    const z = zoomAt(v, f, anchor);
    assert.ok(span(z) >= MIN_SPAN - 1e-6);
    assert.ok(Math.abs(xOf(z, 1000, anchor) - xOf(v, 1000, anchor)) < 1e-3 * 1000);
  }));
  assert.equal(span(zoomAt({ t0: 0, t1: 200 }, 100, 100)), MIN_SPAN);
});

test('pan, fit, follow and clamp', () => {
  assert.deepEqual(panBy({ t0: 0, t1: 10 }, 5), { t0: 5, t1: 15 });
  const f = fitAll(2e8, 1e8);
  assert.ok(f.t0 < 1e8 && f.t1 > 2e8 && f.t0 > 0.9e8);
  const fl = followEnd({ t0: 0, t1: 1e6 }, 5e6);
  assert.ok(fl.t1 > 5e6 && Math.abs(span(fl) - 1e6) < 1e-6);
  const c = clampTo({ t0: 1e12, t1: 1e12 + 1e6 }, 1e8);
  assert.ok(c.t0 < 1e8 + 1e8 && Math.abs(span(c) - 1e6) < 1e-3);
  assert.ok(Math.abs(tOf({ t0: 0, t1: 100 }, 50, 25) - 50) < 1e-9);
});

test('layout: lanes per process, then lock and depth; a slot row only in compare mode', () => {
  const one = layoutTracks([{ label: 'a', processes: [{ proc: 0, name: 'shouter' }, { proc: 1, name: 'hearer' }] }]);
  assert.deepEqual(one.tracks.map((t) => t.kind), ['lane', 'lane', 'lock', 'depth']);
  assert.ok(one.tracks[0].y >= AXIS_H);
  for (let i = 1; i < one.tracks.length; i++) { assert.ok(one.tracks[i].y >= one.tracks[i - 1].y + one.tracks[i - 1].h); }
  assert.equal(trackAt(one.tracks, one.tracks[1].y + 1)?.label, 'hearer');
  assert.equal(trackAt(one.tracks, 0), undefined);
  const two = layoutTracks([{ label: 'a', processes: [{ proc: 0, name: 's' }] }, { label: 'b', processes: [{ proc: 0, name: 's' }] }]);
  assert.deepEqual(two.tracks.map((t) => `${t.slot}:${t.kind}`), ['0:slot', '0:lane', '0:lock', '0:depth', '1:slot', '1:lane', '1:lock', '1:depth']);
  assert.ok(two.height > one.height);
});
