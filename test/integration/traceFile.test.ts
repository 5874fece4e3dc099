// Trace Python File (shoutHear.traceFile) in a real VS Code: the fixture programs a learner
// writes (test/fixtures/scripts), each checked for lanes, lines, per-queue exactly-once, event
// source lines in the fixture file, and no process left (its lanes and its whole process group).
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ScriptResult } from '../../src/trace/scriptSummary';
import { api, isAlive, screenshot, waitFor } from './helpers';

const SCRIPTS = path.resolve(__dirname, '../../../test/fixtures/scripts');
const uriOf = (name: string) => vscode.Uri.file(path.join(SCRIPTS, name));
const trace = (name: string, overrides: object = {}): Promise<ScriptResult> =>
  Promise.resolve(vscode.commands.executeCommand<ScriptResult>('shoutHear.traceFile', uriOf(name), overrides));

/** Live (non-zombie) processes in process group `pgid`. */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) { continue; }
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) { out.push(Number(entry)); }
    } catch { /* ended while we looked */ }
  }
  return out;
}

/** Every event's site is in the fixture file, on a line of it; every lane's process and the group are gone. */
async function checkRun(r: ScriptResult, name: string): Promise<{ events: { kind: number; proc: number; tMs: number; file?: string; line?: number }[] }> {
  const detail = (await api()).scriptRun(r.runId);
  assert.ok(detail, 'the run is kept in the store');
  const file = path.join(SCRIPTS, name);
  const lineCount = fs.readFileSync(file, 'utf8').split('\n').length;
  const located = detail.events.filter((e) => e.file !== undefined);
  assert.ok(located.length > 0, 'events carry source locations');
  for (const e of located) {
    if (e.file !== file) { assert.equal(path.basename(e.file!), 'fixture_helper.py', `event ${e.kind} points into ${e.file}`); continue; }
    assert.ok(e.line! >= 1 && e.line! <= lineCount, `line ${e.line} is in ${name}`);
  }
  for (const pid of detail.pids) { assert.equal(isAlive(pid), false, `pid ${pid} is gone`); }
  assert.deepEqual(groupMembers(detail.leaderPid!), [], 'nothing of its process group is left (forkserver, resource tracker)');
  return detail;
}

/** The line (1-based) of the first line of a fixture that contains `text`. */
const lineOf = (name: string, text: string) => fs.readFileSync(path.join(SCRIPTS, name), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

suite('Trace Python File', () => {
  suiteSetup(async () => { await api(); });
  teardown(async () => { await vscode.commands.executeCommand('shoutHear.stop'); });

  test('the lesson as a learner types it: lanes, lines, one queue exactly once, the print lock, sites', async () => {
    const r = await trace('lesson.py', { args: ['12', '0.001'] });
    assert.equal(r.ok, true, r.failure);
    assert.equal(r.engine, 'script');
    assert.equal(r.file, path.join(SCRIPTS, 'lesson.py'));
    assert.deepEqual(r.processes.map((p) => p.name), ['MainProcess', 'Process-1', 'Process-2']);
    assert.ok(r.processes.every((p) => p.exitCode === 0 && typeof p.pid === 'number'));
    assert.deepEqual(r.lines.filter((l) => l.startsWith('Shout')), Array.from({ length: 12 }, (_, i) => `Shout: ${i + 1}`));
    assert.deepEqual(r.lines.filter((l) => l.startsWith('Hear')), Array.from({ length: 12 }, (_, i) => `Hear: ${i + 1}`));
    assert.equal(r.lines.length, 24);
    assert.deepEqual(r.queues, [{ id: r.queues[0].id, label: `lesson.py:${lineOf('lesson.py', 'multiprocessing.Queue()')}`, puts: 13, gets: 13, left: 0, exactlyOnce: true }]);
    assert.equal(r.locks.length, 1);
    assert.equal(r.locks[0].label, `lesson.py:${lineOf('lesson.py', 'multiprocessing.Lock()')}`);
    assert.equal(r.locks[0].acquisitions, 24);
    assert.ok(r.events > 60, `${r.events} events`);
    const d = await checkRun(r, 'lesson.py');
    const putLines = new Set(d.events.filter((e) => e.kind === 4).map((e) => e.line));
    assert.deepEqual([...putLines].sort(), [lineOf('lesson.py', 'q.put(i)'), lineOf('lesson.py', 'q.put("done")')].sort());
    // The program view works on the user's file: each process's line, by its events' sites.
    const shown = await vscode.commands.executeCommand<{ uri: string; marks: { name: string; line: number }[] }>(
      'shoutHear.showProgram', { runId: r.runId, tMs: r.durationMs });
    assert.equal(vscode.Uri.parse(shown.uri).fsPath, path.join(SCRIPTS, 'lesson.py'));
    assert.ok(shown.marks.length >= 2, JSON.stringify(shown.marks));
    assert.ok(shown.marks.every((m) => m.line >= 1 && m.line <= 45), JSON.stringify(shown.marks));
    const out = (await api()).outputText();
    assert.match(out, /tracing .*lesson\.py "12" "0\.001"/);
    assert.match(out, /queue lesson\.py:\d+: 13 puts, 13 gets, 0 left · exactly once ✓/);
    assert.match(out, /never traced: .*threads/);
  });

  test('a three-stage pipeline: four lanes, two queues each exactly once, the bounded one respected; screenshot', async () => {
    const r = await trace('pipeline.py');
    assert.equal(r.ok, true, r.failure);
    assert.deepEqual(r.processes.map((p) => p.name), ['MainProcess', 'producer', 'squarer', 'collector']);
    assert.deepEqual(r.lines, ['total 2470']);
    assert.deepEqual(r.queues.map((q) => [q.label, q.puts, q.gets, q.left, q.exactlyOnce]),
      [['pipeline.py:31', 21, 21, 0, true], ['pipeline.py:32', 21, 21, 0, true]]);
    const d = await checkRun(r, 'pipeline.py');
    const t = (await api()).timeline;
    await vscode.commands.executeCommand('shoutHear.showTimeline');
    t.showRun(r.runId);
    const drawn = await t.waitForRendered((x) => x.runId === r.runId && x.events === r.events, 20_000);
    assert.deepEqual(drawn.lanes.slice(0, 4), ['MainProcess', 'producer', 'squarer', 'collector']);
    // The program view on the pipeline's own file, at the squarer's tenth get: each stage's line.
    const tenth = d.events.filter((e) => e.kind === 6 && e.proc === 2)[9];
    const shown = await vscode.commands.executeCommand<{ marks: { name: string; line: number }[] }>('shoutHear.showProgram', { runId: r.runId, tMs: tenth.tMs });
    assert.ok(shown.marks.some((m) => m.name === 'squarer' && m.line >= lineOf('pipeline.py', 'def square')), JSON.stringify(shown.marks));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('trace-pipeline');
    // Clicking an event (the page's message) opens the fixture at that event's line.
    const put = d.events.findIndex((e) => e.kind === 4 && e.file === path.join(SCRIPTS, 'pipeline.py'));
    assert.equal(t.receiveFromWebview({ type: 'openSource', runId: r.runId, event: put }), true);
    await waitFor('the fixture opened at the put', () => vscode.window.visibleTextEditors.some((ed) =>
      ed.document.uri.fsPath === path.join(SCRIPTS, 'pipeline.py') && ed.selection.active.line === d.events[put].line! - 1));
    assert.equal(t.receiveFromWebview({ type: 'openSource', runId: r.runId, event: 'x' }), false, 'a bad message is refused');
  });

  test('Export writes each event\'s file and line; Compare stacks two traced runs; Replay says it is not offered', async () => {
    const a = await trace('lesson.py', { args: ['5', '0'] });
    const b = await trace('lesson.py', { args: ['5', '0'] });
    assert.equal(a.ok && b.ok, true, a.failure ?? b.failure);
    const target = path.join(SCRIPTS, '..', '..', '..', 'out', `trace-${a.runId}.json`);
    const exported = await vscode.commands.executeCommand<{ uri: string; events: number }>('shoutHear.exportTrace', a.runId, target);
    assert.equal(exported.events, a.events);
    const json = JSON.parse(fs.readFileSync(target, 'utf8')) as { traceEvents: { name: string; args?: { file?: string; line?: number } }[] };
    const puts = json.traceEvents.filter((e) => e.name === 'put');
    assert.equal(puts.length, 6);
    assert.ok(puts.every((e) => e.args?.file === path.join(SCRIPTS, 'lesson.py') && typeof e.args.line === 'number'), JSON.stringify(puts[0]));
    fs.rmSync(target, { force: true });
    const t = (await api()).timeline;
    t.showCompare(b.runId, a.runId);
    const drawn = await t.waitForRendered((x) => x.runId === b.runId && x.compareRunId === a.runId, 20_000);
    assert.ok(drawn.lanes.length >= 3);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.replayRun', a.runId)), /Replay is not offered for traced programs/);
  });

  test('a JoinableQueue with task_done and join; daemon workers ended by multiprocessing still make it ok', async () => {
    const r = await trace('joinable.py');
    assert.equal(r.ok, true, r.failure);
    assert.equal(r.processes.length, 3);
    assert.deepEqual(r.lines.filter((l) => l.startsWith('done with')).sort(), ['done with a', 'done with a', 'done with b', 'done with c']);
    assert.equal(r.lines[r.lines.length - 1], 'all tasks done');
    assert.deepEqual(r.queues.map((q) => [q.puts, q.gets, q.exactlyOnce]), [[4, 4, true]]);
    const d = await checkRun(r, 'joinable.py');
    assert.equal(d.events.filter((e) => e.kind === 12).length, 4, 'four task_done');
    assert.ok(d.events.some((e) => e.kind === 13 && e.line === lineOf('joinable.py', 'tasks.join()')), 'join waits at its line');
  });

  test('a child that raises fails the run naming it, with its traceback in the output channel', async () => {
    const r = await trace('child_raises.py');
    assert.equal(r.ok, false);
    assert.match(r.failure ?? '', /process "bomber" \(pid \d+\) raised ValueError: boom 7/);
    assert.deepEqual(r.lines, ['about to fail 7', 'child exit code 1']);
    assert.equal(r.processes.find((p) => p.name === 'bomber')?.exitCode, 1);
    await checkRun(r, 'child_raises.py');
    const out = (await api()).outputText();
    assert.match(out, /Process bomber:\nTraceback \(most recent call last\):[\s\S]*child_raises\.py", line \d+, in boom[\s\S]*ValueError: boom 7/);
  });

  test('a SyntaxError in main fails the run with the error shown', async () => {
    const r = await trace('syntax_error.py');
    assert.equal(r.ok, false);
    assert.match(r.failure ?? '', /SyntaxError/);
    assert.match((await api()).outputText(), /SyntaxError/);
  });

  test('a program that never ends times out and leaves nothing (its semaphores too)', async () => {
    const r = await trace('never_ends.py', { runTimeoutSeconds: 2 });
    assert.equal(r.timedOut, true);
    assert.equal(r.ok, false);
    assert.match(r.failure ?? '', /timed out after 2 s/);
    assert.ok(r.queues[0].puts > 0);
    await checkRun(r, 'never_ends.py');
  });

  test('Stop ends a traced program (forkserver) and leaves nothing', async () => {
    const pending = trace('never_ends.py', { pythonStartMethod: 'forkserver' });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await vscode.commands.executeCommand('shoutHear.stop');
    const r = await pending;
    assert.equal(r.stopped, true);
    assert.equal(r.ok, false);
    await checkRun(r, 'never_ends.py');
  });

  test('a program that sets spawn itself: nested processes, an RLock, a SimpleQueue', async () => {
    const r = await trace('sets_spawn.py', { pythonStartMethod: 'fork' });
    assert.equal(r.ok, true, r.failure);
    assert.deepEqual(r.processes.map((p) => p.name), ['MainProcess', 'child', 'grandchild']);
    assert.deepEqual(r.lines, ['from the grandchild', 'start method spawn']);
    assert.deepEqual(r.queues.map((q) => [q.puts, q.gets, q.exactlyOnce]), [[1, 1, true]]);
    assert.equal(r.locks[0].acquisitions, 1, 'an RLock taken twice is held once (outermost)');
    await checkRun(r, 'sets_spawn.py');
  });

  test('an untitled editor is refused with a message, and bad overrides name what is allowed', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'print(1)\n' });
    await vscode.window.showTextDocument(doc);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.traceFile', undefined, {})), /untitled; save it as a \.py file first/);
    await assert.rejects(trace('lesson.py', { runTimeoutSeconds: 0 }), /runTimeoutSeconds must be an integer 1\.\.3600; got 0/);
    await assert.rejects(trace('lesson.py', { shell: true }), /unknown override "shell"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the active editor is traced (saved first) and the CodeLens sits on the main guard', async () => {
    // A copy in a folder of its own: the test edits it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-trace-test-'));
    fs.copyFileSync(path.join(SCRIPTS, 'pipeline.py'), path.join(dir, 'pipeline.py'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'pipeline.py')));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '    print("edited, not yet saved")\n'));
    assert.equal(doc.isDirty, true);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    const ours = lenses.filter((l) => l.command?.command === 'shoutHear.traceFile');
    assert.deepEqual(ours.map((l) => l.range.start.line + 1), [lineOf('pipeline.py', 'if __name__ == "__main__":')]);
    assert.equal(ours[0].command?.title, '▶ Trace with Shout/Hear');
    const r = await vscode.commands.executeCommand<ScriptResult>('shoutHear.traceFile', undefined, { args: [] });
    assert.equal(r.ok, true, r.failure);
    assert.equal(r.file, doc.uri.fsPath);
    assert.equal(doc.isDirty, false, 'saved before it ran');
    assert.deepEqual(r.lines, ['total 2470', 'edited, not yet saved'], 'the saved text is what ran');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
