// Export Trace and Open Trace File in a real VS Code: the format's rules, a round trip, hostile files.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, setSetting } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-traces-'));

suite('Trace files', () => {
  suiteSetup(async () => { await api(); await setSetting('openTimeline', 'never'); });
  suiteTeardown(async () => { await setSetting('openTimeline', undefined); fs.rmSync(dir, { recursive: true, force: true }); });

  test('export follows the Chrome Trace Event rules and opens again identical', async () => {
    const s = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 12, seed: 4, napMs: 2 });
    const file = path.join(dir, 'run.json');
    const exported = await vscode.commands.executeCommand<{ uri: string; events: number }>('shoutHear.exportTrace', s.runId, vscode.Uri.file(file));
    assert.equal(exported.events, s.events);
    const text = fs.readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    assert.equal(Object.keys(json)[0], 'displayTimeUnit', 'displayTimeUnit comes first');
    const events = json.traceEvents as { ph: string; name: string; ts?: number; dur?: number; id?: number; args?: { name?: string } }[];
    const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    assert.ok(names.some((n) => n?.startsWith('shouter')) && names.some((n) => n?.startsWith('hearer')), `thread names: ${names}`);
    const spans = events.filter((e) => e.ph === 'X');
    assert.ok(spans.length >= 24 && spans.every((e) => typeof e.ts === 'number' && typeof e.dur === 'number' && e.dur >= 0));
    const starts = events.filter((e) => e.ph === 's');
    const ends = events.filter((e) => e.ph === 'f');
    assert.equal(starts.length, 12, 'one flow per message');
    assert.deepEqual(new Set(starts.map((e) => e.id)), new Set(ends.map((e) => e.id)));
    assert.equal(new Set(starts.map((e) => e.id)).size, 12, 'a fresh id per message');
    assert.ok(events.some((e) => e.ph === 'C'), 'queue depth counter');

    const opened = await vscode.commands.executeCommand<{ runId: string; events: number; lines: number }>('shoutHear.openTraceFile', vscode.Uri.file(file));
    // The run itself is still kept in this window: the import gets a fresh id, hiding nothing.
    assert.deepEqual(opened, { runId: `${s.runId}-import-1`, events: s.events, lines: s.lineCount, renamedFrom: s.runId });
    const tl = (await api()).timeline;
    assert.ok(tl.keptRunIds().includes(s.runId) && tl.keptRunIds().includes(opened.runId), `kept: ${tl.keptRunIds()}`);
    const drawn = await tl.waitForRendered((r) => r.runId === opened.runId && r.events === s.events, 30_000);
    assert.deepEqual(drawn.transcriptSample.slice(0, 4), s.lines!.slice(0, 4));
  });

  test('a corrupt or foreign file gets a clear error and changes nothing', async () => {
    const tl = (await api()).timeline;
    const kept = tl.keptRunIds();
    const cases: [string, string, RegExp][] = [
      ['truncated.json', '{"displayTimeUnit":"ns","traceEvents":[', /not valid JSON|damaged|JSON/i],
      ['foreign.json', JSON.stringify({ traceEvents: [{ ph: 'X', name: 'x', ts: 1, dur: 1, pid: 1, tid: 1 }] }), /not exported by Shout\/Hear/],
      ['hostile.json', '{"__proto__":{"polluted":true},"shoutHear":{}}', /damaged|changed by hand|not exported/],
      ['text.json', 'hello', /JSON/],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.openTraceFile', vscode.Uri.file(file)), message, name);
    }
    assert.deepEqual(tl.keptRunIds(), kept, 'nothing was added');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.exportTrace', 42), /takes a run id/);
  });

  test('an export that cannot be written says which file and why, and leaves nothing', async () => {
    const s = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 3, seed: 2, napMs: 1 });
    const target = path.join(dir, 'missing-folder', 'run.json');
    await assert.rejects(async () => vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(target)),
      (err: Error) => err.message.includes(target) && /folder does not exist/.test(err.message));
    assert.equal(fs.existsSync(path.dirname(target)), false);
    const beside = path.join(dir, 'again.json');
    await vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(beside));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('again.json')), ['again.json'], 'no temporary file left');
  });
});
