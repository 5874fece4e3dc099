// The Timeline page's Learn modules without a DOM: the page reads its own columns into the very
// stateAt and explainRun the commands use (same answers as the host's store), and the event-order
// copy of a run keeps every event (same indices, same order) with equal steps and marked gaps.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { explainRun } from '../../src/learn/explain';
import { indexStates } from '../../src/learn/stateAt';
import { eventsInTimeOrder } from '../../src/learn/traceView';
import { sliceEvents } from '../../src/views/timeline/feed';
import { RunData } from '../../src/webview/timeline/model';
import { learnRunOfPage, narrationOf, orderAxisOf, statesOf } from '../../src/webview/timeline/learnRun';
import { UNIT_NS, orderCopyOf, toDrawn, toReal } from '../../src/webview/timeline/orderView';
import type { TimelineState } from '../../src/webview/timeline/state';
import { lessonStory, TraceBuilder } from './learnFixtures';

/** The fixture as the page holds it (the host's feed slices it into the page's columns). */
function pageRun(): { page: RunData; host: ReturnType<typeof lessonStory> } {
  const host = lessonStory();
  const b = new TraceBuilder();
  // lessonStory builds its own store; read its columns back into a store the feed can slice.
  for (let i = 0; i < host.trace.length; i++) { b.store.append(host.trace.kind(i), host.trace.proc(i), host.trace.value(i), host.trace.t(i), host.trace.dur(i), host.trace.aux(i)); }
  const page = new RunData({
    runId: host.runId, label: 'fixture', seed: 1, startedAt: 0, config: host.config as never,
    processes: host.lanes.map((l) => ({ proc: l.proc, name: l.name, role: l.role as 'shouter' | 'hearer' })),
  }, 0, false);
  assert.ok(page.append(sliceEvents(b.store, 0, b.store.length)));
  page.addLines(0, ['Shout: 1', 'Shout: 2', 'Shout: 3', 'Hear: 1', 'Hear: 2', 'Hear: 3', 'Shout: 4', 'Hear: 4']);
  return { page, host };
}

test('the page\'s run gives the same states and the same story as the host\'s', () => {
  const { page, host } = pageRun();
  const pageStates = statesOf(page);
  const hostStates = indexStates(host);
  assert.equal(pageStates.endMs, hostStates.endMs);
  const times = [...new Set(eventsInTimeOrder(host.trace).flatMap((e) => [e.t, e.t + e.dur]))].sort((a, b) => a - b).map((t) => t / 1e6);
  for (const t of [0, ...times, (times[3] + times[4]) / 2, 50]) {
    assert.deepEqual(pageStates.at(t), hostStates.at(t), `at ${t} ms`);
  }
  assert.deepEqual(narrationOf(page).sentences, explainRun(host).sentences);
  assert.equal(learnRunOfPage(page).trace.length, host.trace.length);
  assert.equal(statesOf(page), pageStates, 'cached while the run does not change');
});

test('event order: the page\'s copy keeps every event in order, each step one unit, idle stretches one gap', () => {
  const { page } = pageRun();
  const copy = orderCopyOf(page);
  const axis = orderAxisOf(page);
  assert.equal(copy.length, page.length);
  assert.deepEqual([...copy.kind.subarray(0, copy.length)], [...page.kind.subarray(0, page.length)], 'same events, same indices');
  for (let e = 0; e < page.length; e++) {
    assert.equal(copy.t[e], axis.toUnits(page.t[e]) * UNIT_NS);
    for (let f = 0; f < page.length; f++) {
      if (page.t[e] < page.t[f]) { assert.ok(copy.t[e] < copy.t[f], `order of ${e} and ${f} kept`); }
    }
  }
  // The nap (100 ms) and the hearer's second wait collapse into gaps; every other step is one unit.
  assert.ok(axis.gaps.length >= 1);
  for (const g of axis.gaps) { assert.ok(g.durNs > 1e6); assert.equal(g.toUnit - g.fromUnit, 1.5); }
  const gapEnds = new Set(axis.gaps.map((g) => g.toNs));
  for (let k = 1; k < axis.knotsNs.length; k++) {
    if (!gapEnds.has(axis.knotsNs[k])) { assert.equal(axis.knotsUnits[k] - axis.knotsUnits[k - 1], 1); }
  }
  const s = { axisMode: 'order' } as TimelineState;
  for (const t of axis.knotsNs) { assert.ok(Math.abs(toReal(s, page, toDrawn(s, page, t)) - t) < 1e-3, `round trip at ${t}`); }
  const real = { axisMode: 'time' } as TimelineState;
  assert.equal(toDrawn(real, page, 1234), 1234);
  assert.equal(orderCopyOf(page), copy, 'cached while the run does not change');
});
