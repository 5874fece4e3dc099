import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { PyRandom } from '../../src/shared/pyRandom';

// Taken from CPython 3.11: random.Random(seed).random(), three draws each.
const VECTORS: [number, number[]][] = [
  [0, [0.8444218515250481, 0.7579544029403025, 0.420571580830845]],
  [1, [0.13436424411240122, 0.8474337369372327, 0.763774618976614]],
  [42, [0.6394267984578837, 0.025010755222666936, 0.27502931836911926]],
  [4294967296, [0.11299430095636409, 0.41782886486292836, 0.0166763664992291]],
];

test('matches CPython random.Random(seed).random() for known seeds', () => {
  for (const [seed, expected] of VECTORS) {
    const r = new PyRandom(seed);
    assert.deepEqual([r.random(), r.random(), r.random()], expected, `seed ${seed}`);
  }
});

test('matches this machine\'s python3 over 2,000 draws and large seeds', (t) => {
  const seeds = [7, 123456789, 2 ** 32 - 1, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];
  const py = spawnSync('python3', ['-c', `
import random, sys
for s in ${JSON.stringify(seeds)}:
    r = random.Random(s)
    print(' '.join(repr(r.random()) for _ in range(400)))
`], { encoding: 'utf8' });
  if (py.error) { t.skip('python3 is not installed'); return; }
  assert.equal(py.status, 0, py.stderr);
  const rows = py.stdout.trim().split('\n');
  seeds.forEach((seed, i) => {
    const r = new PyRandom(seed);
    const ours = Array.from({ length: 400 }, () => r.random());
    assert.deepEqual(ours, rows[i].split(' ').map(Number), `seed ${seed}`);
  });
});

test('rejects seeds Python would treat differently', () => {
  assert.throws(() => new PyRandom(-1), RangeError);
  assert.throws(() => new PyRandom(1.5), RangeError);
});
