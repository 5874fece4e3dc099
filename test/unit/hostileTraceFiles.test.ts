// Issue 11: hostile trace files. Every column is checked against the run's own config on import,
// and the timeline page allocates by the number of events, never by the size of a number in them.
// A property test makes hostile files: each is rejected with a clear message, or shown within a
// memory budget proportional to the file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultConfig } from '../../src/shared/config';
import { EventKind, SCHEDULER_PROC, SENTINEL } from '../../src/protocol/events';
import type { ProcessInfo, RunConfig } from '../../src/protocol/run';
import { exportChromeTrace } from '../../src/trace/chromeTrace';
import { TraceImportError, importChromeTrace } from '../../src/trace/traceImport';
import { TraceStore } from '../../src/trace/traceStore';
import { sliceEvents } from '../../src/views/timeline/feed';
import { RunData as TimelineRun } from '../../src/webview/timeline/model';

const PROCS: ProcessInfo[] = [
  { proc: 0, role: 'shouter', name: 'shouter 1', pid: 10 }, { proc: 1, role: 'shouter', name: 'shouter 2', pid: 11 },
  { proc: 2, role: 'hearer', name: 'hearer', pid: 12 }, { proc: 3, role: 'queue', name: 'queue', pid: 13 },
];

function smallRun(config: RunConfig, messages = 3): TraceStore {
  const s = new TraceStore();
  s.append(EventKind.Start, 0, 10, 1);
  s.append(EventKind.Grant, SCHEDULER_PROC, 0, 2, 0, 0);
  for (let i = 1; i <= Math.min(messages, config.messageCount); i++) {
    s.append(EventKind.Print, 0, i, i * 100, 10, 0);
    s.append(EventKind.Put, 0, i, i * 100 + 20, 0, 0);
    s.append(EventKind.Get, 2, i, i * 100 + 30, 0, 0);
  }
  s.append(EventKind.Put, 0, SENTINEL, 1000, 0, 0);
  s.append(EventKind.Get, 2, SENTINEL, 1001, 0, 0);
  return s;
}

function fileOf(config: RunConfig, trace: TraceStore): string {
  return exportChromeTrace({ id: 'run-hostile-1', config, seed: 1, processes: PROCS, trace, lines: ['Shout[1]: 1'], summary: null });
}

/** The file with one column's value of one event replaced. */
function withColumn(text: string, column: string, width: number, index: number, write: (b: Buffer, at: number) => void): string {
  const root = JSON.parse(text);
  const b = Buffer.from(root.shoutHear.events[column], 'base64');
  write(b, index * width);
  root.shoutHear.events[column] = b.toString('base64');
  return JSON.stringify(root);
}

/** What the timeline page would hold for this run. */
function pageBytes(run: ReturnType<typeof importChromeTrace>): number {
  const model = new TimelineRun({ runId: run.runId, label: 'x', seed: run.seed, config: run.config, processes: run.processes, startedAt: 0 }, run.trace.length, false);
  model.append(sliceEvents(run.trace, 0, run.trace.length));
  return model.byteSize;
}

const BIG: RunConfig = { ...defaultConfig(), messageCount: 10_000, shouters: 2 };

test('the reported files: one put with aux 2047 or value 5e7 is refused, naming the column and the bound', () => {
  const text = fileOf(BIG, smallRun(BIG, 1));
  const putAt = 3; // Start, Grant, Print, Put
  assert.ok(text.length < 4096, `the file is small (${text.length} characters)`);
  assert.throws(() => importChromeTrace(withColumn(text, 'aux', 4, putAt, (b, at) => b.writeUInt32LE(2047, at))),
    (e: TraceImportError) => e instanceof TraceImportError && /events\.aux\[3\] \(a put event\) is 2047, but a put's shouter must be 0 to 1/.test(e.message));
  assert.throws(() => importChromeTrace(withColumn(text, 'value', 4, putAt, (b, at) => b.writeInt32LE(5e7, at))),
    (e: TraceImportError) => e instanceof TraceImportError && /events\.value\[3\] \(a put event\) is 50000000, but a put's message must be 1 to 10000/.test(e.message));
  assert.throws(() => importChromeTrace(withColumn(text, 't', 8, 0, (b, at) => b.writeDoubleLE(-5, at))), /events\.t\[0\]/);
  assert.throws(() => importChromeTrace(withColumn(text, 'aux', 4, 1, (b, at) => b.writeUInt32LE(9, at))), /a grant must name a lane/);
});

test('the page allocates by events, not by the numbers in them (defence behind the import)', () => {
  const config: RunConfig = { ...defaultConfig(), messageCount: 1_000_000, shouters: 8 };
  const trace = new TraceStore();
  trace.append(EventKind.Put, 0, 50_000_000, 1, 0, 2047);
  trace.append(EventKind.Get, 2, 2 ** 31 - 1, 2, 0, 7);
  trace.append(EventKind.Print, 0, 999_999, 3, 1, 0);
  const model = new TimelineRun({ runId: 'r', label: 'x', seed: 1, config, processes: PROCS, startedAt: 0 }, 3, false);
  model.append(sliceEvents(trace, 0, 3));
  assert.ok(model.byteSize < 1_000_000, `the page holds ${model.byteSize} bytes for 3 events`);
});

const HOSTILE_NUMBERS = [0, 1, -1, -2, 2047, 65_535, 5e7, 2 ** 31 - 1, -(2 ** 31), 1e300, -1e300, NaN, Infinity, -Infinity, 3.5, 1e-300];
const COLUMNS: [string, number, (b: Buffer, at: number, x: number) => void][] = [
  ['t', 8, (b, at, x) => b.writeDoubleLE(x, at)],
  ['dur', 4, (b, at, x) => b.writeFloatLE(x, at)],
  ['value', 4, (b, at, x) => b.writeInt32LE(Math.trunc(Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Number.isFinite(x) ? x : 0))), at)],
  ['aux', 4, (b, at, x) => b.writeUInt32LE(Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) % 2 ** 32, at)],
  ['kind', 1, (b, at, x) => { b[at] = Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) & 0xff; }],
  ['flags', 1, (b, at, x) => { b[at] = Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) & 0xff; }],
  ['proc', 2, (b, at, x) => b.writeUInt16LE(Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) & 0xffff, at)],
  ['obj', 2, (b, at, x) => b.writeUInt16LE(Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) & 0xffff, at)],
  ['site', 2, (b, at, x) => b.writeUInt16LE(Math.abs(Math.trunc(Number.isFinite(x) ? x : 0)) & 0xffff, at)],
];

test('property: a hostile trace file is refused with a clear message, or shown in memory proportional to it', () => {
  const edit = fc.record({
    column: fc.integer({ min: 0, max: COLUMNS.length - 1 }),
    index: fc.nat(),
    number: fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double()),
  });
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 20 }), fc.array(edit, { minLength: 1, maxLength: 6 }),
    (messageCount, shouters, messages, edits) => {
      const config: RunConfig = { ...defaultConfig(), messageCount, shouters };
      const trace = smallRun(config, messages);
      let text = fileOf(config, trace);
      for (const e of edits) {
        const [name, width, write] = COLUMNS[e.column];
        text = withColumn(text, name, width, e.index % trace.length, (b, at) => write(b, at, e.number));
      }
      let run: ReturnType<typeof importChromeTrace>;
      try {
        run = importChromeTrace(text);
      } catch (err) {
        assert.ok(err instanceof TraceImportError, `only TraceImportError, not ${String(err)}`);
        assert.match(err.message, /^This trace file is damaged or was changed by hand: shoutHear\.events\.\w+\[\d+\] \(a [\w ]+ event\) .+\.$/);
        return;
      }
      const bytes = pageBytes(run);
      const budget = 2_000_000 + 200 * text.length;
      assert.ok(bytes <= budget, `the page holds ${bytes} bytes for a ${text.length}-character file`);
    },
  ), { numRuns: 300 });
});
