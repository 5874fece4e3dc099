// Learn (issue 12) in a real VS Code: the walkthrough's contributions, Explain This Run on
// seeded runs of both engines, Show Program with each process's line marked at an instant,
// and State at an Instant stepped event by event from the start of a run to its end.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import type { Narration } from '../../src/learn/explain';
import type { StateAt } from '../../src/learn/stateAt';
import type { ShowProgramResult } from '../../src/commands/showProgram';
import { api, screenshot } from './helpers';

const run = (overrides: object) => vscode.commands.executeCommand<RunSummary>('shoutHear.run', overrides);
const explain = (runId?: string) => vscode.commands.executeCommand<Narration>('shoutHear.explainRun', runId);
const stateAt = (runId: string, tMs: number) => vscode.commands.executeCommand<StateAt>('shoutHear.stateAt', runId, tMs);

interface Step { id: string; title: string; description: string; media: { svg?: string; markdown?: string; image?: string; altText?: string }; completionEvents: string[] }

async function inThemes(name: string, show: () => Promise<void>): Promise<void> {
  const workbench = vscode.workspace.getConfiguration('workbench');
  try {
    for (const [theme, suffix] of [['Default Light Modern', 'light'], ['Default Dark Modern', 'dark'], ['Default High Contrast', 'hc']]) {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      await show();
      await new Promise((r) => setTimeout(r, 800));
      await screenshot(`${name}-${suffix}`);
    }
  } finally {
    await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  }
}

/** Every distinct event boundary of a kept run (ms), from the host's own trace. */
async function boundaries(runId: string): Promise<number[]> {
  const source = (await api()).timeline.sourceOf(runId);
  assert.ok(source, `run ${runId} is kept`);
  const times = new Set<number>();
  source.trace.scan((_k, _p, _v, t, dur) => { times.add(t / 1e6); times.add((t + dur) / 1e6); });
  return [...times].sort((a, b) => a - b);
}

function checkNarration(n: Narration, s: RunSummary): void {
  assert.equal(n.runId, s.runId);
  assert.ok(n.sentences.length >= 3, JSON.stringify(n.sentences));
  let prev = 0;
  for (const x of n.sentences) {
    assert.ok(x.phenomena.length > 0 && x.text.length > 0);
    assert.ok(x.fromMs >= prev - 1e-9 && x.fromMs <= x.toMs && x.toMs <= n.upToMs + 1e-9, `${x.fromMs}–${x.toMs} of ${n.upToMs}: ${x.text}`);
    prev = x.fromMs;
  }
  const all = n.sentences.flatMap((x) => x.phenomena);
  assert.equal(all[0], 'start');
  assert.ok(all.includes('end'));
  const noFight = n.sentences.some((x) => /^No acquire of the print lock was contended/.test(x.text));
  assert.ok(all.includes('lockContention') !== noFight, 'either the lock was fought over or the narration says it was not');
  const end = n.sentences.find((x) => x.phenomena.includes('end'))!;
  assert.match(end.text, new RegExp(`${s.lineCount} lines printed, ${s.config.messageCount} messages went through the queue`));
  const napSentences = n.sentences.filter((x) => x.phenomena.includes('nap'));
  if (s.naps <= 3) { assert.equal(napSentences.length, s.naps); } else { assert.match(napSentences[3].text, new RegExp(`^…and ${s.naps - 3} more naps?`)); }
}

suite('Learn', () => {
  let nodeRun: RunSummary;

  suiteSetup(async () => {
    const tl = (await api()).timeline;
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
  });

  test('the walkthrough: 7 steps, each with a button and completion events that exist', async () => {
    const ext = vscode.extensions.getExtension('shout-hear.shout-hear')!;
    const manifest = ext.packageJSON as { contributes: { walkthroughs: { id: string; title: string; steps: Step[] }[]; configuration: { properties: Record<string, unknown> } } };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.title, 'Learn concurrency with Shout/Hear');
    assert.ok(walkthrough.steps.length >= 6 && walkthrough.steps.length <= 7);
    const commands = new Set(await vscode.commands.getCommands(true));
    const settings = manifest.contributes.configuration.properties;
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const e of step.completionEvents) {
        const [kind, arg] = e.split(/:(.*)/s);
        if (kind === 'onCommand') { assert.ok(commands.has(arg), `${step.id}: ${arg} is a command`); }
        else if (kind === 'onSettingChanged') { assert.ok(arg in settings, `${step.id}: ${arg} is a setting`); }
        else { assert.fail(`${step.id}: unexpected completion event ${e}`); }
      }
      const buttons = [...step.description.matchAll(/\n\[[^\]]+\]\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(buttons.length > 0, `${step.id} has a button`);
      for (const b of buttons) { assert.ok(commands.has(b), `${step.id}: button runs ${b}`); }
      const media = step.media.svg ?? step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(ext.extensionPath, media)), `${step.id}: media ${media}`);
      assert.ok(step.media.altText, `${step.id}: alt text`);
    }
    assert.deepEqual(walkthrough.steps[0].completionEvents, ['onCommand:shoutHear.run']);
    assert.ok(walkthrough.steps.some((s) => s.completionEvents.includes('onSettingChanged:shoutHear.useLock')));
    await inThemes('learn-walkthrough', async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: 'shout-hear.shout-hear#learnConcurrency', step: 'shout-hear.shout-hear#learnConcurrency#readTimeline' }, false);
    });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Explain This Run on a seeded Node run: its story, with its numbers; no argument explains the run shown', async () => {
    nodeRun = await run({ engine: 'node', messageCount: 10, seed: 7, napMs: 20 });
    assert.equal(nodeRun.ok, true, nodeRun.failure);
    const n = await explain(nodeRun.runId);
    checkNarration(n, nodeRun);
    (await api()).timeline.showRun(nodeRun.runId);
    const shown = await explain();
    assert.equal(shown.runId, nodeRun.runId);
    assert.deepEqual(shown.sentences, n.sentences, 'deterministic');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'shout-hear-narration' && d.uri.path.includes(nodeRun.runId));
    assert.ok(doc, 'the narration is shown as a document');
    assert.ok(doc.getText().includes(n.sentences[0].text));
    await assert.rejects(Promise.resolve(explain('run-that-never-was')), /run-that-never-was is not kept/);
  });

  test('Explain This Run on a seeded Python run (the real multiprocessing program)', async () => {
    const s = await run({ engine: 'python', messageCount: 10, seed: 7, napMs: 20 });
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    checkNarration(await explain(s.runId), s);
  });

  test('State at an Instant, stepped event by event from start to end', async () => {
    const times = await boundaries(nodeRun.runId);
    const probes = [0, ...times.flatMap((t, k) => (k + 1 < times.length ? [t, (t + times[k + 1]) / 2] : [t]))];
    let printed = 0;
    const seen = new Set<string>();
    for (const t of probes) {
      const s = await stateAt(nodeRun.runId, t);
      assert.equal(s.tMs, t);
      assert.deepEqual(s.processes.map((p) => p.name), ['shouter', 'hearer']);
      assert.ok(s.printed >= printed, `printed never goes back (at ${t})`);
      printed = s.printed;
      for (const p of s.processes) {
        seen.add(p.state);
        assert.equal(p.line === null, p.state === 'notStarted' || p.state === 'exited', `${p.name} at ${t}: ${p.state} line ${p.line}`);
      }
      assert.ok(s.queue.every((q) => q.shouter === 1 && (q.message === 'done' || (q.message >= 1 && q.message <= 10))));
    }
    const last = await stateAt(nodeRun.runId, times[times.length - 1]);
    assert.deepEqual(last.processes.map((p) => p.state), ['exited', 'exited']);
    assert.deepEqual(last.queue, []);
    assert.equal(last.printed, nodeRun.lineCount);
    for (const state of ['running', 'printing', 'exited']) { assert.ok(seen.has(state), `saw ${state}: ${[...seen]}`); }
    await assert.rejects(Promise.resolve(stateAt(nodeRun.runId, -1)), /outside run/);
    await assert.rejects(Promise.resolve(stateAt(nodeRun.runId, times[times.length - 1] + 1)), /outside run/);
  });

  test('Show Program: the listing read-only beside the timeline, each process\'s line marked at an instant', async () => {
    const naps = (await api()).timeline.sourceOf(nodeRun.runId)!;
    let napAt: number | undefined;
    naps.trace.scan((kind, proc, _v, t, dur) => { if (napAt === undefined && kind === 8 && dur > 0) { napAt = (t + dur / 2) / 1e6; } });
    const tMs = napAt ?? 0;
    const shown = await vscode.commands.executeCommand<ShowProgramResult>('shoutHear.showProgram', { runId: nodeRun.runId, tMs });
    const expected = await stateAt(nodeRun.runId, tMs);
    assert.deepEqual(shown.marks.map((m) => [m.name, m.state, m.line]), expected.processes.filter((p) => p.line !== null).map((p) => [p.name, p.state, p.line]));
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown.uri);
    assert.ok(editor, 'the listing is visible');
    assert.equal(editor.document.uri.scheme, 'shout-hear-program');
    if (napAt !== undefined) {
      const shouter = shown.marks.find((m) => m.name === 'shouter')!;
      assert.equal(shouter.state, 'napping');
      assert.match(editor.document.lineAt(shouter.line - 1).text, /time\.sleep/);
    }
    assert.deepEqual((await api()).learn.marks(), shown.marks);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.showProgram', { runId: nodeRun.runId, tMs: -5 })), /outside run/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.showProgram', { color: 'red' })), /unknown option color/);
    (await api()).timeline.showRun(nodeRun.runId);
    await inThemes('learn-program', async () => {
      await vscode.commands.executeCommand('shoutHear.showProgram', { runId: nodeRun.runId, tMs });
    });
    // For the README: a narrated run beside the timeline, then the program with its marks.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await explain(nodeRun.runId);
    await new Promise((r) => setTimeout(r, 800));
    await screenshot('learn-readme-narration');
    await vscode.commands.executeCommand('shoutHear.showProgram', { runId: nodeRun.runId, tMs });
    await new Promise((r) => setTimeout(r, 800));
    await screenshot('learn-readme-program');
    await vscode.commands.executeCommand('workbench.action.toggleSidebarVisibility');
    const node = await vscode.commands.executeCommand<ShowProgramResult>('shoutHear.showProgram', { engine: 'node' });
    const nodeDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === node.uri)!;
    assert.match(nodeDoc.getText(), /src\/workers\/shouter\.ts[\s\S]*rng\.random\(\) < config\.napProbability[\s\S]*src\/workers\/hearer\.ts/);
  });
});
