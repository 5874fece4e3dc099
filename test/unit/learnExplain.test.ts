// Explain This Run's rules on fixed traces: each phenomenon is told where it happens (with
// this run's numbers) and not where it does not; long runs are counted, not listed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DETAIL, PHENOMENA, explainRun, type Narration, type Phenomenon } from '../../src/learn/explain';
import { calmRun, lessonStory, lockOffRun, napsRun, severalBoundedRun } from './learnFixtures';

const withPhenomenon = (n: Narration, p: Phenomenon) => n.sentences.filter((s) => s.phenomena.includes(p));
const kinds = (n: Narration) => new Set(n.sentences.flatMap((s) => s.phenomena));

function wellFormed(n: Narration): void {
  assert.ok(n.sentences.length > 0);
  let prev = -Infinity;
  for (const s of n.sentences) {
    assert.ok(s.phenomena.length > 0, `phenomena of "${s.text}"`);
    for (const p of s.phenomena) { assert.ok(PHENOMENA.includes(p), p); }
    assert.ok(s.fromMs >= 0 && s.fromMs <= s.toMs && s.toMs <= n.upToMs + 1e-9, `span of "${s.text}": ${s.fromMs}–${s.toMs} in 0–${n.upToMs}`);
    assert.ok(s.fromMs >= prev, 'sentences in time order');
    prev = s.fromMs;
    assert.doesNotMatch(s.text, /undefined|NaN|\[object/);
  }
}

test('the lesson story: start, blocked gets, build-up, contention, the lock won again, a nap that drains, the end', () => {
  const n = explainRun(lessonStory());
  wellFormed(n);
  assert.deepEqual([...kinds(n)].sort(), ['blockedGet', 'drain', 'end', 'lockContention', 'lockRewon', 'nap', 'noContention', 'queueBuildUp', 'start']);
  const [free] = withPhenomenon(n, 'noContention');
  assert.equal(free.text, '1 other lock wait (from 0.90 ms, the longest 0.10 ms) found the lock free: no one held it, the time went to having it granted.');
  assert.deepEqual([free.fromMs, free.toMs].map((x) => Math.round(x * 1000) / 1000), [0.9, 1]);
  const blocked = withPhenomenon(n, 'blockedGet');
  assert.deepEqual(blocked.map((s) => [s.fromMs, s.toMs]), [[0.3, 1.25], [2.05, 101.8]]);
  assert.match(blocked[0].text, /hearer found the queue empty at 0\.30 ms and waited 0\.95 ms for message 1/);
  assert.match(blocked[1].text, /for message 4/);
  const [contention] = withPhenomenon(n, 'lockContention');
  assert.deepEqual([contention.fromMs, contention.toMs], [1.28, 1.62]);
  assert.match(contention.text, /hearer wanted the print lock .* message 1, but the shouter held it, printing 2 lines meanwhile; it waited 0\.34 ms/);
  const [rewon] = withPhenomenon(n, 'lockRewon');
  assert.match(rewon.text, /shouter won the print lock 2 times in a row \(messages 2 to 3\) while the hearer waited/);
  const [buildUp] = withPhenomenon(n, 'queueBuildUp');
  assert.match(buildUp.text, /held 2 and 3 \(2 deep\)/);
  assert.equal(buildUp.fromMs, 1.65);
  const [nap] = withPhenomenon(n, 'nap');
  assert.deepEqual(nap.phenomena, ['nap', 'drain']);
  assert.deepEqual([nap.fromMs, nap.toMs], [1.7, 101.7]);
  assert.match(nap.text, /shouter napped 100 ms after putting message 3\. Meanwhile the hearer drained the queue: took 2 and 3/);
  const [end] = withPhenomenon(n, 'end');
  assert.match(end.text, /hearer was the last to finish, at 102 ms: 8 lines printed, 4 messages went through the queue\. After 1\.6 ms no one waited for the lock any more/);
  for (const p of ['garbled', 'putBlocked'] as const) { assert.equal(withPhenomenon(n, p).length, 0, p); }
});

test('no contended acquire: says the lesson\'s lock fight does not explain this order', () => {
  const n = explainRun(calmRun());
  wellFormed(n);
  const [calm] = withPhenomenon(n, 'noContention');
  assert.ok(calm);
  assert.match(calm.text, /No acquire of the print lock was contended.*6 acquires still took a round trip.*at most 0\.05 ms.*does not explain this order/);
  for (const p of ['lockContention', 'lockRewon', 'blockedGet', 'queueBuildUp', 'nap', 'drain', 'garbled'] as const) { assert.equal(withPhenomenon(n, p).length, 0, p); }
});

test('lock off: interleaved pieces are garbled lines; separate ones are not', () => {
  const mixed = explainRun(lockOffRun(true));
  wellFormed(mixed);
  const garbled = withPhenomenon(mixed, 'garbled');
  assert.equal(garbled.length, 1);
  assert.match(garbled[0].text, /the hearer's line for message 1 and the shouter's line for 2 were written at the same time \(1\.4 ms to 1\.6 ms\)/);
  assert.deepEqual([garbled[0].fromMs, garbled[0].toMs].map((x) => Math.round(x * 1000) / 1000), [1.35, 1.61]);
  assert.equal(withPhenomenon(mixed, 'lockContention').length + withPhenomenon(mixed, 'noContention').length, 0);

  const clean = explainRun(lockOffRun(false));
  wellFormed(clean);
  assert.equal(withPhenomenon(clean, 'garbled').length, 0);
  assert.match(withPhenomenon(clean, 'noContention')[0].text, /lock was off, yet no two lines were written at the same time/);
});

test('long runs: the first naps in detail, then one sentence that counts the rest', () => {
  const n = explainRun(napsRun(40));
  wellFormed(n);
  const naps = withPhenomenon(n, 'nap');
  assert.equal(naps.length, DETAIL + 1);
  const summary = naps[naps.length - 1];
  assert.match(summary.text, /^…and 37 more naps \(9\.8 ms on average\), 37 of them letting the hearer drain the queue\.$/);
  assert.deepEqual(summary.phenomena, ['nap', 'drain']);
  assert.ok(n.sentences.length < 15, `${n.sentences.length} sentences`);
});

test('several shouters and hearers, bounded queue: names, blocked put, no made-up lock story', () => {
  const n = explainRun(severalBoundedRun());
  wellFormed(n);
  assert.match(withPhenomenon(n, 'start')[0].text, /2 shouters and 2 hearers started between 0 ms and 0\.30 ms/);
  const [blocked] = withPhenomenon(n, 'putBlocked');
  assert.match(blocked.text, /The queue was full \(capacity 1\): shouter 2's put of message 1 \(of shouter 2\) waited 0\.70 ms, until hearer 1 took message 1 \(of shouter 1\) at 1\.9 ms/);
  assert.deepEqual([blocked.fromMs, blocked.toMs], [1.3, 2]);
  assert.equal(withPhenomenon(n, 'lockContention').length, 0);
  assert.match(withPhenomenon(n, 'end')[0].text, /Hearer 2 was the last to finish/);
});

test('a live run is explained up to its last event, without an ending', () => {
  const n = explainRun(lessonStory(true));
  assert.equal(n.live, true);
  assert.equal(withPhenomenon(n, 'end').length, 0);
  assert.ok(Math.abs(n.upToMs - 102.2) < 1e-9);
});
