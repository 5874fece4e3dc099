import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LockArbiter } from '../../src/engine/lockArbiter';

test('a free lock is granted at once; a held one asks the holder once to hand over', () => {
  const lock = new LockArbiter();
  assert.deepEqual(lock.request(0), [{ type: 'grant', proc: 0 }]);
  assert.deepEqual(lock.request(1), [{ type: 'revoke', proc: 0 }]);
  assert.deepEqual(lock.request(2), []);
  assert.deepEqual(lock.release(0), [{ type: 'grant', proc: 1 }, { type: 'revoke', proc: 1 }], 'the new holder is asked at once: 2 still waits');
  assert.deepEqual(lock.release(1), [{ type: 'grant', proc: 2 }]);
  assert.deepEqual(lock.release(2), []);
  assert.equal(lock.currentHolder, undefined);
});

test('protocol errors are caught', () => {
  const lock = new LockArbiter();
  lock.request(0);
  assert.throws(() => lock.request(0), /already holds/);
  assert.throws(() => lock.release(1), /does not hold/);
});

test('a process that goes away gives up its hold and its place in line', () => {
  const lock = new LockArbiter();
  lock.request(0);
  lock.request(1);
  lock.request(2);
  assert.deepEqual(lock.gone(1), []);
  assert.deepEqual(lock.gone(0), [{ type: 'grant', proc: 2 }]);
});

test('fifo, random, manual and replay grant every line on its own', () => {
  const fifo = new LockArbiter({ policy: 'fifo' });
  assert.equal(fifo.holderKeepsLock, false);
  fifo.request(0);
  assert.deepEqual(fifo.request(1), [], 'no hand-over request: the holder releases after its line anyway');
  const manual = new LockArbiter({ policy: 'manual' });
  assert.deepEqual(manual.request(0), []);
  assert.deepEqual(manual.request(1), []);
  assert.throws(() => manual.grantTo(2), /process 2 is not waiting/);
  assert.deepEqual(manual.grantTo(1), [{ type: 'grant', proc: 1 }]);
  assert.throws(() => manual.grantTo(0), /held by process 1/);
  assert.deepEqual(manual.release(1), []);
  assert.throws(() => fifo.grantTo(1), /granted by the "fifo" policy/);
  const replay = new LockArbiter({ policy: 'replay', plan: [1, 0, 0] });
  assert.deepEqual(replay.request(0), [], 'the plan says 1 goes first');
  assert.deepEqual(replay.request(1), [{ type: 'grant', proc: 1 }]);
  assert.deepEqual(replay.release(1), [{ type: 'grant', proc: 0 }]);
  const random = new LockArbiter({ policy: 'random', seed: 5 });
  random.request(0);
  random.request(1);
  random.request(2);
  const granted = random.release(0);
  assert.equal(granted.length, 1);
  assert.ok([1, 2].includes(granted[0].proc));
});

test('any sequence: one holder at most, waiters served in request order, every waiter eventually granted', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 200 }), (steps) => {
    const lock = new LockArbiter();
    const requestOrder: number[] = [];
    const grantOrder: number[] = [];
    const apply = (actions: ReturnType<LockArbiter['request']>) => {
      for (const a of actions) { if (a.type === 'grant') { grantOrder.push(a.proc); } }
    };
    for (const p of steps) {
      // Each step: process p either releases (if it holds) or requests (if idle).
      if (lock.currentHolder === p) { apply(lock.release(p)); }
      else if (!lock.waiting.includes(p)) { requestOrder.push(p); apply(lock.request(p)); }
    }
    while (lock.currentHolder !== undefined) { apply(lock.release(lock.currentHolder)); }
    assert.deepEqual(grantOrder, requestOrder);
  }));
});
