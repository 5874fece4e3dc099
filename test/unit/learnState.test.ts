// stateAt against fixed traces at every event boundary and between them; the event→line
// map complete for every kind; the event-order axis and its inverse.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { indexStates, stateAt } from '../../src/learn/stateAt';
import { KNOWN_KINDS, LINES, LINE_TEXT, PROGRAM_LISTING, lineOfEvent } from '../../src/learn/programMap';
import { buildEventOrder } from '../../src/learn/eventOrder';
import { columnsOfArrays, eventsInTimeOrder, K } from '../../src/learn/traceView';
import { lessonStory, lockOffRun, severalBoundedRun } from './learnFixtures';

const at = (tMs: number) => stateAt(lessonStory(), tMs);
const states = (tMs: number) => at(tMs).processes.map((p) => `${p.name}:${p.state}@${p.line}`);

test('stateAt: the lesson story at chosen instants (spans cover [start, end))', () => {
  assert.deepEqual(states(0), ['shouter:running@18', 'hearer:notStarted@null']);
  assert.deepEqual(states(0.25), ['shouter:running@18', 'hearer:running@34']);
  assert.deepEqual(states(0.3), ['shouter:running@18', 'hearer:getWait@34']);
  assert.deepEqual(states(0.95), ['shouter:lockWait@18', 'hearer:getWait@34']);
  assert.deepEqual(states(1.25), ['shouter:running@19', 'hearer:running@34']);
  assert.deepEqual(states(1.3), ['shouter:printing@19', 'hearer:lockWait@18']);
  assert.deepEqual(states(1.7), ['shouter:napping@28', 'hearer:running@37']);
  assert.deepEqual(states(1.69), ['shouter:running@28', 'hearer:printing@19']);
  assert.deepEqual(states(50), ['shouter:napping@28', 'hearer:getWait@37']);
  assert.deepEqual(states(101.7), ['shouter:running@19', 'hearer:getWait@37']);
  assert.deepEqual(states(102.0), ['shouter:running@29', 'hearer:running@37']);
  assert.deepEqual(states(102.2), ['shouter:exited@null', 'hearer:exited@null']);
});

test('stateAt: the queue, oldest first, and the lines printed so far', () => {
  assert.deepEqual(at(1.2).queue, [{ shouter: 1, message: 1 }]);
  assert.deepEqual(at(1.25).queue, []);
  assert.deepEqual(at(1.66).queue, [{ shouter: 1, message: 2 }, { shouter: 1, message: 3 }]);
  assert.deepEqual(at(1.8).queue, [{ shouter: 1, message: 3 }]);
  assert.deepEqual(at(102.0).queue, [{ shouter: 1, message: 'done' }]);
  assert.deepEqual(at(102.05).queue, []);
  assert.equal(at(1.09).printed, 0);
  assert.equal(at(1.1).printed, 1);
  assert.equal(at(102.2).printed, 8);
  const several = stateAt(severalBoundedRun(), 1.95);
  assert.deepEqual(several.queue, []);
  assert.deepEqual(stateAt(severalBoundedRun(), 2.0).queue, [{ shouter: 2, message: 1 }]);
  assert.deepEqual(stateAt(severalBoundedRun(), 1.5).processes.map((p) => p.state), ['running', 'putBlocked', 'running', 'running']);
  // Lock off: a line counts once its last piece is written.
  assert.equal(stateAt(lockOffRun(false), 1.2).printed, 0);
  assert.equal(stateAt(lockOffRun(false), 1.21).printed, 1);
});

test('stateAt at every event boundary and between: states follow the trace\'s spans, printed and queue never go back', () => {
  const run = lessonStory();
  const index = indexStates(run);
  const evs = eventsInTimeOrder(run.trace);
  const times = [...new Set(evs.flatMap((e) => [e.t, e.t + e.dur]))].sort((a, b) => a - b).map((t) => t / 1e6);
  const probes = times.flatMap((t, k) => (k + 1 < times.length ? [t, (t + times[k + 1]) / 2] : [t]));
  let printed = 0;
  const spanState: Record<number, string> = { [K.lockWait]: 'lockWait', [K.print]: 'printing', [K.nap]: 'napping', [K.getWait]: 'getWait', [K.putBlocked]: 'putBlocked' };
  for (const t of probes) {
    const s = index.at(t);
    assert.ok(s.printed >= printed);
    printed = s.printed;
    s.processes.forEach((p, proc) => {
      const covering = evs.find((e) => e.proc === proc && e.dur > 0 && e.t / 1e6 <= t && t < (e.t + e.dur) / 1e6);
      if (covering) { assert.equal(p.state, spanState[covering.kind], `${p.name} at ${t}`); }
      else { assert.ok(['running', 'notStarted', 'exited'].includes(p.state), `${p.name} at ${t}: ${p.state}`); }
      assert.equal(p.line === null, p.state === 'notStarted' || p.state === 'exited');
    });
  }
  assert.equal(printed, 8);
});

test('stateAt rejects an instant outside the run, naming the allowed range', () => {
  for (const bad of [-0.001, 102.21, Number.NaN, Infinity]) {
    assert.throws(() => at(bad), /outside run fixture: allowed 0 to 102\.200 ms/);
  }
});

test('program map: every event kind has its line, and the listing says what the map claims', () => {
  const listing = fs.readFileSync(path.join(__dirname, '../../..', PROGRAM_LISTING), 'utf8').split('\n');
  for (const [key, line] of Object.entries(LINES)) {
    assert.ok(listing[line - 1].includes(LINE_TEXT[key as keyof typeof LINES]), `line ${line} (${key}): ${listing[line - 1]}`);
  }
  assert.equal(KNOWN_KINDS.length, 11);
  for (const kind of KNOWN_KINDS) {
    for (const role of ['shouter', 'hearer']) {
      const line = lineOfEvent(kind, { role });
      assert.ok(line !== null && line >= 1 && line <= listing.length, `kind ${kind} of a ${role}`);
    }
  }
  assert.equal(lineOfEvent(K.put, { role: 'shouter', value: -1 }), LINES.sentinelPut);
  assert.equal(lineOfEvent(K.print, { role: 'hearer', flags: 2 }), LINES.printNoLock);
  assert.equal(lineOfEvent(K.get, { role: 'hearer', firstGet: true }), LINES.firstGet);
  assert.equal(lineOfEvent(99, { role: 'hearer' }), null);
});

test('event order: equal steps, idle stretches become gaps with their real duration, inverse round trip', () => {
  const run = lessonStory();
  const evs = eventsInTimeOrder(run.trace);
  const axis = buildEventOrder(evs.map((e) => e.t), evs.map((e) => e.dur));
  const steps = [...axis.knotsUnits].slice(1).map((u, k) => u - axis.knotsUnits[k]);
  assert.deepEqual([...new Set(steps)].sort(), [1, 1.5]);
  assert.deepEqual(axis.gaps.map((g) => Math.round(g.durNs / 1e4) / 100), [99.65]);
  for (let k = 0; k < axis.knotsNs.length; k++) { assert.equal(axis.toUnits(axis.knotsNs[k]), axis.knotsUnits[k]); }
  for (let u = 0; u <= axis.totalUnits; u += 0.37) { assert.ok(Math.abs(axis.toUnits(axis.toNs(u)) - u) < 1e-9, `at ${u}`); }
  for (let k = 1; k < axis.knotsNs.length; k++) {
    const mid = (axis.knotsNs[k - 1] + axis.knotsNs[k]) / 2;
    assert.ok(Math.abs(axis.toNs(axis.toUnits(mid)) - mid) < 1e-3);
  }
  assert.equal(axis.toUnits(-5), 0);
  assert.equal(axis.toUnits(1e12), axis.totalUnits);
  assert.equal(buildEventOrder([], []).totalUnits, 0);
});

test('the webview\'s columns (plain typed arrays, as RunData holds them) read the same as the host\'s store', () => {
  const host = lessonStory();
  const n = host.trace.length;
  const arrays = {
    length: n,
    t: new Float64Array(n), dur: new Float32Array(n), value: new Int32Array(n), aux: new Uint32Array(n), kind: new Uint8Array(n), proc: new Uint16Array(n),
    flags: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    arrays.t[i] = host.trace.t(i); arrays.dur[i] = host.trace.dur(i); arrays.value[i] = host.trace.value(i);
    arrays.aux[i] = host.trace.aux(i); arrays.kind[i] = host.trace.kind(i); arrays.proc[i] = host.trace.proc(i);
    arrays.flags[i] = host.trace.flags(i);
  }
  const page = { ...host, trace: columnsOfArrays(arrays) };
  for (let i = 0; i < n; i++) { assert.equal(page.trace.flags(i), host.trace.flags(i)); }
  // Float32 durations (the page's) shift spans by well under a microsecond: same states, same queue.
  for (const t of [0.3, 1.3, 1.66, 50, 101.75, 102.2]) {
    assert.deepEqual(stateAt(page, t).processes.map((p) => p.state), stateAt(host, t).processes.map((p) => p.state), `at ${t}`);
    assert.deepEqual(stateAt(page, t).queue, stateAt(host, t).queue);
  }
});
