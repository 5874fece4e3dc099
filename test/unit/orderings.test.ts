import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  checkOrdering, countOrderings, distinctOrderings, hearText, isPossibleOrdering, shoutText, type OrderingParams,
} from '../../src/stats/orderings';

/**
 * Brute force, written independently of the module: run the program step by step through
 * every schedule (every interleaving of prints, puts and gets) and collect the distinct line
 * sequences. Only for tiny cases.
 */
function enumerate(p: OrderingParams): Set<string> {
  const S = p.shouters ?? 1;
  const H = p.hearers ?? 1;
  const N = p.messageCount;
  const C = p.queueCapacity ?? 0;
  const out = new Set<string>();
  // shouter: next message to print, and whether it must put before printing again
  const shouted = new Array(S).fill(0);
  const mustPut = new Array(S).fill(false);
  const queue: [number, number][] = [];
  const holding: ([number, number] | null)[] = new Array(H).fill(null);
  const lines: string[] = [];
  let heard = 0;
  const seen = new Set<string>();
  const go = (): void => {
    // Prune identical (state, printed-so-far) revisits: they yield the same sequences.
    const key = JSON.stringify([shouted, mustPut, queue, holding, lines]);
    if (seen.has(key)) { return; }
    seen.add(key);
    if (heard === S * N) { out.add(lines.join('\n')); return; }
    for (let k = 0; k < S; k++) {
      if (!mustPut[k] && shouted[k] < N) {
        shouted[k]++; mustPut[k] = true; lines.push(shoutText(p, k, shouted[k]));
        go();
        lines.pop(); mustPut[k] = false; shouted[k]--;
      }
      if (mustPut[k] && (C === 0 || queue.length < C)) {
        mustPut[k] = false; queue.push([k, shouted[k]]);
        go();
        queue.pop(); mustPut[k] = true;
      }
    }
    for (let j = 0; j < H; j++) {
      const held = holding[j];
      if (held === null && queue.length > 0) {
        holding[j] = queue.shift()!;
        go();
        queue.unshift(holding[j]!); holding[j] = null;
      } else if (held !== null) {
        holding[j] = null; heard++; lines.push(hearText(p, j, held[0], held[1]));
        go();
        lines.pop(); heard--; holding[j] = held;
      }
    }
  };
  go();
  return out;
}

const catalan = [1n, 1n, 2n, 5n, 14n, 42n, 132n, 429n, 1430n];

test('one shouter, one hearer, unbounded: the Catalan numbers (132 for 6 messages)', () => {
  for (let n = 0; n <= 8; n++) { assert.equal(countOrderings({ messageCount: n }), catalan[n], `N=${n}`); }
});

test('N=1 has one ordering; N=2 has exactly the two listed by hand', () => {
  assert.equal(countOrderings({ messageCount: 1 }), 1n);
  assert.deepEqual([...enumerate({ messageCount: 1 })], ['Shout: 1\nHear: 1']);
  // By hand: Shout 1 must open; Hear 1 either comes before Shout 2 or after it.
  const byHand = [
    ['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 2'],
    ['Shout: 1', 'Hear: 1', 'Shout: 2', 'Hear: 2'],
  ];
  assert.equal(countOrderings({ messageCount: 2 }), 2n);
  assert.deepEqual([...enumerate({ messageCount: 2 })].sort(), byHand.map((l) => l.join('\n')).sort());
  for (const lines of byHand) { assert.ok(isPossibleOrdering(lines, { messageCount: 2 })); }
  assert.equal(isPossibleOrdering(['Shout: 1', 'Hear: 1', 'Hear: 2', 'Shout: 2'], { messageCount: 2 }), false);
});

test('capacity 1: the shouter is at most 3 lines ahead (Shout, queue, held by the hearer)', () => {
  // Shout 1, put 1, the hearer gets 1 (and waits for the lock), Shout 2, put 2 (queue full),
  // Shout 3, put 3 blocks: Shout 4 cannot come before Hear 1. Of the 14 Catalan sequences of
  // N = 4, only S S S S H H H H is lost.
  assert.equal(countOrderings({ messageCount: 3, queueCapacity: 1 }), 5n);
  assert.equal(countOrderings({ messageCount: 4, queueCapacity: 1 }), 13n);
  const p = { messageCount: 4, queueCapacity: 1 };
  assert.equal(isPossibleOrdering(['Shout: 1', 'Shout: 2', 'Shout: 3', 'Shout: 4', 'Hear: 1', 'Hear: 2', 'Hear: 3', 'Hear: 4'], p), false);
  assert.ok(isPossibleOrdering(['Shout: 1', 'Shout: 2', 'Shout: 3', 'Hear: 1', 'Shout: 4', 'Hear: 2', 'Hear: 3', 'Hear: 4'], p));
  assert.ok(isPossibleOrdering(['Shout: 1', 'Shout: 2', 'Shout: 3', 'Shout: 4', 'Hear: 1', 'Hear: 2', 'Hear: 3', 'Hear: 4'], { messageCount: 4, queueCapacity: 2 }));
  // A capacity the queue can never reach is the unbounded count.
  assert.equal(countOrderings({ messageCount: 5, queueCapacity: 10 }), catalan[5]);
});

test('one shouter, one hearer, capacity C: ballot sequences with Shout − Hear ≤ C + 2', () => {
  // Independent count: lattice paths that never go above C + 2.
  const ballot = (n: number, cap: number): bigint => {
    let ways = new Map<string, bigint>([['0,0', 1n]]);
    for (let step = 0; step < 2 * n; step++) {
      const next = new Map<string, bigint>();
      for (const [key, w] of ways) {
        const [s, h] = key.split(',').map(Number);
        if (s < n && s + 1 - h <= cap + 2) { const k = `${s + 1},${h}`; next.set(k, (next.get(k) ?? 0n) + w); }
        if (h < s) { const k = `${s},${h + 1}`; next.set(k, (next.get(k) ?? 0n) + w); }
      }
      ways = next;
    }
    return ways.get(`${n},${n}`) ?? 0n;
  };
  for (let n = 1; n <= 8; n++) {
    for (let cap = 1; cap <= 4; cap++) { assert.equal(countOrderings({ messageCount: n, queueCapacity: cap }), ballot(n, cap), `N=${n} C=${cap}`); }
  }
});

test('two shouters, one hearer, one message each: counted by hand', () => {
  // Shout[1]/Shout[2] in either order (2), then Hear 1/1 and Hear 1/2 in either order — either
  // shouter may put first — but each Hear after its own Shout: S1 S2 H H (2 orders of H), S2 S1
  // H H (2), S1 H(1/1) S2 H(1/2), S2 H(1/2) S1 H(1/1): 6.
  const p = { messageCount: 1, shouters: 2 };
  assert.equal(countOrderings(p), 6n);
  assert.equal(enumerate(p).size, 6);
  assert.ok(isPossibleOrdering(['Shout[1]: 1', 'Shout[2]: 1', 'Hear[1]: 2/1', 'Hear[1]: 1/1'], p));
});

test('brute force agrees with the count and every enumerated ordering passes the check', () => {
  const cases: OrderingParams[] = [
    { messageCount: 3 }, { messageCount: 4, queueCapacity: 1 }, { messageCount: 2, shouters: 2 },
    { messageCount: 2, hearers: 2 }, { messageCount: 2, shouters: 2, hearers: 2 }, { messageCount: 2, shouters: 2, hearers: 2, queueCapacity: 1 },
    { messageCount: 3, shouters: 2, queueCapacity: 1 }, { messageCount: 3, hearers: 2, queueCapacity: 1 }, { messageCount: 1, shouters: 3, hearers: 2 },
  ];
  for (const p of cases) {
    const all = enumerate(p);
    assert.equal(countOrderings(p), BigInt(all.size), JSON.stringify(p));
    for (const seq of all) { assert.ok(isPossibleOrdering(seq.split('\n'), p), `${JSON.stringify(p)}: ${seq}`); }
  }
});

test('property: count = brute force, and the check accepts exactly the enumerated sequences', () => {
  const params = fc.record({
    messageCount: fc.integer({ min: 1, max: 3 }),
    shouters: fc.integer({ min: 1, max: 2 }),
    hearers: fc.integer({ min: 1, max: 2 }),
    queueCapacity: fc.integer({ min: 0, max: 2 }),
  }).filter((p) => p.messageCount * p.shouters <= 4);
  fc.assert(fc.property(params, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), (p, shuffle) => {
    const all = enumerate(p);
    assert.equal(countOrderings(p), BigInt(all.size));
    // A shuffled sequence of the right lines: possible exactly when brute force found it.
    const some = [...all][shuffle[0] % all.size].split('\n');
    for (let i = some.length - 1; i > 0; i--) {
      const j = shuffle[i % shuffle.length] % (i + 1);
      if (shuffle[(i + 5) % shuffle.length] % 3 === 0) { [some[i], some[j]] = [some[j], some[i]]; }
    }
    assert.equal(isPossibleOrdering(some, p), all.has(some.join('\n')), `${JSON.stringify(p)}: ${some.join(' | ')}`);
  }), { numRuns: 150 });
});

test('the check explains why a sequence is impossible', () => {
  const p = { messageCount: 2 };
  const why = (lines: string[], q: OrderingParams = p) => {
    const r = checkOrdering(lines, q);
    assert.equal(r.possible, false);
    return (r as { reason: string }).reason;
  };
  assert.match(why(['Shout: 1', 'Hear: 1']), /2 lines where 4 were due/);
  assert.match(why(['Shout: 2', 'Shout: 1', 'Hear: 1', 'Hear: 2']), /comes before "Shout: 1"/);
  assert.match(why(['Hear: 1', 'Shout: 1', 'Shout: 2', 'Hear: 2']), /comes before its Shout line/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 1']), /heard twice/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Hear: 2', 'Hear: 1']), /no FIFO order/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear: 02']), /not a Hear line/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear:2']), /neither a Shout nor a Hear/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Hear: 1', 'Hear[1]: 1/2']), /not a Hear line/);
  assert.match(why(['Shout: 1', 'Shout: 2', 'Shout: 3', 'Shout: 4', 'Hear: 1', 'Hear: 2', 'Hear: 3', 'Hear: 4'], { messageCount: 4, queueCapacity: 1 }), /capacity 1/);
});

test('a hearer can print out of queue order when another hearer holds the earlier message', () => {
  // Hearer 1 gets 1/1 and is slow to print; hearer 2 gets 1/2 and prints first.
  const p = { messageCount: 2, hearers: 2 };
  assert.ok(isPossibleOrdering(['Shout[1]: 1', 'Shout[1]: 2', 'Hear[2]: 1/2', 'Hear[1]: 1/1'], p));
  // But one hearer alone cannot.
  assert.equal(isPossibleOrdering(['Shout[1]: 1', 'Shout[1]: 2', 'Hear[1]: 1/2', 'Hear[1]: 1/1'], p), false);
});

test('larger cases stay exact; too large ones fail fast with a clear error', () => {
  assert.equal(countOrderings({ messageCount: 8, hearers: 2 }), 4001914n);
  const c = countOrderings({ messageCount: 4, shouters: 2, hearers: 2 });
  assert.equal(c, 1399238120n);
  assert.ok(countOrderings({ messageCount: 4, shouters: 2, hearers: 2, queueCapacity: 1 }) < c);
  assert.throws(() => countOrderings({ messageCount: 6, shouters: 1, hearers: 8 }, { maxStates: 10_000 }), /too many states/);
  // The checker handles real run sizes: 8 shouters × 10 messages, all shouts first.
  const p = { messageCount: 10, shouters: 8, hearers: 8 };
  const lines: string[] = [];
  for (let i = 1; i <= 10; i++) { for (let k = 0; k < 8; k++) { lines.push(shoutText(p, k, i)); } }
  let n = 0;
  for (let i = 1; i <= 10; i++) { for (let k = 0; k < 8; k++) { lines.push(hearText(p, n++ % 8, k, i)); } }
  assert.ok(isPossibleOrdering(lines, p));
  assert.ok(isPossibleOrdering(lines, { ...p, queueCapacity: 3 }) === false);
  assert.ok(isPossibleOrdering(lines, { ...p, queueCapacity: 70 }));
});

test('bad parameters are named', () => {
  assert.throws(() => countOrderings({ messageCount: -1 }), /messageCount must be an integer ≥ 0/);
  assert.throws(() => countOrderings({ messageCount: 2, shouters: 0 }), /shouters must be an integer ≥ 1/);
  assert.throws(() => countOrderings({ messageCount: 2, queueCapacity: 1.5 }), /queueCapacity/);
});

test('distinct orderings: grouped, counted, most common first, ties in first-seen order', () => {
  const a = ['Shout: 1', 'Hear: 1'];
  const b = ['Shout: 1', 'Shout: 2'];
  const groups = distinctOrderings([
    { runId: 'r1', lines: b }, { runId: 'r2', lines: a }, { runId: 'r3', lines: a }, { runId: 'r4', lines: ['x'] },
  ]);
  assert.deepEqual(groups, [
    { lines: a, count: 2, runIds: ['r2', 'r3'] },
    { lines: b, count: 1, runIds: ['r1'] },
    { lines: ['x'], count: 1, runIds: ['r4'] },
  ]);
  // Lines that would collide if joined naively stay apart.
  assert.equal(distinctOrderings([{ runId: 'a', lines: ['x\ny'] }, { runId: 'b', lines: ['x', 'y'] }]).length, 2);
  assert.deepEqual(distinctOrderings([]), []);
});
