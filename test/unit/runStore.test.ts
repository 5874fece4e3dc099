// The one run store: newest first, a count limit, a memory budget (traces and transcripts) (oldest evicted first,
// never the newest), and a change event that says what was added, ended and dropped (and why).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Run } from '../../src/engine/run';
import { RunStore, type RunStoreChange } from '../../src/host/runStore';
import type { RunSummary } from '../../src/protocol/run';
import { syntheticSource } from '../../src/views/timeline/source';

const made = () => syntheticSource({ processNames: ['a', 'b'], lines: ['x'] });

test('keeps the newest runs first, drops the oldest past the count, and says so', () => {
  const store = new RunStore(3, Number.MAX_SAFE_INTEGER);
  const changes: RunStoreChange[] = [];
  store.onDidChange((c) => changes.push(c));
  const ids = [1, 2, 3, 4, 5].map(() => store.add(made()).source.id);
  assert.deepEqual(store.ids(), [ids[4], ids[3], ids[2]]);
  assert.equal(store.dropped, 2);
  const dropped = changes.flatMap((c) => c.dropped.map((d) => [d.run.source.id, d.reason]));
  assert.deepEqual(dropped, [[ids[0], 'count'], [ids[1], 'count']]);
  assert.deepEqual(changes.filter((c) => c.added).map((c) => c.added!.source.id), ids);
  assert.equal(store.newest?.source.id, ids[4]);
  assert.equal(store.get(ids[0]), undefined);
});

test('evicts the oldest runs while traces and transcripts hold more than the budget, never the newest', () => {
  const sample = made();
  const one = sample.trace.byteSize + sample.transcript.byteLength;
  assert.ok(one > 0);
  const store = new RunStore(20, 2.5 * one);
  const dropped: [string, string][] = [];
  store.onDidChange((c) => { for (const d of c.dropped) { dropped.push([d.run.source.id, d.reason]); } });
  const ids = [1, 2, 3, 4].map(() => store.add(made()).source.id);
  assert.deepEqual(store.ids(), [ids[3], ids[2]]);
  assert.ok(store.keptBytes() <= 2.5 * one);
  assert.deepEqual(dropped, [[ids[0], 'budget'], [ids[1], 'budget']]);

  const tiny = new RunStore(20, 1);
  const only = tiny.add(made()).source.id;
  assert.deepEqual(tiny.ids(), [only], 'a run bigger than the budget on its own is still kept while it is the newest');
  const next = tiny.add(made()).source.id;
  assert.deepEqual(tiny.ids(), [next]);
});

test('a real run is listed with the runs, and its summary once its owner says it ended', () => {
  const store = new RunStore();
  const source = made();
  const run = { id: source.id } as unknown as Run;
  const ended: string[] = [];
  store.onDidChange((c) => { if (c.ended) { ended.push(c.ended.source.id); } });
  store.add(source, run);
  store.add(made());
  assert.deepEqual(store.runs(), [run]);
  assert.equal(store.findRun(source.id), run);
  assert.deepEqual(store.summaries(), []);
  const summary = { runId: source.id } as RunSummary;
  store.ended(source.id, summary);
  assert.deepEqual(store.summaries(), [summary]);
  assert.ok(ended.includes(source.id));
  store.ended('run-not-kept', summary);
  assert.deepEqual(store.summaries(), [summary], 'an unknown run changes nothing');
});
