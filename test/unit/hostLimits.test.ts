// Issue 11, host-side pieces without VS Code: progress with several shouters, the export writer
// (temporary file + rename, a clear message and nothing left on any error), a run's export in
// pieces (never one giant string), and forgetting a cached interpreter that can no longer start.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../../src/shared/config';
import { forgetPython, pythonCandidates, resolvePython } from '../../src/engine/python';
import { EventKind, SENTINEL } from '../../src/protocol/events';
import { chromeTracePieces, exportChromeTrace } from '../../src/trace/chromeTrace';
import { importChromeTrace } from '../../src/trace/traceImport';
import { HeardProgress } from '../../src/trace/progress';
import { TraceStore } from '../../src/trace/traceStore';
import { writePiecesAtomically } from '../../src/trace/writeAtomically';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-limits-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('progress with 8 shouters counts messages heard of messages × shouters, never "done"', () => {
  const trace = new TraceStore();
  const p = new HeardProgress(trace, { messageCount: 10, shouters: 8 });
  assert.equal(p.total, 80);
  for (let i = 1; i <= 10; i++) { trace.append(EventKind.Get, 8, i, i, 0, 0); } // shouter 1's ten messages
  trace.append(EventKind.Get, 8, SENTINEL, 11, 0, 0);
  assert.equal(p.heard, 10, 'one shouter of eight done is one eighth, not 100%');
  for (let s = 1; s < 8; s++) { for (let i = 1; i <= 10; i++) { trace.append(EventKind.Get, 9, i, 20 + i, 0, s); } }
  for (let h = 0; h < 7; h++) { trace.append(EventKind.Get, 9, SENTINEL, 40, 0, 0); }
  assert.equal(p.heard, 80);
});

test('export: a missing folder, a read-only folder, a folder as the target: a message naming the file, nothing left', async () => {
  const cases: [string, RegExp][] = [
    [path.join(tmp, 'no-such-folder', 'out.json'), /folder does not exist \(ENOENT\)/],
    [path.join(tmp, 'a-folder'), /EISDIR|EEXIST|is a folder/],
  ];
  fs.mkdirSync(path.join(tmp, 'a-folder'));
  if (process.getuid?.() !== 0) {
    fs.mkdirSync(path.join(tmp, 'read-only'), { mode: 0o555 });
    cases.push([path.join(tmp, 'read-only', 'out.json'), /not writable \(EACCES\)/]);
  }
  for (const [target, why] of cases) {
    const before = fs.existsSync(path.dirname(target)) ? fs.readdirSync(path.dirname(target)) : [];
    await assert.rejects(writePiecesAtomically(target, ['{"a":', '1}']), (err: Error) => err.message.includes(target) && why.test(err.message), target);
    const after = fs.existsSync(path.dirname(target)) ? fs.readdirSync(path.dirname(target)) : [];
    assert.deepEqual(after, before, `nothing left beside ${target}`);
  }
});

test('export: an error in the middle of writing (a full disk) leaves nothing, and the old file untouched', async (t) => {
  if (!fs.existsSync('/dev/full')) { t.skip('no /dev/full'); return; }
  // /dev/full fails every write with ENOSPC: a folder whose temporary file is /dev/full is not
  // possible, so the pieces themselves fail half way, as a writer would on a full disk.
  const target = path.join(tmp, 'kept.json');
  fs.writeFileSync(target, 'the previous export');
  function* failing(): Generator<string> { yield 'x'.repeat(1 << 20); throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }); }
  await assert.rejects(writePiecesAtomically(target, failing()), (err: Error) => err.message.includes(target) && /disk is full/.test(err.message));
  assert.equal(fs.readFileSync(target, 'utf8'), 'the previous export');
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.includes('kept.json')), ['kept.json']);
});

test('export writes a run in pieces: no piece is large, whatever the number of events, and it reads back', async () => {
  const trace = new TraceStore();
  const n = 300_000;
  for (let i = 0; i < n; i++) { trace.append(EventKind.Print, 0, (i % 10) + 1, i, 1, 0); }
  const lines = Array.from({ length: 50_000 }, (_, i) => `Shout: ${(i % 10) + 1}`);
  const run = { id: 'run-big-1', config: { ...defaultConfig() }, seed: 1, processes: [{ proc: 0, role: 'shouter' as const, name: 'shouter', pid: 1 }], trace, lines, summary: null };
  let largest = 0;
  let total = 0;
  for (const piece of chromeTracePieces(run)) { largest = Math.max(largest, piece.length); total += piece.length; }
  assert.ok(largest < 4 * 1024 * 1024, `the largest piece is ${largest} characters of ${total}`);
  const target = path.join(tmp, 'big.json');
  await writePiecesAtomically(target, chromeTracePieces(run));
  const back = importChromeTrace(fs.readFileSync(target, 'utf8'));
  assert.equal(back.trace.length, n);
  assert.deepEqual(back.lines, lines);
  assert.equal(fs.readFileSync(target, 'utf8'), exportChromeTrace(run));
});

test('an interpreter that can no longer start is forgotten: the next lookup asks again', async (t) => {
  let real: string;
  try { real = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim(); } catch { t.skip('no python3'); return; }
  const venv = fs.mkdtempSync(path.join(tmp, 'venv-'));
  const link = path.join(venv, 'python');
  fs.symlinkSync(real, link);
  const first = await resolvePython([{ source: 'test', command: link, explicit: true }]);
  assert.equal(first.executable, link);
  fs.rmSync(venv, { recursive: true }); // the virtual environment is deleted
  forgetPython(first.executable);
  await new Promise((r) => setImmediate(r));
  await assert.rejects(resolvePython([{ source: 'test', command: link, explicit: true }]), /not found/);
});

test('untrusted workspace: only the user\'s own interpreter setting or python3 on PATH, and the manifest says so exactly', () => {
  const sources = (c: ReturnType<typeof pythonCandidates>) => c.map((x) => `${x.source}=${x.command}`);
  assert.deepEqual(sources(pythonCandidates({ trusted: false, userPythonPath: '/usr/bin/python3.11', extensionInterpreter: '/ws/.venv/bin/python' })),
    ['setting shoutHear.pythonPath=/usr/bin/python3.11', 'python3 on PATH=python3']);
  assert.deepEqual(sources(pythonCandidates({ trusted: false, extensionInterpreter: '/ws/.venv/bin/python' })), ['python3 on PATH=python3']);
  assert.deepEqual(sources(pythonCandidates({ trusted: true, extensionInterpreter: '/ws/.venv/bin/python' })),
    ["the Python extension's interpreter=/ws/.venv/bin/python", 'python3 on PATH=python3']);
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;
  const raw = manifest.capabilities.untrustedWorkspaces;
  // The description is localizable: package.json names its package.nls.json key.
  const untrusted = { ...raw, description: nls[/^%(.+)%$/.exec(raw.description)?.[1] ?? ''] ?? raw.description };
  assert.equal(untrusted.supported, 'limited');
  assert.deepEqual([...untrusted.restrictedConfigurations].sort(), ['shoutHear.engine', 'shoutHear.pythonPath']);
  assert.match(untrusted.description, /shoutHear\.engine and shoutHear\.pythonPath are ignored/);
  assert.match(untrusted.description, /only your own shoutHear\.pythonPath \(user settings\) or python3 on PATH, never the Python extension's interpreter/);
  assert.equal(manifest.contributes.configuration.properties['shoutHear.pythonPath'].scope, 'machine');
});

test('an export of a run whose transcript hit its cap says how much output was not kept', () => {
  const trace = new TraceStore();
  trace.append(EventKind.Put, 0, 1, 5, 0, 0);
  const base = { id: 'run-cap-1', config: defaultConfig(), seed: 1, processes: [{ proc: 0, role: 'shouter' as const, name: 's', pid: 1 }], trace, lines: ['Shout: 1'], summary: null };
  const root = JSON.parse(exportChromeTrace({ ...base, outputBytesNotKept: 12_345 }));
  assert.match(root.otherData.outputNotKept, /12345 bytes of output past the transcript's size cap were not kept/);
  assert.equal(JSON.parse(exportChromeTrace(base)).otherData.outputNotKept, undefined);
});
