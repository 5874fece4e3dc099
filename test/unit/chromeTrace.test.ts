import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { defaultConfig } from '../../src/shared/config';
import { EVENT_KIND_NAMES, EventKind, SCHEDULER_PROC, SENTINEL } from '../../src/protocol/events';
import type { ProcessInfo, RunSummary } from '../../src/protocol/run';
import { HOST_TID, chromeTracePieces, exportChromeTrace, type ExportableRun } from '../../src/trace/chromeTrace';
import { TraceImportError, importChromeTrace } from '../../src/trace/traceImport';
import { TraceStore } from '../../src/trace/traceStore';

const processes: ProcessInfo[] = [
  { proc: 0, role: 'shouter', name: 'shouter', pid: 4242 },
  { proc: 1, role: 'hearer', name: 'hearer', pid: undefined },
];

function sampleRun(): ExportableRun {
  const trace = new TraceStore();
  trace.append(EventKind.Start, 0, 4242, 0);
  trace.append(EventKind.Start, 1, 4243, 10);
  trace.append(EventKind.LockWait, 0, 1, 100, 50);
  trace.append(EventKind.Grant, SCHEDULER_PROC, 0, 140, 0, 0);
  trace.append(EventKind.Print, 0, 1, 150, 1234.5, 0);
  trace.append(EventKind.Put, 0, 1, 2_000, 0, 0);
  trace.append(EventKind.Put, 0, 2, 2_500, 0, 0);
  trace.append(EventKind.GetWait, 1, 0, 20, 1_980);
  trace.append(EventKind.Get, 1, 1, 3_000, 0, 0);
  trace.append(EventKind.Print, 1, 1, 3_100, 400, 0);
  trace.append(EventKind.Nap, 0, 2, 2_600, 100_000_000);
  trace.append(EventKind.Get, 1, 2, 4_000, 0, 0);
  trace.append(EventKind.Put, 0, SENTINEL, 5_000, 0, 0);
  trace.append(EventKind.Get, 1, SENTINEL, 5_100, 0, 0);
  trace.append(EventKind.Exit, 0, 0, 6_000);
  trace.append(EventKind.Exit, 1, 0, 6_100);
  const config = { ...defaultConfig(), messageCount: 2, seed: 7 };
  const summary = {
    runId: 'run-abc-1', engine: 'node', ok: true, stopped: false, timedOut: false, seed: 7, config,
    durationMs: 12.5, naps: 1, lines: ['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 2'], lineCount: 4,
    pids: { shouter: 4242, hearer: 4243 }, allPids: [4242, 4243], processes, exactlyOnceInOrder: true,
    invariant: 'every message put was got exactly once, in order (2 of 2)', puts: 2, gets: 2, maxQueueDepth: 2,
    lockWaits: { count: 1, totalMs: 0.00005 }, events: trace.length,
  } as unknown as RunSummary;
  return { id: 'run-abc-1', config, seed: 7, processes, trace, lines: ['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 2'], summary };
}

function columns(s: TraceStore) {
  const out = { t: [] as number[], dur: [] as number[], value: [] as number[], aux: [] as number[], kind: [] as number[], proc: [] as number[] };
  s.scan((kind, proc, value, t, dur, aux) => { out.kind.push(kind); out.proc.push(proc); out.value.push(value); out.t.push(t); out.dur.push(dur); out.aux.push(aux); });
  return out;
}

/** Same events, t and dur compared bit for bit (Object.is tells -0 from 0). */
function assertSameStore(a: TraceStore, b: TraceStore): void {
  assert.equal(b.length, a.length);
  const x = columns(a);
  const y = columns(b);
  for (const k of ['kind', 'proc', 'value', 'aux'] as const) { assert.deepEqual(y[k], x[k], k); }
  for (let i = 0; i < x.t.length; i++) {
    assert.ok(Object.is(x.t[i], y.t[i]), `t[${i}]: ${x.t[i]} vs ${y.t[i]}`);
    assert.ok(Object.is(x.dur[i], y.dur[i]), `dur[${i}]: ${x.dur[i]} vs ${y.dur[i]}`);
  }
}

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

test('round trip: the same run id, config, seed, processes, summary, lines and every event', () => {
  const run = sampleRun();
  const back = importChromeTrace(exportChromeTrace(run));
  assert.equal(back.runId, run.id);
  assert.deepEqual(back.config, run.config);
  assert.equal(back.seed, 7);
  assert.deepEqual(back.processes, run.processes);
  assert.deepEqual(back.summary, json(run.summary));
  assert.deepEqual(back.lines, run.lines);
  assertSameStore(run.trace, back.trace);
  // The pieces join to the same text.
  assert.equal([...chromeTracePieces(run)].join(''), exportChromeTrace(run));
});

test('round trip (property): random traces come back bit-exact', () => {
  const lanes = [0, 1, 2, SCHEDULER_PROC];
  const event = fc.record({
    kind: fc.integer({ min: 0, max: EVENT_KIND_NAMES.length - 1 }),
    proc: fc.constantFrom(...lanes),
    value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    aux: fc.integer({ min: 0, max: 0xffff }),
    t: fc.double({ min: 0, max: 5e11, noNaN: true }),
    dur: fc.double({ min: 0, max: 1e11, noNaN: true }),
  });
  // Made to fit the run (the import checks every column against its config): 50 messages, 2 shouters.
  const M = 50;
  const fit = (e: { kind: number; proc: number; value: number; aux: number; t: number; dur: number }) => {
    const queue = e.kind === EventKind.Put || e.kind === EventKind.Get || e.kind === EventKind.PutBlocked;
    const message = queue || e.kind === EventKind.Nap || e.kind === EventKind.Print || e.kind === EventKind.LockWait;
    const m = Math.abs(e.value) % (M + 1);
    const value = queue ? (m === 0 ? SENTINEL : m) : message ? m : e.kind === EventKind.Start ? Math.abs(e.value) : e.value;
    const aux = queue ? e.aux % 2 : e.kind === EventKind.Grant || e.kind === EventKind.Revoke ? e.aux % 3 : e.aux;
    return { ...e, value: Object.is(value, -0) ? 0 : value, aux };
  };
  const procs: ProcessInfo[] = [
    { proc: 0, role: 'shouter', name: 'shouter 1', pid: 1 }, { proc: 1, role: 'hearer', name: 'hearer "1" <b>', pid: undefined },
    { proc: 2, role: 'queue', name: 'queue', pid: 3 },
  ];
  fc.assert(fc.property(fc.array(event, { maxLength: 300 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 20 }), fc.nat(), (events, lines, seed) => {
    const trace = new TraceStore();
    for (const e of events.map(fit)) { trace.append(e.kind, e.proc, e.value, e.t, e.dur, e.aux); }
    const config = { ...defaultConfig(), seed, messageCount: M, shouters: 2 };
    const back = importChromeTrace(exportChromeTrace({ id: 'r-1', config, seed, processes: procs, trace, lines, summary: null }));
    assertSameStore(trace, back.trace);
    assert.deepEqual(back.lines, lines);
    assert.equal(back.seed, seed);
    assert.equal(back.summary, null);
    assert.deepEqual(back.processes, procs);
    // Valid JSON for viewers whatever the values.
    const parsed = JSON.parse(exportChromeTrace({ id: 'r-1', config, seed, processes: procs, trace, lines }));
    assert.ok(Array.isArray(parsed.traceEvents));
  }), { numRuns: 100 });
});

test('format: displayTimeUnit first, M names, X spans in µs with dur ≥ 0, thread instants, matched flows, a counter', () => {
  const run = sampleRun();
  const text = exportChromeTrace(run);
  assert.ok(text.startsWith('{"displayTimeUnit":"ns",'));
  const root = JSON.parse(text);
  assert.equal(Object.keys(root)[0], 'displayTimeUnit');
  assert.deepEqual(Object.keys(root), ['displayTimeUnit', 'traceEvents', 'otherData', 'shoutHear']);
  const evs: Record<string, any>[] = root.traceEvents;
  for (const e of evs) { assert.equal(e.pid, 1); assert.ok(typeof e.ph === 'string'); }

  const meta = evs.filter((e) => e.ph === 'M');
  assert.ok(meta.some((e) => e.name === 'process_name' && e.args.name === 'Shout/Hear run-abc-1'));
  const threads = new Map(meta.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args.name]));
  assert.equal(threads.get(1), 'shouter (pid 4242)');
  assert.equal(threads.get(2), 'hearer');
  assert.equal(threads.get(HOST_TID), 'scheduler: print lock');
  // Every event's thread is named.
  for (const e of evs) { if (e.ph !== 'M' && e.ph !== 'C') { assert.ok(threads.has(e.tid), `tid ${e.tid} unnamed`); } }

  const spans = evs.filter((e) => e.ph === 'X');
  assert.equal(spans.length, 5); // lockWait, two prints, getWait, nap
  for (const e of spans) { assert.ok(typeof e.dur === 'number' && e.dur >= 0); }
  const print = spans.find((e) => e.name === 'print' && e.tid === 1)!;
  assert.equal(print.ts, 0.15); // 150 ns
  assert.equal(print.dur, 1.2345); // 1234.5 ns
  assert.equal(spans.find((e) => e.name === 'nap')!.dur, 100_000); // 100 ms in µs
  assert.equal(print.args.value, 1);

  const instants = evs.filter((e) => e.ph === 'i');
  for (const e of instants) { assert.equal(e.s, 't'); }
  const grant = instants.find((e) => e.name === 'grant')!;
  assert.equal(grant.tid, HOST_TID);
  assert.equal(grant.args.to, 'shouter');

  const starts = evs.filter((e) => e.ph === 's');
  const ends = evs.filter((e) => e.ph === 'f');
  assert.equal(starts.length, 2); // two messages; the sentinel has no arrow
  assert.equal(new Set(starts.map((e) => e.id)).size, 2);
  for (const s of starts) {
    assert.equal(typeof s.id, 'number');
    const f = ends.filter((e) => e.id === s.id);
    assert.equal(f.length, 1);
    assert.equal(f[0].bp, 'e');
    assert.equal(f[0].cat, s.cat);
    assert.equal(f[0].name, s.name);
    assert.equal(s.tid, 1);
    assert.equal(f[0].tid, 2);
    assert.ok(f[0].ts >= s.ts);
  }
  assert.deepEqual(starts.map((e) => e.ts), [2, 2.5]);

  const counter = evs.filter((e) => e.ph === 'C');
  assert.deepEqual(counter.map((e) => [e.ts, e.args.depth]), [[2, 1], [2.5, 2], [3, 1], [4, 0]]);
  assert.equal(Math.max(...counter.map((e) => e.args.depth)), run.summary!.maxQueueDepth);
  assert.equal(root.otherData.exporter, 'Shout/Hear');
});

// ---------------------------------------------------------------- untrusted input

function rejects(text: unknown, code: string, message: RegExp, limits?: Parameters<typeof importChromeTrace>[1]): void {
  assert.throws(() => importChromeTrace(text, limits), (err: unknown) => {
    assert.ok(err instanceof TraceImportError, `not a TraceImportError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

/** The sample export with its side section changed by `edit`. */
function edited(edit: (section: Record<string, any>) => void): string {
  const root = JSON.parse(exportChromeTrace(sampleRun()));
  edit(root.shoutHear);
  return JSON.stringify(root);
}

test('rejects what is not JSON, too large, or not text', () => {
  const text = exportChromeTrace(sampleRun());
  rejects(text.slice(0, text.length - 40), 'notJson', /not valid JSON/);
  rejects('', 'notJson', /not valid JSON/);
  rejects('{"displayTimeUnit": NaN}', 'notJson', /not valid JSON/);
  rejects(text, 'tooLarge', /too large: .* more than the limit of 1,000/, { maxChars: 1000 });
  rejects(42, 'notText', /must be text/);
  rejects(undefined, 'notText', /must be text/);
});

test('rejects foreign traces with a message saying they are not ours', () => {
  rejects('{"traceEvents":[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1}]}', 'foreign', /not exported by Shout\/Hear/);
  rejects('[{"ph":"i","name":"a","pid":1,"tid":1,"ts":0,"s":"t"}]', 'foreign', /not exported by Shout\/Hear/);
  rejects('{"hello":"world"}', 'foreign', /not a Shout\/Hear trace file/);
  rejects('null', 'foreign', /not a Shout\/Hear trace file/);
  rejects(edited((s) => { s.format = 'other'; }), 'invalid', /shoutHear\.format must be "shout-hear-trace"/);
  rejects(edited((s) => { s.version = 3; }), 'unsupportedVersion', /newer Shout\/Hear/);
  // Version 1 (24-byte records, the host's lock lane 255): refused with a clear message, not misread.
  rejects(edited((s) => { s.version = 1; }), 'unsupportedVersion', /older Shout\/Hear \(format version 1\).*export it from this version/);
});

test('rejects wrong types and out-of-range values, naming the field', () => {
  const cases: [(s: Record<string, any>) => void, RegExp][] = [
    [(s) => { s.seed = 'NaN'; }, /shoutHear\.seed must be an integer .* not "NaN"/],
    [(s) => { s.seed = -1; }, /shoutHear\.seed must be an integer/],
    [(s) => { s.runId = 'x/../y'; }, /shoutHear\.runId must be letters/],
    [(s) => { s.runId = 5; }, /shoutHear\.runId must be text/],
    [(s) => { s.config.messageCount = 'ten'; }, /shoutHear\.config is not a valid run configuration .*messageCount/],
    [(s) => { s.config.napProbability = 2; }, /napProbability/],
    [(s) => { s.config.bogus = 1; }, /Unknown setting "bogus"/],
    [(s) => { s.processes = []; }, /shoutHear\.processes must list 1 to/],
    [(s) => { s.processes[0].proc = 0xffff; }, /processes\[0\]\.proc must be an integer from 0 to 65534/],
    [(s) => { s.processes[1].proc = 0; }, /repeats lane 0/],
    [(s) => { s.processes[0].role = 'admin'; }, /role must be one of/],
    [(s) => { s.processes[0].name = 'x'.repeat(500); }, /name is longer than 200/],
    [(s) => { s.lines = 'Shout: 1'; }, /shoutHear\.lines must be an array/],
    [(s) => { s.lines = [1]; }, /shoutHear\.lines\[0\] must be text/],
    [(s) => { s.summary.ok = 'yes'; }, /summary\.ok must be true or false/],
    [(s) => { s.summary.runId = 'other'; }, /summary\.runId is "other", not the run's id/],
    [(s) => { s.summary.durationMs = -1; }, /summary\.durationMs must be a number/],
    [(s) => { s.events.count = '16'; }, /events\.count must be an integer/],
    [(s) => { s.events.count = 17; }, /events\.t must be base64 of 17 × 8 bytes/],
    [(s) => { s.events.t = s.events.t.replace(/^./, '!'); }, /events\.t must be base64/],
    [(s) => { s.events.encoding = 'hex'; }, /encoding must be "base64-le"/],
    [(s) => { s.events.extra = 1; }, /unknown field "extra"/],
    [(s) => { s.extra = {}; }, /shoutHear has an unknown field "extra"/],
  ];
  for (const [edit, message] of cases) { rejects(edited(edit), 'invalid', message); }
});

test('rejects event columns holding NaN, negative durations, unknown kinds and lanes', () => {
  const column = (s: Record<string, any>, name: string, write: (b: Buffer) => void) => {
    const b = Buffer.from(s.events[name], 'base64');
    write(b);
    s.events[name] = b.toString('base64');
  };
  rejects(edited((s) => column(s, 't', (b) => b.writeDoubleLE(NaN, 8))), 'invalid', /events\.t\[1\] \(a \w+ event\) must be a time in ns from 0/);
  rejects(edited((s) => column(s, 't', (b) => b.writeDoubleLE(Infinity, 0))), 'invalid', /events\.t\[0\]/);
  rejects(edited((s) => column(s, 'dur', (b) => b.writeFloatLE(-1, 4 * 2))), 'invalid', /events\.dur\[2\] \(a \w+ event\) must be a duration in ns ≥ 0/);
  rejects(edited((s) => column(s, 'kind', (b) => { b[3] = 99; })), 'invalid', /events\.kind\[3\] \(a kind 99 event\) is 99, which is no event kind/);
  rejects(edited((s) => column(s, 'proc', (b) => { b[0] = 7; })), 'invalid', /events\.proc\[0\] \(a \w+ event\) is lane 7, which no process has/);
});

test('rejects huge arrays by the limits, before building anything big', () => {
  rejects(edited((s) => { s.lines = new Array(50).fill('x'); }), 'invalid', /50 lines, more than the limit of 10/, { maxLines: 10 });
  rejects(edited((s) => { s.lines = ['y'.repeat(100)]; }), 'invalid', /lines\[0\] is longer than 20/, { maxLineLength: 20 });
  rejects(edited((s) => { s.events.count = 1e12; }), 'invalid', /events\.count must be an integer from 0 to 20000000/);
  rejects(edited(() => {}), 'invalid', /events\.count must be an integer from 0 to 5/, { maxEvents: 5 });
});

test('prototype-pollution keys are refused and pollute nothing', () => {
  const text = exportChromeTrace(sampleRun());
  const inject = (where: string, json: string) => text.replace(where, `${where}${json},`);
  rejects(inject('"shoutHear":{', '"__proto__":{"polluted":1}'), 'invalid', /shoutHear has a key named "__proto__"/);
  rejects(inject('"config":{', '"__proto__":{"polluted":1}'), 'invalid', /config has a key named "__proto__"/);
  rejects(inject('"summary":{', '"constructor":{"prototype":{"polluted":1}}'), 'invalid', /summary has a key named "constructor"/);
  rejects(inject('"lockWaits":{', '"__proto__":{"polluted":1}'), 'invalid', /summary\.lockWaits has a key named "__proto__"/);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

test('property: arbitrary edits to a valid file either import or fail with TraceImportError', () => {
  const text = exportChromeTrace(sampleRun());
  fc.assert(fc.property(fc.nat({ max: text.length - 1 }), fc.nat({ max: 20 }), fc.string({ maxLength: 5 }), (at, cut, insert) => {
    const mangled = text.slice(0, at) + insert + text.slice(at + cut);
    try { importChromeTrace(mangled); } catch (err) { assert.ok(err instanceof TraceImportError, String(err)); }
  }), { numRuns: 300 });
});

test('a get stored before its put (batches arrive in any order) still gets its flow arrow', () => {
  const trace = new TraceStore();
  trace.append(EventKind.Get, 1, 1, 2000, 0, 0);
  trace.append(EventKind.Put, 0, 1, 1000, 0, 0);
  const json = JSON.parse(exportChromeTrace({
    id: 'run-x', config: defaultConfig(), seed: 1, trace, lines: [],
    processes: [{ proc: 0, role: 'shouter', name: 'shouter', pid: 1 }, { proc: 1, role: 'hearer', name: 'hearer', pid: 2 }],
  }));
  const flows = json.traceEvents.filter((e: { ph: string }) => e.ph === 's' || e.ph === 'f');
  assert.equal(flows.length, 2);
});
