import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { LockArbiter } from '../../src/engine/lockArbiter';

test('a free lock is granted at once; a held one asks the holder once to hand over', () => {
  const lock = new LockArbiter();
  assert.deepEqual(lock.request(0), [{ type: 'grant', proc: 0 }]);
  assert.deepEqual(lock.request(1), [{ type: 'revoke', proc: 0 }]);
  assert.deepEqual(lock.request(2), []);
  assert.deepEqual(lock.release(0), [{ type: 'grant', proc: 1 }]);
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
