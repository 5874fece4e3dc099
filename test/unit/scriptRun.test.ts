// A user's Python file traced by the engine (ScriptRun, no VS Code): the spool's metas
// validated, per-queue exactly-once by put tags, lines, failures, stop; and ScriptMeta refusing
// malformed metas with a message that names them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ScriptRun } from '../../src/engine/scriptRun';
import { EventKind } from '../../src/protocol/events';
import { ScriptMeta } from '../../src/trace/scriptMeta';
import { summarizeQueuesAndLocks } from '../../src/trace/scriptSummary';
import { TraceStore } from '../../src/trace/traceStore';
import { ROOT, groupMembers, isAlive } from './engineHelpers';

const SCRIPTS = path.join(ROOT, 'test', 'fixtures', 'scripts');
const traceScript = (name: string, extra: { args?: string[]; runTimeoutSeconds?: number } = {}) => new ScriptRun({
  python: 'python3', bootstrap: path.join(ROOT, 'python', 'trace_program.py'), file: path.join(SCRIPTS, name),
  runTimeoutSeconds: extra.runTimeoutSeconds ?? 60, ...(extra.args ? { args: extra.args } : {}),
});

test('the pipeline fixture: lanes, two queues exactly once, lines, sites in the file, nothing left', async () => {
  const run = traceScript('pipeline.py');
  const r = await run.done;
  assert.equal(r.ok, true, r.failure);
  assert.deepEqual(r.processes.map((p) => [p.name, p.exitCode]), [['MainProcess', 0], ['producer', 0], ['squarer', 0], ['collector', 0]]);
  assert.deepEqual(r.lines, ['total 2470']);
  assert.deepEqual(r.queues.map((q) => [q.label, q.puts, q.gets, q.left, q.exactlyOnce]), [['pipeline.py:31', 21, 21, 0, true], ['pipeline.py:32', 21, 21, 0, true]]);
  const source = fs.readFileSync(path.join(SCRIPTS, 'pipeline.py'), 'utf8').split('\n');
  let located = 0;
  for (let i = 0; i < run.trace.length; i++) {
    const e = run.trace.get(i);
    if (e.kind !== EventKind.Put) { continue; }
    const site = run.meta.sites.get(e.site);
    assert.ok(site, `put ${i} has a site`);
    assert.match(source[site.line - 1], /\.put\(/, `put ${i} points at a put call`);
    assert.ok(run.meta.text(e.aux, e.value) !== undefined, 'its repr is known');
    located++;
  }
  assert.equal(located, 42);
  for (const p of r.processes) { assert.equal(isAlive(p.pid), false); }
  assert.deepEqual(groupMembers(run.pid!), []);
});

test('a timeout ends a program that never ends, gracefully, leaving nothing', async () => {
  const run = traceScript('never_ends.py', { runTimeoutSeconds: 2 });
  const r = await run.done;
  assert.equal(r.timedOut, true);
  assert.equal(r.ok, false);
  assert.equal(r.processes[0].exitCode, 143, 'main ended by the SIGTERM it got (multiprocessing cleaned up)');
  assert.deepEqual(groupMembers(run.pid!), []);
});

test('a child that raises and a SyntaxError in main fail the run, naming the cause', async () => {
  const child = await traceScript('child_raises.py').done;
  assert.match(child.failure ?? '', /process "bomber" \(pid \d+\) raised ValueError: boom 7/);
  const syntax = await traceScript('syntax_error.py').done;
  assert.match(syntax.failure ?? '', /main process raised .*SyntaxError/s);
});

test('ScriptMeta refuses malformed or oversized metas with a message naming them', () => {
  const m = new ScriptMeta();
  assert.throws(() => m.add('not json'), /not JSON/);
  assert.throws(() => m.add('[1]'), /not a JSON object/);
  assert.throws(() => m.add('{"type":"lane","proc":-1,"name":"x","pid":1}'), /"lane" meta frame has a bad proc/);
  assert.throws(() => m.add(JSON.stringify({ type: 'lane', proc: 1, name: 'x'.repeat(101), pid: 1 })), /"lane" meta/);
  assert.throws(() => m.add('{"type":"object","obj":1,"kind":"pipe","label":"a.py:1"}'), /kind \(one of queue/);
  assert.throws(() => m.add('{"type":"untraced","what":"rm -rf","site":0}'), /bad what/);
  assert.throws(() => m.add('{"type":"evil"}'), /unknown type "evil"/);
  m.add('{"type":"site","site":3,"file":"/x/a.py","line":7}');
  m.add('{"type":"untraced","what":"Pool","site":3}');
  assert.deepEqual([...m.untraced], ['Pool at a.py:7']);
});

test('exactly-once per queue goes by put tags: equal values are told apart, a lost item is seen', () => {
  const meta = new ScriptMeta();
  meta.add('{"type":"object","obj":1,"kind":"queue","label":"a.py:1","site":0,"capacity":0}');
  meta.add('{"type":"object","obj":2,"kind":"lock","label":"a.py:2","site":0}');
  const t = new TraceStore();
  // Lane 1 puts the same value twice (tags 1 and 2); lane 2 gets tag 1 twice and never tag 2.
  t.append(EventKind.Put, 1, 1, 10, 0, 1, 0, 1, 0);
  t.append(EventKind.Put, 1, 2, 11, 0, 1, 0, 1, 0);
  t.append(EventKind.Get, 2, 1, 12, 0, 1, 0, 1, 0);
  t.append(EventKind.Get, 2, 1, 13, 0, 1, 0, 1, 0);
  t.append(EventKind.LockWait, 2, 0, 14, 2e6, 0, 0, 2, 0);
  t.append(EventKind.LockHeld, 2, 0, 16, 1e6, 0, 0, 2, 0);
  const { queues, locks } = summarizeQueuesAndLocks(t, meta);
  assert.deepEqual(queues, [{ id: 1, label: 'a.py:1', puts: 2, gets: 2, left: 0, exactlyOnce: false }]);
  assert.deepEqual(locks, [{ id: 2, label: 'a.py:2', acquisitions: 1, contended: 1, waitMs: 2 }]);
});
