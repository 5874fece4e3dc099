// The Explore panel's stored state (read back after a window reload) and the native-Windows
// message: what is stored comes back the same; anything else is refused whole.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ExploreBatchView, ExploreStats, ExploreSweepView } from '../../src/protocol/explore';
import { EXPLORE_SAVED_MAX_CHARS, parseSavedExplore, savedExplore, serializeSavedExplore } from '../../src/views/explore/savedState';
import { unsupportedPlatformMessage } from '../../src/shared/platformSupport';

const batch: ExploreBatchView = {
  runs: 3, requested: 3, running: false, cancelled: false, notOk: 0, distinct: 2, possible: '2', observed: '2 of 2 possible orderings seen',
  settings: '2 messages', orderings: [
    { count: 2, runIds: ['run-a', 'run-b'], lines: ['Shout: 1', 'Hear: 1'], truncated: 0, short: 'S1 H1' },
    { count: 1, runIds: ['run-c'], lines: ['Shout: 1', 'Hear: 1'], truncated: 0, short: 'S1 H1' },
  ],
};
const stats = (n: number): ExploreStats => ({ n, mean: 1, stddev: n > 1 ? 0.5 : NaN, min: 0.5, max: 1.5, median: 1, p10: 0.6, p90: 1.4 });
const sweep: ExploreSweepView = {
  probabilities: [0, 1], runsEach: 1, runs: 2, running: true, cancelled: false, settings: '2 messages',
  groups: [0, 1].map((p) => ({ napProbability: p, runs: 1, runIds: [`run-${p}`], durationMs: stats(1), lockWaitMs: stats(1), maxQueueDepth: stats(1), putGetLatencyMs: stats(1), distinctOrderings: 1 })),
};

test('a stored batch and sweep come back the same; NaN survives; a running sweep comes back ended', () => {
  const text = serializeSavedExplore(savedExplore('sweep', batch, sweep))!;
  const back = parseSavedExplore(text)!;
  assert.equal(back.tab, 'sweep');
  assert.deepEqual(back.batch, batch);
  assert.equal(back.sweep!.running, false);
  assert.match(back.sweep!.interruption!, /reloaded/);
  assert.ok(Number.isNaN(back.sweep!.groups[0].durationMs.stddev));
  assert.deepEqual({ ...back.sweep!, running: true, interruption: undefined }, { ...sweep, interruption: undefined });
  assert.deepEqual(parseSavedExplore(serializeSavedExplore(savedExplore('batch', null, null))), { version: 1, tab: 'batch', batch: null, sweep: null });
});

test('anything else is refused whole', () => {
  const good = JSON.parse(serializeSavedExplore(savedExplore('batch', batch, null))!);
  const bad: unknown[] = [
    undefined, 42, '', 'not json', '[]', JSON.stringify({ ...good, version: 2 }), JSON.stringify({ ...good, tab: 'other' }),
    JSON.stringify({ ...good, batch: { ...batch, runs: -1 } }),
    JSON.stringify({ ...good, batch: { ...batch, orderings: [{ ...batch.orderings[0], lines: [1, 2] }] } }),
    JSON.stringify({ ...good, batch: { ...batch, orderings: new Array(501).fill(batch.orderings[0]) } }),
    JSON.stringify({ ...good, sweep: { ...sweep, groups: [{ ...sweep.groups[0], durationMs: { n: 1 } }] } }),
    JSON.stringify({ ...good, sweep: 'x' }),
    ' '.repeat(EXPLORE_SAVED_MAX_CHARS + 1),
  ];
  for (const raw of bad) { assert.equal(parseSavedExplore(raw), undefined, String(raw).slice(0, 80)); }
});

test('native Windows is refused with a message naming the route (WSL, Dev Containers, Codespaces, Remote SSH)', () => {
  assert.equal(unsupportedPlatformMessage('linux', 'extension'), undefined);
  assert.equal(unsupportedPlatformMessage('darwin', 'cli'), undefined);
  const m = unsupportedPlatformMessage('win32', 'extension')!;
  for (const word of ['Windows', 'WSL', 'Dev Container', 'Codespace', 'Remote SSH', 'Remote and Windows']) { assert.ok(m.includes(word), word); }
  assert.match(unsupportedPlatformMessage('win32', 'cli')!, /WSL/);
});
