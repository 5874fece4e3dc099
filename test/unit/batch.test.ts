import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ArgumentError, BATCH_DEFAULT_RUNS, BatchCollector, batchResult, batchView, observedText, parseBatchArgs, possibleOrderings,
  runSequence, shortLine, shortOrdering, validateRunCountText,
} from '../../src/stats/batch';
import { countOrderings } from '../../src/stats/orderings';
import type { RunConfig } from '../../src/protocol/run';

const config = (over: Partial<RunConfig> = {}): RunConfig => ({
  messageCount: 3, napProbability: 0.25, napMs: 1, seed: null, useLock: true, runTimeoutSeconds: 120, lockPolicy: 'os',
  queueCapacity: 0, shouters: 1, hearers: 1, engine: 'node', pythonStartMethod: null, ...over,
});

test('parseBatchArgs: defaults, and every bad argument named with what is allowed', () => {
  assert.deepEqual(parseBatchArgs(undefined), { runs: BATCH_DEFAULT_RUNS, overrides: undefined });
  assert.deepEqual(parseBatchArgs({}), { runs: 20, overrides: undefined });
  assert.deepEqual(parseBatchArgs({ runs: 6, overrides: { messageCount: 3 } }), { runs: 6, overrides: { messageCount: 3 } });
  assert.deepEqual(parseBatchArgs({ runs: 500 }).runs, 500);
  const bad: [unknown, RegExp][] = [
    [{ runs: 0 }, /"runs" must be an integer from 1 to 500; got 0/],
    [{ runs: 501 }, /"runs" must be an integer from 1 to 500; got 501/],
    [{ runs: 2.5 }, /"runs" must be an integer from 1 to 500; got 2\.5/],
    [{ runs: '6' }, /"runs" must be an integer from 1 to 500; got "6"/],
    [{ runs: NaN }, /got NaN/],
    [{ runs: 3, overrides: 'fast' }, /"overrides" must be an object of settings/],
    [{ runs: 3, overrides: [1] }, /"overrides" must be an object/],
    [{ runs: 3, extra: 1 }, /unknown argument "extra" \(allowed: runs, overrides\)/],
    [7, /Run Batch takes an object \{ runs, overrides\? \}; got 7/],
    [[1, 2], /Run Batch takes an object/],
  ];
  for (const [arg, re] of bad) {
    assert.throws(() => parseBatchArgs(arg), (err: Error) => err instanceof ArgumentError && re.test(err.message) && err.message.startsWith('Run Batch'), JSON.stringify(arg));
  }
});

test('validateRunCountText: the InputBox accepts 1..500 only', () => {
  assert.equal(validateRunCountText('20'), undefined);
  assert.equal(validateRunCountText(' 1 '), undefined);
  assert.equal(validateRunCountText('500'), undefined);
  for (const t of ['0', '501', '', 'ten', '2.5', '-3']) { assert.match(validateRunCountText(t) ?? '', /1 to 500/, t); }
});

test('BatchCollector: groups identical orderings, most common first, with their runs; shares one copy per ordering', () => {
  const a = ['Shout: 1', 'Hear: 1', 'Shout: 2', 'Hear: 2'];
  const b = ['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 2'];
  const c = new BatchCollector();
  c.add('r1', b, true);
  c.add('r2', [...a], true);
  c.add('r3', [...a], false);
  c.add('r4', [...b], true);
  c.add('r5', [...a], true);
  assert.equal(c.count, 5);
  assert.equal(c.distinct, 2);
  assert.equal(c.notOk, 1);
  const o = c.orderings();
  assert.deepEqual(o.map((x) => [x.count, x.runIds]), [[3, ['r2', 'r3', 'r5']], [2, ['r1', 'r4']]]);
  assert.deepEqual(o[0].lines, a);
  assert.equal(o.reduce((s, x) => s + x.count, 0), 5, 'counts sum to the runs');
});

test('possibleOrderings: Catalan numbers for one shouter and hearer; observed only past 6 messages, without the lock, or past the work limit', () => {
  const catalan = [1, 1, 2, 5, 14, 42, 132];
  for (let n = 1; n <= 6; n++) { assert.equal(possibleOrderings(config({ messageCount: n })).possible, BigInt(catalan[n]), `n=${n}`); }
  assert.equal(possibleOrderings(config({ messageCount: 3 })).possible, countOrderings({ messageCount: 3 }));
  // Two hearers, capacity: whatever countOrderings says.
  assert.equal(possibleOrderings(config({ messageCount: 3, hearers: 2, queueCapacity: 1 })).possible, countOrderings({ messageCount: 3, hearers: 2, queueCapacity: 1 }));
  assert.deepEqual(possibleOrderings(config({ messageCount: 7 })).possible, null);
  assert.match(possibleOrderings(config({ messageCount: 7 })).why ?? '', /up to 6 messages/);
  assert.match(possibleOrderings(config({ useLock: false })).why ?? '', /without the print lock/);
  const many = possibleOrderings(config({ messageCount: 6, shouters: 8, hearers: 8 }));
  assert.equal(many.possible, null);
  assert.match(many.why ?? '', /up to 3 shouters and 3 hearers/);
  // Within the process limits, past the work limit: countOrderings' RangeError becomes "observed only".
  const big = possibleOrderings(config({ messageCount: 6, shouters: 2, hearers: 2 }), 10_000);
  assert.equal(big.possible, null);
  assert.match(big.why ?? '', /too many/);
  assert.match(observedText(4, big), /^4 distinct orderings seen — observed only \(too many/);
});

test('observedText: "7 of 132 possible orderings seen", or observed only', () => {
  assert.equal(observedText(7, { possible: 132n }), '7 of 132 possible orderings seen');
  assert.equal(observedText(1, { possible: null, why: 'x' }), '1 distinct ordering seen — observed only (x)');
  assert.equal(observedText(3, { possible: null, why: 'y' }), '3 distinct orderings seen — observed only (y)');
});

test('batchResult and batchView: JSON-safe, possible as an exact decimal string, lines capped', () => {
  const c = new BatchCollector();
  c.add('r1', ['Shout: 1', 'Hear: 1', 'Shout: 2', 'Hear: 2', 'Shout: 3', 'Hear: 3'], true);
  c.add('r2', ['Shout: 1', 'Shout: 2', 'Shout: 3', 'Hear: 1', 'Hear: 2', 'Hear: 3'], true);
  const r = batchResult(c, possibleOrderings(config()), 6, true);
  assert.equal(r.runs, 2);
  assert.equal(r.distinct, 2);
  assert.equal(r.possible, '5');
  assert.equal(r.observed, '2 of 5 possible orderings seen');
  assert.equal(r.cancelled, true);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  const v = batchView(r, config(), { running: false, interruption: 'cancelled after 2 of 6 runs' });
  assert.equal(v.orderings[0].short, 'S1 H1 S2 H2 S3 H3');
  assert.equal(v.interruption, 'cancelled after 2 of 6 runs');
  assert.match(v.settings, /3 messages · nap probability 0\.25 · nap 1 ms · lock os · a fresh seed each run/);
  const long = new BatchCollector();
  long.add('x', Array.from({ length: 2500 }, (_, i) => `Shout: ${i + 1}`), true);
  const lv = batchView(batchResult(long, possibleOrderings(config({ messageCount: 2500 })), 1, false), config({ messageCount: 2500 }), { running: false });
  assert.equal(lv.orderings[0].lines.length, 2000);
  assert.equal(lv.orderings[0].truncated, 500);
  assert.equal(lv.possible, null);
});

test('shortLine / shortOrdering: compact labels; anything else quoted', () => {
  assert.equal(shortLine('Shout: 12'), 'S12');
  assert.equal(shortLine('Hear: 3'), 'H3');
  assert.equal(shortLine('Shout[2]: 5'), 'S2:5');
  assert.equal(shortLine('Hear[1]: 2/5'), 'H1:2/5');
  assert.equal(shortLine('ShHear: 1out: 2'), '"ShHear: 1out: 2"');
  assert.equal(shortLine('<img src=x onerror=alert(1)> and a long tail'), JSON.stringify('<img src=x onerror=aler…'));
  assert.equal(shortOrdering(['Shout: 1', 'Hear: 1', 'Shout: 2'], 2), 'S1 H1 … (+1)');
});

test('runSequence: one run at a time, in order; Cancel before a run or during one ends it; a run stopped by someone else too', async () => {
  let alive = 0;
  let maxAlive = 0;
  const started: number[] = [];
  const ended: number[] = [];
  const run = async (c: number) => {
    alive++; maxAlive = Math.max(maxAlive, alive); started.push(c);
    await new Promise((r) => setTimeout(r, 2));
    alive--;
    return { runId: `r${c}`, stopped: false };
  };
  const all = await runSequence([1, 2, 3, 4], { run, cancelled: () => false, onEnd: (s) => ended.push(Number(s.runId.slice(1))) });
  assert.deepEqual(all, { ran: 4, cancelled: false });
  assert.deepEqual(started, [1, 2, 3, 4]);
  assert.deepEqual(ended, [1, 2, 3, 4]);
  assert.equal(maxAlive, 1, 'never two runs at once');

  // Cancel while run 2 goes: it ends stopped, and nothing after it starts.
  let cancelled = false;
  const seen: string[] = [];
  const out = await runSequence(['a', 'b', 'c'], {
    run: async (c) => { if (c === 'b') { cancelled = true; return { runId: c, stopped: true }; } return { runId: c, stopped: false }; },
    cancelled: () => cancelled,
    onEnd: (s) => seen.push(s.runId),
  });
  assert.deepEqual(out, { ran: 1, cancelled: true, interruption: 'cancelled after 1 of 3 runs' });
  assert.deepEqual(seen, ['a']);

  // Cancel between runs.
  let calls = 0;
  const between = await runSequence([1, 2, 3], { run: async () => ({ runId: `x${++calls}`, stopped: false }), cancelled: () => calls >= 2, onEnd: () => undefined });
  assert.deepEqual(between, { ran: 2, cancelled: true, interruption: 'cancelled after 2 of 3 runs' });

  // Stopped by someone else (Stop Run, another run).
  const other = await runSequence([1, 2], { run: async (c) => ({ runId: `s${c}`, stopped: c === 2 }), cancelled: () => false, onEnd: () => undefined });
  assert.equal(other.cancelled, true);
  assert.match(other.interruption ?? '', /stopped after 1 of 2 runs: run s2 was stopped/);

  // A run that cannot start rejects the whole sequence.
  await assert.rejects(runSequence([1], { run: async () => { throw new Error('no python'); }, cancelled: () => false, onEnd: () => undefined }), /no python/);
});
