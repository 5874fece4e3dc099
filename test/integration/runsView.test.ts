// The Runs view in the Shout/Hear sidebar: after two runs it lists both (newest first, ✓, how the
// settings differ from the defaults, summary facts when expanded), and its context commands work
// on a chosen run when called with the tree element, as VS Code calls them from the menu.
// Screenshots of the sidebar with and without runs, in a dark and a light theme.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import type { RunsElement } from '../../src/views/runs/runsTree';
import { api, openTimelineDuringSuite, screenshot, waitFor } from './helpers';

suite('Runs view', function () {
  this.timeout(180_000);
  openTimelineDuringSuite('never');
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  });

  async function shootSidebar(name: string): Promise<void> {
    await vscode.commands.executeCommand('workbench.view.extension.shoutHear');
    for (const theme of ['Default Dark Modern', 'Default Light Modern']) {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      await new Promise((r) => setTimeout(r, 800));
      await screenshot(`${name}-${theme.includes('Light') ? 'light' : 'dark'}`);
    }
  }

  test('with no runs kept the view is empty and shows its welcome (screenshots sidebar-empty-*)', async () => {
    const shoutHear = await api();
    for (const id of shoutHear.timeline.keptRunIds()) { await vscode.commands.executeCommand('shoutHear.forgetRun', id); }
    shoutHear.explore.forgetShown();
    assert.deepEqual(shoutHear.runsView.children(), []);
    await shootSidebar('sidebar-empty');
  });

  test('after two runs it lists both, newest first; its context commands work on a chosen run (screenshots sidebar-runs-*)', async () => {
    const shoutHear = await api();
    const first = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 3, napProbability: 0 });
    const second = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 4, napProbability: 0.5, useLock: true });
    assert.ok(first.ok && second.ok);
    await waitFor('the view to list both runs', () => shoutHear.runsView.children().filter((e) => e.kind === 'run').length >= 2);
    const runs = shoutHear.runsView.children().filter((e): e is Extract<RunsElement, { kind: 'run' }> => e.kind === 'run');
    assert.deepEqual(runs.slice(0, 2).map((e) => e.runId), [second.runId, first.runId], 'newest first');
    const item = shoutHear.runsView.item(runs[0]);
    assert.match(item.label as string, /^#\d+ · \d\d:\d\d:\d\d$/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass', 'the ✓ icon');
    assert.equal(item.description, '4 messages · nap 50%', 'how its settings differ from the defaults');
    assert.match(String(item.contextValue), /^run\.ended\.replayable\.real$/);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const facts = shoutHear.runsView.children(runs[0]).map((f) => (f.kind === 'fact' ? `${f.label}: ${f.value}` : ''));
    assert.ok(facts.includes(`run: ${second.runId}`) && facts.includes(`seed: ${second.seed}`) && facts.includes('result: ok'), facts.join(' | '));
    assert.ok(facts.includes(`naps: ${second.naps}`) && facts.includes(`max queue depth: ${second.maxQueueDepth}`), facts.join(' | '));
    await shoutHear.runsView.reveal(runs[0], true);
    await shootSidebar('sidebar-runs');

    // The chosen run is the OLDER one (not the newest, which every command defaults to).
    const chosen = runs[1];
    assert.deepEqual(await vscode.commands.executeCommand('shoutHear.openRunTimeline', chosen), { runId: first.runId });
    await shoutHear.timeline.waitForRendered((r) => r.runId === first.runId, 30_000);
    // The README's picture: the sidebar beside the timeline of the run picked in it.
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    await shoutHear.runsView.reveal(chosen, true);
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('sidebar-with-timeline');

    assert.deepEqual(await vscode.commands.executeCommand('shoutHear.compareRunWith', chosen, runs[0]), { runId: first.runId, compareRunId: second.runId });
    await shoutHear.timeline.waitForRendered((r) => r.runId === first.runId && r.compareRunId === second.runId, 30_000);

    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-runs-')), 'chosen.trace.json'));
    const exported = await vscode.commands.executeCommand<{ uri: string; events: number }>('shoutHear.exportTrace', chosen, target);
    assert.equal(exported.events, first.events);
    assert.match(fs.readFileSync(target.fsPath, 'utf8'), new RegExp(first.runId));

    const story = await vscode.commands.executeCommand<{ runId: string; sentences: unknown[] }>('shoutHear.explainRun', chosen);
    assert.equal(story.runId, first.runId, 'Explain This Run tells the chosen run\'s story');
    assert.ok(story.sentences.length > 0);

    const replay = await vscode.commands.executeCommand<RunSummary>('shoutHear.replayRun', chosen);
    assert.equal(replay.replayOf, first.runId);
    assert.equal(replay.identical, true);
    await waitFor('the replay to be listed', () => shoutHear.runsView.children().some((e) => e.kind === 'run' && e.runId === replay.runId));

    assert.deepEqual(await vscode.commands.executeCommand('shoutHear.forgetRun', chosen), { runId: first.runId });
    assert.ok(!shoutHear.timeline.keptRunIds().includes(first.runId), 'forgotten in the store');
    await waitFor('the view to drop it', () => !shoutHear.runsView.children().some((e) => e.kind === 'run' && e.runId === first.runId));
    await shoutHear.timeline.waitForRendered((r) => r.runId !== first.runId, 30_000);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.openRunTimeline', chosen)), /No run "run-[^"]+" is kept/);
  });
});
