import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { EventKind, SENTINEL } from '../../src/protocol/events';
import { TraceStore } from '../../src/trace/traceStore';
import {
  describe, putGetLatencies, quantile, sampleOf, sweepCsv, sweepStats, sweepTable, toCsv, type SweepSample,
} from '../../src/stats/sweepStats';

const close = (actual: number, expected: number, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps, `${actual} ≉ ${expected}`);

test('describe: hand-computed mean, sample stddev, median, p10, p90', () => {
  // mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32/7 = 4.5714…; sqrt = 2.13809…
  const s = describe([9, 2, 4, 4, 5, 4, 5, 7]);
  assert.equal(s.n, 8);
  assert.equal(s.mean, 5);
  close(s.stddev, Math.sqrt(32 / 7));
  close(s.stddev, 2.138089935299395);
  assert.equal(s.min, 2);
  assert.equal(s.max, 9);
  assert.equal(s.median, 4.5);
  // Sorted 2 4 4 4 5 5 7 9: p10 at rank 0.7 → 2 + 0.7·2 = 3.4; p90 at rank 6.3 → 7 + 0.3·2 = 7.6
  close(s.p10, 3.4);
  close(s.p90, 7.6);
});

test('describe: one value, none, and non-finite values', () => {
  assert.deepEqual(describe([3]), { n: 1, mean: 3, stddev: 0, min: 3, max: 3, median: 3, p10: 3, p90: 3 });
  const none = describe([]);
  assert.equal(none.n, 0);
  assert.ok(Number.isNaN(none.mean) && Number.isNaN(none.stddev) && Number.isNaN(none.median));
  const some = describe([NaN, 1, Infinity, 3]);
  assert.equal(some.n, 2);
  assert.equal(some.mean, 2);
  close(some.stddev, Math.SQRT2);
  assert.equal(describe([1, 2, 3, 4]).median, 2.5);
});

test('quantile: interpolates between closest ranks and stays within min..max', () => {
  assert.equal(quantile([10, 20], 0.5), 15);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.9), 4.6);
  assert.equal(quantile([7], 0.1), 7);
  fc.assert(fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, p) => {
    const sorted = Float64Array.from(xs).sort();
    const q = quantile(sorted, p);
    assert.ok(q >= sorted[0] - 1e-6 && q <= sorted[sorted.length - 1] + 1e-6);
    const d = describe(xs);
    assert.ok(d.p10 <= d.median + 1e-9 && d.median <= d.p90 + 1e-9);
    assert.ok(d.stddev >= 0);
  }));
});

function traceOf(events: [EventKind, number, number, number, number][]): TraceStore {
  // [kind, proc, value, t (ns), aux]
  const s = new TraceStore();
  for (const [kind, proc, value, t, aux] of events) { s.append(kind, proc, value, t, 0, aux); }
  return s;
}

test('put→get latencies pair each shouter\'s message with its get, in ms; sentinels and unmatched puts left out', () => {
  const trace = traceOf([
    [EventKind.Put, 0, 1, 1_000_000, 0],
    [EventKind.Put, 1, 1, 1_500_000, 1], // shouter 1's message 1: a different message
    [EventKind.Get, 2, 1, 4_000_000, 1], // 2.5 ms
    [EventKind.Get, 2, 1, 3_000_000, 0], // 2 ms
    [EventKind.Put, 0, 2, 5_000_000, 0], // never got
    [EventKind.Put, 0, SENTINEL, 6_000_000, 0],
    [EventKind.Get, 2, SENTINEL, 7_000_000, 0],
  ]);
  assert.deepEqual([...putGetLatencies(trace)], [2.5, 2]);
  assert.deepEqual([...putGetLatencies(new TraceStore())], []);
});

const summary = (p: number, durationMs: number, totalMs: number, maxQueueDepth: number) => ({ durationMs, lockWaits: { totalMs }, maxQueueDepth, config: { napProbability: p } });

test('sampleOf reduces a run; a run with no gets has no latency', () => {
  const trace = traceOf([[EventKind.Put, 0, 1, 0, 0], [EventKind.Get, 1, 1, 2_000_000, 0], [EventKind.Put, 0, 2, 1_000_000, 0], [EventKind.Get, 1, 2, 5_000_000, 0]]);
  const s = sampleOf({ runId: 'r1', summary: summary(0.25, 120, 3, 2), trace, lines: ['Shout: 1'] });
  assert.deepEqual({ ...s, lines: [...s.lines] }, { runId: 'r1', napProbability: 0.25, durationMs: 120, lockWaitMs: 3, maxQueueDepth: 2, putGetMeanMs: 3, lines: ['Shout: 1'] });
  assert.ok(Number.isNaN(sampleOf({ runId: 'r2', summary: summary(0, 1, 0, 0), trace: new TraceStore(), lines: [] }).putGetMeanMs));
});

test('sweepStats groups by probability (ascending), with statistics and distinct orderings', () => {
  const a = ['Shout: 1', 'Hear: 1'];
  const b = ['Shout: 1', 'Shout: 2'];
  const sample = (runId: string, p: number, d: number, w: number, q: number, l: number, lines: string[]): SweepSample =>
    ({ runId, napProbability: p, durationMs: d, lockWaitMs: w, maxQueueDepth: q, putGetMeanMs: l, lines });
  const groups = sweepStats([
    sample('r1', 0.5, 100, 1, 1, 2, a),
    sample('r2', 0, 10, 4, 3, 1, a),
    sample('r3', 0.5, 300, 3, 2, NaN, b),
    sample('r4', 0, 20, 6, 3, 3, a),
  ]);
  assert.deepEqual(groups.map((g) => g.napProbability), [0, 0.5]);
  const [g0, g5] = groups;
  assert.equal(g0.runs, 2);
  assert.deepEqual(g0.runIds, ['r2', 'r4']);
  assert.equal(g0.durationMs.mean, 15);
  close(g0.durationMs.stddev, Math.sqrt(50)); // (25 + 25) / 1
  assert.equal(g0.lockWaitMs.median, 5);
  assert.equal(g0.maxQueueDepth.stddev, 0);
  assert.equal(g0.putGetLatencyMs.mean, 2);
  assert.equal(g0.distinctOrderings, 1);
  assert.deepEqual(g0.orderings[0].runIds, ['r2', 'r4']);
  assert.equal(g5.distinctOrderings, 2);
  assert.equal(g5.putGetLatencyMs.n, 1); // r3 got nothing
  assert.equal(g5.durationMs.mean, 200);
  assert.deepEqual(sweepStats([]), []);
});

test('toCsv: RFC 4180 quoting, CRLF, empty fields for missing numbers', () => {
  const csv = toCsv(['name', 'value', 'note'], [
    ['plain', 1.5, 'ok'],
    ['has,comma', -2, 'say "hi"'],
    ['multi\nline', NaN, null],
    ['cr\rhere', Infinity, undefined],
    [true, 0, ''],
  ]);
  assert.equal(csv, [
    'name,value,note',
    'plain,1.5,ok',
    '"has,comma",-2,"say ""hi"""',
    '"multi\nline",,',
    '"cr\rhere",,',
    'true,0,',
    '',
  ].join('\r\n'));
  assert.throws(() => toCsv(['a', 'b'], [[1]]), /1 fields where the header has 2/);
});

test('toCsv round-trips through a strict RFC 4180 parser', () => {
  const parse = (text: string): string[][] => {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = '';
    let i = 0;
    let quoted = false;
    while (i < text.length) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        field += c; i++; continue;
      }
      if (c === '"' && field === '') { quoted = true; i++; continue; }
      if (c === ',') { row.push(field); field = ''; i++; continue; }
      if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
      assert.ok(c !== '"' && c !== '\r' && c !== '\n', `unquoted special character at ${i}`);
      field += c; i++;
    }
    assert.equal(field, '');
    return rows;
  };
  fc.assert(fc.property(fc.array(fc.array(fc.string(), { minLength: 3, maxLength: 3 }), { maxLength: 10 }), (rows) => {
    assert.deepEqual(parse(toCsv(['a', 'b', 'c'], rows)), [['a', 'b', 'c'], ...rows]);
  }));
});

test('sweep CSV: one row per probability, a column per metric and statistic', () => {
  const groups = sweepStats([
    { runId: 'r1', napProbability: 0.25, durationMs: 10, lockWaitMs: 1, maxQueueDepth: 2, putGetMeanMs: 0.5, lines: [] },
    { runId: 'r2', napProbability: 0.25, durationMs: 30, lockWaitMs: 3, maxQueueDepth: 2, putGetMeanMs: 1.5, lines: ['x'] },
  ]);
  const { header, rows } = sweepTable(groups);
  assert.equal(header.length, 3 + 4 * 8);
  assert.deepEqual(header.slice(0, 5), ['nap_probability', 'runs', 'distinct_orderings', 'duration_ms_n', 'duration_ms_mean']);
  assert.deepEqual(rows[0].slice(0, 5), [0.25, 2, 2, 2, 20]);
  const lines = sweepCsv(groups).split('\r\n');
  assert.equal(lines.length, 3); // header, one row, and the empty string after the last CRLF
  assert.ok(lines[1].startsWith('0.25,2,2,2,20,'));
});
