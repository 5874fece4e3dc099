// The Python engine (the lesson's own multiprocessing program) in a real VS Code, with this machine's python3.
import * as assert from 'assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, isAlive, setSetting } from './helpers';

const run = async (overrides?: object): Promise<RunSummary> => vscode.commands.executeCommand<RunSummary>('shoutHear.run', overrides);

suite('Python engine', () => {
  suiteSetup(async () => { await api(); });
  teardown(async () => {
    await vscode.commands.executeCommand('shoutHear.stop');
    await setSetting('pythonPath', undefined);
  });

  test('a run prints the lines, holds the invariant, draws, and leaves no process', async () => {
    const s = await run({ engine: 'python', messageCount: 12, seed: 1, napMs: 5 });
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    assert.equal(s.engine, 'python');
    assert.equal(s.lines!.length, 24);
    const node = await run({ engine: 'node', messageCount: 12, seed: 1, napMs: 5 });
    assert.equal(s.naps, node.naps, 'the same seed gives the same naps on both engines');
    assert.ok(s.allPids.length >= 3, `main and its children: ${s.allPids}`);
    for (const pid of s.allPids) { assert.equal(isAlive(pid), false, `pid ${pid} is gone`); }
    const drawn = await (await api()).timeline.waitForRendered((r) => r.runId === s.runId && r.events > 0, 20_000).catch(() => undefined);
    if (drawn) { assert.ok(drawn.events > 0); }
  });

  test('an interpreter deleted after it was found (a removed venv): the run ends at once naming it, then it is looked up again', async () => {
    const real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-venv-'));
    const link = path.join(venv, 'python');
    fs.symlinkSync(real, link);
    await setSetting('pythonPath', link);
    const first = await run({ engine: 'python', messageCount: 3, seed: 1, napMs: 1 });
    assert.equal(first.ok, true, first.failure ?? first.invariant);
    fs.rmSync(venv, { recursive: true });
    // runTimeoutSeconds 3600: only an immediate end can pass.
    await assert.rejects(run({ engine: 'python', messageCount: 3, runTimeoutSeconds: 3600 }), (err: Error) => err.message.includes(link) && /ENOENT|does not exist/.test(err.message));
    // The cached answer was dropped: this time the setting is asked again, and found missing.
    await assert.rejects(run({ engine: 'python', messageCount: 3 }), /setting shoutHear\.pythonPath .*: not found/);
    fs.mkdirSync(venv);
    fs.symlinkSync(real, link);
    const again = await run({ engine: 'python', messageCount: 3, seed: 2, napMs: 1 });
    assert.equal(again.ok, true, again.failure ?? again.invariant);
    fs.rmSync(venv, { recursive: true });
  });

  test('stop during a Python run leaves none of its processes', async () => {
    const pending = run({ engine: 'python', messageCount: 500, napProbability: 1, napMs: 50, pythonStartMethod: 'forkserver' });
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('shoutHear.stop');
    const s = await pending;
    assert.equal(s.stopped, true);
    for (const pid of s.allPids) { assert.equal(isAlive(pid), false, `pid ${pid} is gone`); }
  });

  test('lock policies other than os are said not to apply', async () => {
    const s = await run({ engine: 'python', messageCount: 3, lockPolicy: 'fifo', napProbability: 0 });
    assert.equal(s.ok, true, s.failure);
    assert.match((s.notes ?? []).join(' '), /does not apply to the Python engine/);
  });

  test('a missing interpreter gives the message, and the Node engine keeps working', async () => {
    await setSetting('pythonPath', '/nonexistent/bin/python3');
    await assert.rejects(run({ engine: 'python', messageCount: 2 }),
      /No Python 3\.8 or newer .*Tried: setting shoutHear\.pythonPath \(\/nonexistent\/bin\/python3\): not found.*set shoutHear\.pythonPath/);
    const node = await run({ engine: 'node', messageCount: 2, napProbability: 0 });
    assert.equal(node.ok, true);
  });

  test("a workspace's pythonPath is ignored (machine setting)", async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settings = path.join(folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'shoutHear.pythonPath': '/nonexistent/evil-python' }));
    try {
      await new Promise((r) => setTimeout(r, 500)); // let VS Code read the file
      const s = await run({ engine: 'python', messageCount: 2, napProbability: 0 });
      assert.equal(s.ok, true, s.failure);
    } finally {
      fs.rmSync(path.dirname(settings), { recursive: true, force: true });
    }
  });

  test('Compare Engines runs both on one seed and stacks their timelines', async () => {
    const c = await vscode.commands.executeCommand<{ node: RunSummary; python: RunSummary; order: { identical: boolean } }>(
      'shoutHear.compareEngines', { messageCount: 10, napMs: 3 });
    assert.equal(c.node.seed, c.python.seed);
    assert.equal(c.node.engine, 'node');
    assert.equal(c.python.engine, 'python');
    assert.equal(c.node.ok && c.python.ok, true);
    assert.match((await api()).outputText(), /Compare engines: same settings, seed \d+/);
    const tl = (await api()).timeline;
    await tl.waitForRendered((r) => r.runId === c.node.runId && r.compareRunId === c.python.runId, 30_000);
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
  });
});
