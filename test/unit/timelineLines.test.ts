// The timeline ties output lines to their events by order (a process's k-th line is its k-th
// print), in every line format: one shouter and hearer, or several ("Shout[2]: 5", "Hear[1]: 2/5").
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventKind } from '../../src/protocol/events';
import { TraceStore } from '../../src/trace/traceStore';
import { sliceEvents } from '../../src/views/timeline/feed';
import { RunData } from '../../src/webview/timeline/model';

test('with two shouters, a hearer\'s lines and events tie up even when message numbers repeat', () => {
  const store = new TraceStore();
  // shouter 1 (proc 0) and shouter 2 (proc 1) each shout message 1; hearer (proc 2) hears 2/1 then 1/1.
  let t = 0;
  const ev = (kind: EventKind, proc: number, value: number, dur = 0, aux = 0) => store.append(kind, proc, value, (t += 10), dur, aux);
  ev(EventKind.Print, 0, 1, 5); ev(EventKind.Put, 0, 1, 0, 0);
  ev(EventKind.Print, 1, 1, 5); ev(EventKind.Put, 1, 1, 0, 1);
  ev(EventKind.Get, 2, 1, 0, 1); ev(EventKind.LockWait, 2, 1, 5); ev(EventKind.Print, 2, 1, 5);
  ev(EventKind.Get, 2, 1, 0, 0); ev(EventKind.Print, 2, 1, 5);
  const run = new RunData({
    runId: 'r', label: 'r', seed: 1, startedAt: 0,
    processes: [{ proc: 0, role: 'shouter', name: 'shouter 1' }, { proc: 1, role: 'shouter', name: 'shouter 2' }, { proc: 2, role: 'hearer', name: 'hearer' }],
    config: { messageCount: 1, useLock: true, shouters: 2, hearers: 1 } as never,
  }, 0, false);
  assert.ok(run.append(sliceEvents(store, 0, store.length)));
  run.addLines(0, ['Shout[1]: 1', 'Shout[2]: 1', 'Hear[1]: 2/1', 'Hear[1]: 1/1', 'garbled Sh']);
  // Events 0..8 as appended above.
  assert.equal(run.lineOfEvent(0), 0, 'shouter 1 print');
  assert.equal(run.lineOfEvent(3), 1, 'shouter 2 put: its shout');
  assert.equal(run.lineOfEvent(4), 2, 'the get of 2/1: the hear of it');
  assert.equal(run.lineOfEvent(5), 2, 'the lock wait before that print');
  assert.equal(run.lineOfEvent(8), 3, 'the second hear');
  assert.deepEqual(run.eventsOfLine(2).sort((a, b) => a - b), [2, 3, 4, 5, 6], 'Hear[1]: 2/1 is shouter 2\'s message');
  assert.deepEqual(run.eventsOfLine(3).sort((a, b) => a - b), [0, 1, 7, 8], 'Hear[1]: 1/1 is shouter 1\'s');
  assert.deepEqual(run.eventsOfLine(4), [], 'a line of no process');
  assert.deepEqual(run.storyOf(6).sort((a, b) => a - b), [2, 3, 4, 5, 6]);
});

test('the lesson\'s own format still ties up', () => {
  const store = new TraceStore();
  store.append(EventKind.Print, 0, 1, 10, 5, 0);
  store.append(EventKind.Put, 0, 1, 20, 0, 0);
  store.append(EventKind.Get, 1, 1, 30, 0, 0);
  store.append(EventKind.Print, 1, 1, 40, 5, 0);
  const run = new RunData({
    runId: 'r', label: 'r', seed: 1, startedAt: 0, processes: [{ proc: 0, role: 'shouter', name: 'shouter' }, { proc: 1, role: 'hearer', name: 'hearer' }],
    config: { messageCount: 1, useLock: true } as never,
  }, 0, false);
  run.append(sliceEvents(store, 0, 4));
  run.addLines(0, ['Shout: 1', 'Hear: 1']);
  assert.equal(run.lineOfEvent(1), 0);
  assert.equal(run.lineOfEvent(2), 1);
  assert.deepEqual(run.eventsOfLine(1).sort(), [0, 1, 2, 3]);
});
