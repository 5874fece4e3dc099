// Issue 11: the two untrusted inputs fuzzed (bounded time) — messages from the webview pages, and
// (in hostileTraceFiles.test.ts) trace files — plus the timeline feed's backpressure: it waits
// for the page's acknowledgement instead of queueing batches without end.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../../src/shared/config';
import { EventKind } from '../../src/protocol/events';
import { parseExploreMessage } from '../../src/protocol/explore';
import { parseTimelineMessage, type HostToTimeline } from '../../src/protocol/timeline';
import { exportChromeTrace } from '../../src/trace/chromeTrace';
import { TraceImportError, importChromeTrace } from '../../src/trace/traceImport';
import { TraceStore } from '../../src/trace/traceStore';
import { EVENT_BATCH, MAX_UNACKNOWLEDGED_EVENTS, SlotFeed } from '../../src/views/timeline/feed';
import { PageMessages } from '../../src/views/pageMessages';
import { syntheticSource } from '../../src/views/timeline/source';

const VALID_TIMELINE: unknown[] = [
  { type: 'ready', runId: null, compareRunId: null },
  { type: 'select', slot: 'main', runId: 'run-1' },
  { type: 'grant', runId: 'run-1', name: 'hearer 2' },
  { type: 'received', slot: 'compare', runId: 'run-1', events: 262144 },
  { type: 'log', level: 'warn', message: 'hello' },
];
const VALID_EXPLORE: unknown[] = [{ type: 'ready' }, { type: 'tab', tab: 'sweep' }, { type: 'openRun', runId: 'run-2' }, { type: 'exportCsv' }];

/** Any JSON-like value, and valid messages with one field replaced by anything (the likelier attack). */
const anyValue = fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true });
function mutated(valid: unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...valid), fc.string({ maxLength: 12 }), anyValue, fc.boolean()).map(([m, key, value, useExisting]) => {
    const o = { ...(m as Record<string, unknown>) };
    const keys = Object.keys(o);
    o[useExisting ? keys[key.length % keys.length] : key] = value;
    return o;
  });
}

for (const [page, parse, valid] of [['timeline', parseTimelineMessage, VALID_TIMELINE], ['explore', parseExploreMessage, VALID_EXPLORE]] as const) {
  test(`fuzz: ${page} page → host messages are accepted whole or rejected with a logged reason, never a throw`, () => {
    for (const m of valid) { assert.notEqual((parse as (x: unknown) => unknown)(m), undefined, JSON.stringify(m)); }
    const warnings: string[] = [];
    const log = { warn: (s: string) => warnings.push(s) } as never;
    const gate = new PageMessages<unknown, unknown>(page, parse, log);
    fc.assert(fc.property(fc.oneof(anyValue, mutated(valid)), (raw) => {
      const before = warnings.length;
      const out = gate.check(raw) as Record<string, unknown> | undefined;
      if (out === undefined) {
        assert.equal(warnings.length, before + 1, 'a rejection is logged');
        assert.match(warnings[warnings.length - 1], new RegExp(`from the ${page} webview that is not on the allow-list`));
        return;
      }
      // Accepted: rebuilt from checked fields only, plain data, of a known type.
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
      assert.ok(typeof out.type === 'string');
      assert.doesNotThrow(() => JSON.stringify(out));
    }), { numRuns: 3000 });
  });
}

test('fuzz: trace file text (any string, any JSON, a real export cut anywhere) only ever gives a TraceImportError', () => {
  const trace = new TraceStore();
  trace.append(EventKind.Put, 0, 1, 5, 0, 0);
  trace.append(EventKind.Get, 1, 1, 6, 0, 0);
  const real = exportChromeTrace({ id: 'run-1', config: defaultConfig(), seed: 1, processes: [{ proc: 0, role: 'shouter', name: 's', pid: 1 }, { proc: 1, role: 'hearer', name: 'h', pid: 2 }], trace, lines: ['x'], summary: null });
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    fc.nat({ max: real.length }).map((n) => real.slice(0, n)),
    fc.tuple(fc.nat({ max: real.length - 1 }), fc.string({ minLength: 1, maxLength: 4 })).map(([at, s]) => real.slice(0, at) + s + real.slice(at + 1)),
    anyValue.map((v) => { try { return JSON.stringify({ shoutHear: v }); } catch { return '{}'; } }),
  );
  fc.assert(fc.property(text, (t) => {
    try { importChromeTrace(t); } catch (err) {
      assert.ok(err instanceof TraceImportError, `not a TraceImportError: ${String(err)}`);
      assert.ok(err.message.length > 10);
    }
  }), { numRuns: 2000 });
});

test('the timeline feed waits for the page to acknowledge batches (backpressure)', async () => {
  const source = syntheticSource({ processNames: ['shouter', 'hearer'], lines: [], messages: 1 });
  const total = 5 * EVENT_BATCH;
  for (let i = source.trace.length; i < total; i++) { source.trace.append(EventKind.Nap, 0, 1, i, 0); }
  const posted: HostToTimeline[] = [];
  const feed = new SlotFeed((m) => { posted.push(m); }, 'main', { source, label: '#1' });
  const batches = () => posted.filter((m) => m.type === 'events').length;
  feed.start();
  for (let i = 0; i < 20; i++) { await new Promise((r) => setImmediate(r)); }
  assert.equal(batches(), MAX_UNACKNOWLEDGED_EVENTS / EVENT_BATCH, 'only as many batches as may be unacknowledged');
  for (let acked = 1; batches() < 5; acked++) {
    feed.received(acked * EVENT_BATCH);
    for (let i = 0; i < 5; i++) { await new Promise((r) => setImmediate(r)); }
    assert.ok(acked <= 5, 'every acknowledgement lets one more batch go');
  }
  assert.ok(feed.maxInFlight <= MAX_UNACKNOWLEDGED_EVENTS, `at most ${feed.maxInFlight} events were ever unacknowledged`);
  feed.dispose();
});
