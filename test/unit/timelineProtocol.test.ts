// Messages from the timeline webview: only allow-listed types and shapes get through.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTimelineMessage, type TimelineRendered } from '../../src/protocol/timeline';
import { EventKind } from '../../src/protocol/events';
import { TraceStore } from '../../src/trace/traceStore';
import { sliceEvents } from '../../src/views/timeline/feed';
import { RunData } from '../../src/webview/timeline/model';

const report: TimelineRendered = {
  token: 1, runId: 'run-abc-1', compareRunId: null, lanes: ['shouter', 'hearer'], events: 10, kinds: { put: 2 }, lines: 4,
  laneLabels: ['shouter', 'hearer'], transcriptSample: ['Shout: 1'], foreignElements: 0, viewport: { t0: 0, t1: 1, following: true },
  waiting: ['hearer'], grantButtons: ['hearer'], overlappingLines: 0, align: 'first', holderSpans: [[0, 1, 2]],
  learn: {
    axisMode: 'order',
    playhead: { tMs: 1.5, processes: [{ name: 'shouter', state: 'napping', line: 20 }, { name: 'hearer', state: 'exited', line: null }], queue: ['3', 'done'], printed: 2, transcriptLines: 2 },
    eventOrder: { steps: 12, minStepPx: 8, maxStepPx: 8, gaps: [{ realMs: 98.5, widthPx: 12, label: '98.5 ms idle' }] },
    narration: { open: true, sentences: 9, selected: { index: 2, fromMs: 0.5, toMs: 3, events: 4, transcriptLines: [0, 1] } },
  },
  page: { width: 900, height: 700, plotHeight: 300 },
};

test('allow-listed messages pass, rebuilt from their checked fields', () => {
  assert.deepEqual(parseTimelineMessage({ type: 'ready', runId: null, compareRunId: null }), { type: 'ready', runId: null, compareRunId: null });
  assert.deepEqual(parseTimelineMessage({ type: 'ready' }), { type: 'ready', runId: null, compareRunId: null });
  assert.deepEqual(parseTimelineMessage({ type: 'select', slot: 'compare', runId: 'run-x-2' }), { type: 'select', slot: 'compare', runId: 'run-x-2' });
  assert.deepEqual(parseTimelineMessage({ type: 'log', level: 'warn', message: 'hi' }), { type: 'log', level: 'warn', message: 'hi' });
  assert.deepEqual(parseTimelineMessage({ type: 'rendered', report }), { type: 'rendered', report });
  assert.deepEqual(parseTimelineMessage({ type: 'grant', runId: 'run-x-2', name: 'hearer 2' }), { type: 'grant', runId: 'run-x-2', name: 'hearer 2' });
});

test('a grant names a run and a plain process name, nothing else', () => {
  const bad: unknown[] = [
    { type: 'grant', runId: 'run-x-2' }, { type: 'grant', runId: null, name: 'shouter' }, { type: 'grant', runId: 'run-x-2', name: 5 },
    { type: 'grant', runId: 'run-x-2', name: '<img src=x onerror=alert(1)>' }, { type: 'grant', runId: 'run-x-2', name: 'x'.repeat(65) },
    { type: 'grant', runId: 'run-x-2', name: 'shouter', extra: 1 }, { type: 'grant', runId: '../../etc', name: 'shouter' },
    { type: 'grant', runId: 'run-x-2', name: '' },
  ];
  for (const m of bad) { assert.equal(parseTimelineMessage(m), undefined, JSON.stringify(m)); }
  assert.equal(parseTimelineMessage({ type: 'rendered', report: { ...report, waiting: 'hearer' } }), undefined);
  assert.equal(parseTimelineMessage({ type: 'rendered', report: { ...report, align: 'middle' } }), undefined);
});

test('anything else is rejected', () => {
  const bad: unknown[] = [
    null, undefined, 'ready', 42, [], { type: 'eval', code: '1' }, { type: 'ready', runId: 5 },
    { type: 'ready', runId: '<img src=x onerror=alert(1)>' }, { type: 'select', slot: 'main' }, { type: 'select', slot: 'x', runId: null },
    { type: 'select', slot: 'main', runId: null, extra: 1 }, { type: 'log', level: 'debug', message: 'x' },
    { type: 'log', level: 'info', message: 'x'.repeat(5000) }, { type: 'rendered', report: { ...report, token: 'x' } },
    { type: 'rendered', report: { ...report, viewport: { t0: 0, t1: NaN, following: true } } },
    { type: 'rendered', report: { ...report, lanes: [1] } }, { type: 'rendered', report: { ...report, extra: true } },
    { type: 'rendered', report: { ...report, kinds: { put: 'many' } } },
  ];
  for (const m of bad) { assert.equal(parseTimelineMessage(m), undefined, JSON.stringify(m)); }
});

test('random objects never get through unless they are well formed', () => {
  // What gets through is rebuilt (a new object, never the page's own) and parses again to itself.
  const id = fc.option(fc.constantFrom('run-1', 'run-2.b:c', '<img>', '', 'x'.repeat(300)));
  const nearlyValid = fc.oneof(
    fc.record({ type: fc.constant('ready'), runId: id, compareRunId: id }),
    fc.record({ type: fc.constant('select'), slot: fc.constantFrom('main', 'compare', 'side'), runId: id }),
    fc.record({ type: fc.constant('grant'), runId: id, name: fc.constantFrom('shouter', 'hearer 2', 'a\nb', '') }),
    fc.record({ type: fc.constant('log'), level: fc.constantFrom('info', 'warn', 'error', 'debug'), message: fc.string({ maxLength: 8 }) }),
  );
  let through = 0;
  fc.assert(fc.property(fc.oneof(fc.anything(), nearlyValid), (m) => {
    const parsed = parseTimelineMessage(m);
    if (parsed === undefined) { return; }
    through++;
    assert.notEqual(parsed, m);
    assert.deepEqual(parseTimelineMessage(JSON.parse(JSON.stringify(parsed))), parsed);
  }), { numRuns: 500 });
  assert.ok(through > 0, 'some generated messages are well formed');
  fc.assert(fc.property(fc.record({ type: fc.string(), runId: fc.string() }), (m) => {
    if (!['ready', 'select', 'log', 'rendered'].includes(m.type)) { assert.equal(parseTimelineMessage(m), undefined); }
  }));
});

test('sliceEvents copies any range across chunks, and the webview model indexes it', () => {
  const store = new TraceStore();
  const n = 70_000; // more than one chunk
  for (let i = 0; i < n; i++) { store.append(i % 2 ? EventKind.Put : EventKind.Print, i % 3 === 0 ? 1 : 0, i + 1, i * 10, i % 2 ? 0 : 5, 0); }
  const a = sliceEvents(store, 65_000, 66_000);
  assert.equal(a.t.length, 1000);
  assert.equal(a.t[0], 650_000);
  assert.equal(a.value[999], 66_000);
  const run = new RunData({
    runId: 'r', label: 'r', seed: 1, startedAt: 0, processes: [{ proc: 0, role: 'shouter', name: 's' }, { proc: 1, role: 'hearer', name: 'h' }],
    config: { messageCount: n, napProbability: 0, napMs: 0, seed: 1, useLock: true, runTimeoutSeconds: 1 } as never,
  }, 0, false);
  for (let from = 0; from < n; from += 30_000) { assert.ok(run.append(sliceEvents(store, from, Math.min(n, from + 30_000)))); }
  assert.equal(run.append(sliceEvents(store, 5, 10)), false, 'a batch that does not follow is refused');
  assert.equal(run.length, n);
  assert.equal(run.lanes.get(0)!.idx.n + run.lanes.get(1)!.idx.n, n);
  assert.equal(run.kindCountsByName().put, n / 2);
  assert.equal(run.end, (n - 1) * 10, 'the last event (a put, which has no duration) ends the run');
  // Trace format v2 columns are 28 bytes an event, plus the lanes' indices and growth room.
  assert.ok(run.byteSize / n < 80, `${run.byteSize / n} bytes per event`);
});

test('Learn messages from the page: the playhead and a revealed event, checked whole', () => {
  assert.deepEqual(parseTimelineMessage({ type: 'playhead', runId: 'run-x-2', tMs: 12.5 }), { type: 'playhead', runId: 'run-x-2', tMs: 12.5 });
  assert.deepEqual(parseTimelineMessage({ type: 'revealEvent', runId: 'run-x-2', tMs: 0, name: 'hearer 2' }), { type: 'revealEvent', runId: 'run-x-2', tMs: 0, name: 'hearer 2' });
  const bad: unknown[] = [
    { type: 'playhead', runId: 'run-x-2' }, { type: 'playhead', runId: 'run-x-2', tMs: -1 }, { type: 'playhead', runId: 'run-x-2', tMs: Infinity },
    { type: 'playhead', runId: 'run-x-2', tMs: '3' }, { type: 'playhead', runId: '../x', tMs: 3 }, { type: 'playhead', runId: 'run-x-2', tMs: 3, line: 4 },
    { type: 'revealEvent', runId: 'run-x-2', tMs: 1, name: '<script>' }, { type: 'revealEvent', runId: 'run-x-2', tMs: 1 },
    { type: 'revealEvent', runId: null, tMs: 1, name: 'shouter' }, { type: 'step', direction: 1 }, { type: 'axisMode', mode: 'order' },
  ];
  for (const m of bad) { assert.equal(parseTimelineMessage(m), undefined, JSON.stringify(m)); }
  const learn = report.learn;
  const broken: unknown[] = [
    undefined, { ...learn, axisMode: 'log' }, { ...learn, extra: 1 }, { ...learn, playhead: { ...learn.playhead, queue: [5] } },
    { ...learn, playhead: { ...learn.playhead!, processes: [{ name: 'x', state: 'y', line: 'z' }] } },
    { ...learn, eventOrder: { ...learn.eventOrder!, gaps: [{ realMs: 1, widthPx: 2 }] } },
    { ...learn, narration: { open: 'yes', sentences: 1, selected: null } }, { ...learn, narration: { ...learn.narration, selected: { index: 1 } } },
  ];
  for (const l of broken) { assert.equal(parseTimelineMessage({ type: 'rendered', report: { ...report, learn: l } }), undefined, JSON.stringify(l)); }
  const none = { ...learn, axisMode: 'time', playhead: null, eventOrder: null, narration: { open: false, sentences: 0, selected: null } };
  assert.deepEqual(parseTimelineMessage({ type: 'rendered', report: { ...report, learn: none } }), { type: 'rendered', report: { ...report, learn: none } });
});
