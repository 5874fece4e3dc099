/**
 * The Node engine's trace spool (engine/traceSpool.ts) and the workers' side of it
 * (workers/traceBatch.ts): whole records only, nothing left on disk, a failed write reported.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { once } from 'events';
import { EventKind } from '../../src/protocol/events';
import { TRACE_RECORD_BYTES, readTraceRecords, writeTraceRecord } from '../../src/protocol/wire';
import { TraceSpool } from '../../src/engine/traceSpool';
import { TraceBatch } from '../../src/workers/traceBatch';

function records(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * TRACE_RECORD_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  values.forEach((v, i) => writeTraceRecord(view, i * TRACE_RECORD_BYTES, EventKind.Put, 1, v, v * 10));
  return bytes;
}

for (const unnamed of [true, false]) {
  test(`the spool hands the host whole records only, in the order written; its files leave no trace on disk (${unnamed ? 'files with no name, where the OS has them' : 'named files, unlinked at once'})`, async () => {
    TraceSpool.unnamedFiles = unnamed;
    try { await spoolRoundTrip(); } finally { TraceSpool.unnamedFiles = true; }
  });
}

async function spoolRoundTrip(): Promise<void> {
  const got: number[] = [];
  const spool = new TraceSpool((bytes) => readTraceRecords(bytes, (_k, _p, value) => { got.push(value); }));
  const fd = spool.open(1);
  // Nothing on disk from here on, before any process holds the file (a host killed now leaves nothing).
  if (fs.existsSync('/proc/self/fd')) { assert.match(fs.readlinkSync(`/proc/self/fd/${fd}`), / \(deleted\)$/, 'the file is unlinked as soon as it is open'); }
  // A writer of its own (as a worker is): one record and a half, then on a line from us the rest.
  const both = records(1, 2);
  const cut = TRACE_RECORD_BYTES + 10;
  const child = spawn(process.execPath, ['-e', `
    const fs = require('fs');
    const bytes = Buffer.from(process.argv[1], 'hex');
    fs.writeSync(3, bytes, 0, ${cut});
    process.stdout.write('half\\n');
    process.stdin.once('data', () => { fs.writeSync(3, bytes, ${cut}, bytes.length - ${cut}); process.exit(0); });
  `, both.toString('hex')], { stdio: ['pipe', 'pipe', 'inherit', fd] });
  spool.spawned();
  await once(child.stdout!, 'data');
  spool.readAll();
  assert.deepEqual(got, [1], 'the cut record waits for the rest of its bytes');
  child.stdin!.write('go\n');
  await once(child, 'exit');
  spool.close();
  assert.deepEqual(got, [1, 2]);
}

test('a trace batch that cannot be written reports the error instead of throwing (the worker then fails the run)', () => {
  const readOnly = fs.openSync(__filename, 'r');
  try {
    const errors: string[] = [];
    const batch = new TraceBatch(readOnly, 0, (message) => errors.push(message));
    batch.add(EventKind.Put, 1, 0);
    batch.flush();
    assert.equal(errors.length, 1);
    assert.match(errors[0], /its trace could not be written: .*(EBADF|bad file)/i);
    batch.flush();
    assert.equal(errors.length, 1, 'nothing is left to write: the batch was given up');
  } finally {
    fs.closeSync(readOnly);
  }
});

test('a trace batch goes out at its first record, then when a record is stamped the age limit after the newest written', () => {
  // A process in a flood never runs its flush timer: the records' own stamps decide, so one
  // killed mid-run has left its trace up to a moment ago.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-batch-'));
  const file = path.join(dir, 'spool');
  const fd = fs.openSync(file, 'w');
  try {
    const batch = new TraceBatch(fd, 0, (message) => assert.fail(message), 0, 30e6);
    const written = () => fs.statSync(file).size / TRACE_RECORD_BYTES;
    batch.add(EventKind.Start, 1, 5e6);
    assert.equal(written(), 1, 'the first record at once');
    batch.add(EventKind.Print, 1, 20e6);
    batch.add(EventKind.Print, 2, 34e6);
    assert.equal(written(), 1, 'younger than the limit: they wait');
    batch.add(EventKind.Print, 3, 35e6);
    assert.equal(written(), 4, 'stamped 30 ms after the newest written: all go');
    batch.add(EventKind.Print, 4, 40e6);
    batch.flush();
    batch.add(EventKind.Print, 5, 60e6);
    assert.equal(written(), 5, 'a flush by hand counts as written: 20 ms since its newest');
    // Without a limit (the scheduler's batch) no record flushes by its stamp, not even the first.
    const unlimited = new TraceBatch(fd, 1, (message) => assert.fail(message));
    unlimited.add(EventKind.Grant, 1, 90e6);
    unlimited.add(EventKind.Grant, 2, 900e6);
    assert.equal(written(), 5, 'no limit: the records wait for a flush');
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
