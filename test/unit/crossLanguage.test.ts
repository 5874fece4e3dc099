/**
 * The Python producers against the TypeScript codec: python/shout_hear.py (the lesson's own
 * program, the Python engine) and python/trace_program.py (a user's program, traced) are run
 * for real with python3, and what they write is decoded with src/protocol/wire.ts alone — the
 * frame decoder and readTraceRecords — then checked kind by kind, field by field, lane by lane.
 * A change to the record layout on either side fails here.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Readable } from 'stream';
import { EVENT_KIND_NAMES, EventKind, PrintFlags, SCHEDULER_PROC, SENTINEL, type TraceEvent } from '../../src/protocol/events';
import { hearLine, parseLessonLine, shoutLine } from '../../src/protocol/lines';
import type { PythonProgramConfig } from '../../src/protocol/run';
import { FrameDecoder, readTraceRecords, type Frame } from '../../src/protocol/wire';
import { ROOT } from './engineHelpers';

const hasPython = !spawnSync('python3', ['-c', 'pass']).error;

/** Every record of the trace frames, decoded by the one decoder, and the other frames' types. */
function decode(frames: Frame[]): { events: TraceEvent[]; types: string[] } {
  const events: TraceEvent[] = [];
  for (const f of frames) {
    if (f.type !== 'trace') { continue; }
    readTraceRecords(f.records, (kind, proc, value, t, dur, aux, flags, obj, site) => events.push({ kind, proc, value, t, dur, aux, flags, obj, site }));
  }
  return { events, types: frames.map((f) => f.type) };
}

const count = (events: TraceEvent[], kind: EventKind) => events.filter((e) => e.kind === kind);

/** What every record must be, whoever wrote it: a known kind, a time from t0, a span that is a span. */
function assertWellFormed(events: TraceEvent[]): void {
  for (const [i, e] of events.entries()) {
    assert.ok(e.kind < EVENT_KIND_NAMES.length, `record ${i}: kind ${e.kind} is not a v2 kind`);
    assert.ok(Number.isFinite(e.t) && e.t >= 0 && e.t < 120e9, `record ${i} (${EVENT_KIND_NAMES[e.kind]}): t ${e.t} ns is not a time since t0`);
    assert.ok(Number.isFinite(e.dur) && e.dur >= 0 && e.dur < 120e9, `record ${i} (${EVENT_KIND_NAMES[e.kind]}): dur ${e.dur}`);
  }
}

test('python/shout_hear.py writes records the TypeScript codec reads: kinds, values, lanes, lines', { skip: !hasPython && 'python3 is not installed' }, async () => {
  const messages = 6;
  const config: PythonProgramConfig = {
    messageCount: messages, napProbability: 0.5, napMs: 1, seed: 11, useLock: true, queueCapacity: 0,
    shouters: 1, hearers: 1, startMethod: 'fork', t0: process.hrtime.bigint().toString(), traced: true,
  };
  const child = spawn('python3', [path.join(ROOT, 'python', 'shout_hear.py'), JSON.stringify(config)],
    { cwd: path.join(ROOT, 'python'), stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const channel = child.stdio[4] as Readable;
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  channel.on('data', (b: Buffer) => {
    // A trace frame's records are a view until the next push: keep a copy.
    frames.push(...decoder.push(b).map((f) => (f.type === 'trace' ? { ...f, records: f.records.slice() } : f)));
    // The host closes the channel once it has the last frame; the program waits for that.
    if (frames.some((f) => f.type === 'finished' || f.type === 'fault')) { channel.destroy(); }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(decoder.bufferedBytes, 0, 'no partial frame left');
  const { events, types } = decode(frames);
  assert.equal(types.at(-1), 'finished');
  assertWellFormed(events);

  // Lanes: the shouter is 0, the hearer 1; with one shouter it puts the "done" sentinel itself.
  const puts = count(events, EventKind.Put);
  assert.deepEqual(puts.filter((e) => e.value !== SENTINEL).map((e) => [e.proc, e.value, e.aux]), Array.from({ length: messages }, (_, i) => [0, i + 1, 0]));
  assert.deepEqual(puts.filter((e) => e.value === SENTINEL).map((e) => e.proc), [0]);
  assert.ok(events.every((e) => e.proc === 0 || e.proc === 1 || e.proc === SCHEDULER_PROC), 'no lane but the two processes\' and main\'s');
  const gets = count(events, EventKind.Get);
  assert.deepEqual(gets.map((e) => [e.proc, e.value]), [...Array.from({ length: messages }, (_, i) => [1, i + 1]), [1, SENTINEL]]);
  for (const g of gets) {
    const put = puts.find((p) => p.value === g.value);
    assert.ok(put && put.t <= g.t, `message ${g.value} is got (${g.t}) after it is put (${put?.t})`);
  }
  // One Start and one Exit per process, the Start's value its pid.
  for (const lane of [0, 1]) {
    const starts = count(events, EventKind.Start).filter((e) => e.proc === lane);
    assert.equal(starts.length, 1, `one Start on lane ${lane}`);
    assert.ok(starts[0].value > 1, `lane ${lane}'s Start carries a pid`);
    assert.equal(count(events, EventKind.Exit).filter((e) => e.proc === lane).length, 1, `one Exit on lane ${lane}`);
  }
  // Prints are spans on the printer's lane, with the line's message; naps are the shouter's.
  const prints = count(events, EventKind.Print);
  assert.deepEqual(prints.filter((e) => e.proc === 0).map((e) => e.value), Array.from({ length: messages }, (_, i) => i + 1));
  assert.deepEqual(prints.filter((e) => e.proc === 1).map((e) => e.value), Array.from({ length: messages }, (_, i) => i + 1));
  assert.ok(prints.every((e) => e.dur > 0), 'a print is a span');
  assert.ok(count(events, EventKind.Nap).every((e) => e.proc === 0 && e.dur > 0));
  // Each print took the lock at once (flag FastAcquire) or after a LockWait for that line.
  const waits = count(events, EventKind.LockWait);
  for (const p of prints) {
    assert.ok((p.flags & PrintFlags.FastAcquire) !== 0 || waits.some((w) => w.proc === p.proc && w.value === p.value && w.t <= p.t),
      `print of ${p.value} on lane ${p.proc}: flags ${p.flags}, no lock wait before it`);
  }
  // The lines it printed are the ones protocol/lines.ts formats and parses.
  const lines = stdout.trimEnd().split('\n');
  assert.deepEqual([...lines].sort(), [...Array.from({ length: messages }, (_, i) => shoutLine(1, 1, 0, i + 1)), ...Array.from({ length: messages }, (_, i) => hearLine(1, 1, 0, 0, i + 1))].sort());
  assert.ok(lines.every((l) => parseLessonLine(l) !== undefined));
});

test('python/trace_program.py (a user\'s program, traced) writes records the TypeScript codec reads', { skip: !hasPython && 'python3 is not installed' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-xlang-'));
  try {
    const script = path.join(ROOT, 'test', 'fixtures', 'scripts', 'lesson.py');
    const child = spawn('python3', ['-X', 'utf8', path.join(ROOT, 'python', 'trace_program.py'), '--trace-dir', dir,
      '--t0', process.hrtime.bigint().toString(), '--start-method', 'fork', script, '4', '0.001'],
    { cwd: path.dirname(script), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);

    const decoder = new FrameDecoder();
    const frames = decoder.push(fs.readFileSync(path.join(dir, 'trace.bin')));
    assert.equal(decoder.bufferedBytes, 0, 'the spool holds whole frames only');
    const { events, types } = decode(frames);
    assert.equal(types.at(-1), 'finished', 'main reports Finished last');
    assertWellFormed(events);

    // Lanes: main 0, the shouter 1, the hearer 2 (in start order); each starts and exits once.
    const lanes = [...new Set(events.map((e) => e.proc))].sort((a, b) => a - b);
    assert.deepEqual(lanes, [0, 1, 2]);
    for (const lane of lanes) {
      assert.equal(count(events, EventKind.Start).filter((e) => e.proc === lane).length, 1, `one Start on lane ${lane}`);
      assert.ok(count(events, EventKind.Exit).filter((e) => e.proc === lane).length >= 1, `an Exit on lane ${lane}`);
    }
    // The queue: 4 messages and "done" put by the shouter and got by the hearer, on one object,
    // each tied to a source line (site) of the user's file.
    const puts = count(events, EventKind.Put);
    const gets = count(events, EventKind.Get);
    assert.equal(puts.length, 5);
    assert.equal(gets.length, 5);
    assert.ok(puts.every((e) => e.proc === 1) && gets.every((e) => e.proc === 2), 'puts on the shouter\'s lane, gets on the hearer\'s');
    const queues = new Set([...puts, ...gets].map((e) => e.obj));
    assert.equal(queues.size, 1, 'one queue');
    assert.notEqual([...queues][0], 0, 'the queue is a numbered object');
    assert.ok([...puts, ...gets].every((e) => e.site > 0), 'every put and get has its source site');
    // The lock: held spans on the printers' lanes, one per printed line.
    const held = count(events, EventKind.LockHeld);
    assert.equal(held.length, 8);
    assert.ok(held.every((e) => (e.proc === 1 || e.proc === 2) && e.obj !== 0 && !queues.has(e.obj)), 'the lock is its own object');
    const expected = [...[1, 2, 3, 4].map((i) => shoutLine(1, 1, 0, i)), ...[1, 2, 3, 4].map((i) => hearLine(1, 1, 0, 0, i))];
    assert.deepEqual(stdout.trimEnd().split('\n').sort(), expected.sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
