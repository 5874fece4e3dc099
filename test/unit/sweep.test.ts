import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ArgumentError } from '../../src/stats/batch';
import {
  orderingDigest, parseNapProbability, parseProbabilityText, parseSweepArgs, SweepCollector, sweepPlan, sweepResult, sweepView,
} from '../../src/stats/sweep';
import { sweepCsv, type SweepSample } from '../../src/stats/sweepStats';
import type { RunConfig } from '../../src/protocol/run';

const config: RunConfig = {
  messageCount: 3, napProbability: 0.5, napMs: 1, seed: null, useLock: true, runTimeoutSeconds: 120, lockPolicy: 'os',
  queueCapacity: 0, shouters: 1, hearers: 1, engine: 'node', pythonStartMethod: null,
};

test('parseSweepArgs: defaults, and every bad argument named with what is allowed', () => {
  assert.deepEqual(parseSweepArgs(undefined), { probabilities: [0, 0.25, 0.5, 0.75, 1], runsEach: 10, overrides: undefined });
  assert.deepEqual(parseSweepArgs({ probabilities: [0, 1], runsEach: 2, overrides: { messageCount: 3 } }),
    { probabilities: [0, 1], runsEach: 2, overrides: { messageCount: 3 } });
  assert.deepEqual(parseSweepArgs({ runsEach: 3 }).probabilities, [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(parseSweepArgs({ probabilities: [0.3] }).runsEach, 10);
  assert.equal(parseSweepArgs({ csv: '/tmp/x.csv' }).csv, '/tmp/x.csv');
  const bad: [unknown, RegExp][] = [
    [{ probabilities: [] }, /"probabilities" must be a list of 1 to 21 different numbers from 0 to 1.*got \[\]/],
    [{ probabilities: 0.5 }, /"probabilities" must be a list.*got 0\.5/],
    [{ probabilities: [0, 1.5] }, /item 2 is 1\.5/],
    [{ probabilities: [0, -0.1] }, /item 2 is -0\.1/],
    [{ probabilities: [0, '1'] }, /item 2 is "1"/],
    [{ probabilities: [0, null] }, /item 2 is null/],
    [{ probabilities: [0.5, 0.5] }, /0\.5 is listed twice/],
    [{ probabilities: Array.from({ length: 22 }, (_, i) => i / 21) }, /1 to 21/],
    [{ runsEach: 0 }, /"runsEach" must be an integer from 1 to 100; got 0/],
    [{ runsEach: 101 }, /"runsEach" must be an integer from 1 to 100; got 101/],
    [{ runsEach: 1.5 }, /"runsEach".*got 1\.5/],
    [{ overrides: 3 }, /"overrides" must be an object of settings/],
    [{ overrides: { napProbability: 0.5 } }, /must not set napProbability/],
    [{ probabilty: [0] }, /unknown argument "probabilty" \(allowed: probabilities, runsEach, overrides, csv\)/],
    ['fast', /takes an object \{ probabilities, runsEach, overrides\? \}; got "fast"/],
  ];
  for (const [arg, re] of bad) {
    assert.throws(() => parseSweepArgs(arg), (err: Error) => err instanceof ArgumentError && re.test(err.message) && err.message.startsWith('Sweep Nap Probabilities'), JSON.stringify(arg));
  }
});

test('parseProbabilityText: commas and/or spaces; clear errors', () => {
  assert.deepEqual(parseProbabilityText('0, 0.25, 0.5, 0.75, 1'), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(parseProbabilityText(' .5 1 '), [0.5, 1]);
  assert.throws(() => parseProbabilityText('0, half'), /"half" is not a number/);
  assert.throws(() => parseProbabilityText('0, 2'), /item 2 is 2/);
  assert.throws(() => parseProbabilityText(''), /got \[\]/);
  assert.throws(() => parseProbabilityText('1e-1'), /not a number/);
});

test('parseNapProbability (the Rerun picker) reads a number as the sweep list does', () => {
  assert.equal(parseNapProbability(' 0.25 '), 0.25);
  assert.equal(parseNapProbability('.5'), 0.5);
  for (const text of ['1e-1', '0x1', '-0.5', 'Infinity', '', 'half']) {
    assert.match(String(parseNapProbability(text)), /is not a number/, text);
    assert.throws(() => parseProbabilityText(text || ','), /not a number|got \[\]/, text);
  }
  assert.match(String(parseNapProbability('1.5')), /outside 0\.\.1/);
});

test('sweepPlan: round by round, every probability once per round', () => {
  assert.deepEqual(sweepPlan([0, 0.5, 1], 2), [0, 0.5, 1, 0, 0.5, 1]);
  assert.equal(sweepPlan([0, 0.25, 0.5, 0.75, 1], 10).length, 50);
});

const sample = (runId: string, napProbability: number, durationMs: number, lines: string[]): SweepSample => ({
  runId, napProbability, durationMs, lockWaitMs: durationMs / 10, maxQueueDepth: Math.round(durationMs / 5), putGetMeanMs: durationMs / 100, lines,
});

test('SweepCollector: statistics per probability, distinct orderings counted from digests, JSON-safe', () => {
  const a = ['Shout: 1', 'Hear: 1'];
  const b = ['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 2'];
  const c = new SweepCollector();
  c.add(sample('r1', 0, 10, a));
  c.add(sample('r2', 1, 30, a));
  c.add(sample('r3', 0, 20, [...a]));
  c.add(sample('r4', 1, 50, b));
  c.add(sample('r5', 1, 40, a));
  assert.equal(c.samples[0].lines.length, 1, 'lines are kept as one digest');
  assert.equal(orderingDigest(a), orderingDigest([...a]));
  assert.notEqual(orderingDigest(['a', 'b']), orderingDigest(['a\nb']));
  const r = sweepResult(c, { probabilities: [0, 1], runsEach: 3 }, true);
  assert.equal(r.runs, 5);
  assert.equal(r.cancelled, true);
  assert.deepEqual(r.groups.map((g) => [g.napProbability, g.runs, g.runIds, g.distinctOrderings]), [[0, 2, ['r1', 'r3'], 1], [1, 3, ['r2', 'r4', 'r5'], 2]]);
  assert.equal(r.groups[0].durationMs.mean, 15);
  assert.equal(r.groups[1].durationMs.min, 30);
  assert.equal(r.groups[1].durationMs.max, 50);
  assert.equal(r.groups[1].durationMs.median, 40);
  assert.equal(r.groups[1].durationMs.stddev, 10);
  assert.ok(!('orderings' in r.groups[0]), 'digests are not handed out as orderings');
  const json = JSON.parse(JSON.stringify(r));
  assert.equal(json.groups.length, 2);
  // CSV of the same groups: a header and one row per probability.
  const csv = sweepCsv(c.groups());
  const rows = csv.trimEnd().split('\r\n');
  assert.equal(rows.length, 3);
  assert.match(rows[0], /^nap_probability,runs,distinct_orderings,duration_ms_n,duration_ms_mean/);
  assert.match(rows[2], /^1,3,2,3,40,/);
  const v = sweepView(r, config, { running: false });
  assert.ok(!/nap probability/.test(v.settings), v.settings);
  assert.match(v.settings, /3 messages · nap 1 ms · lock os/);
});
