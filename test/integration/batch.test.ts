// Run Batch and Sweep Nap Probabilities in a real VS Code: what the commands resolve to, what
// the Explore panel reports drawing (uPlot histogram and charts), a run's timeline one click
// away (and "no longer kept" for old runs), CSV export, Cancel, bad arguments, the allow-list.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BatchResult } from '../../src/stats/batch';
import { countOrderings, isPossibleOrdering } from '../../src/stats/orderings';
import type { SweepResult } from '../../src/stats/sweep';
import { api, openTimelineDuringSuite, screenshot, waitFor, workerPids } from './helpers';

const shot = async (name: string, closePanel = false) => {
  // Each run shows the output channel; for the docs' pictures, give the Explore panel the room.
  if (closePanel) { await vscode.commands.executeCommand('workbench.action.closePanel'); }
  await new Promise((res) => setTimeout(res, closePanel ? 800 : 400));
  await screenshot(name);
};

suite('Run Batch and Sweep Nap Probabilities', function () {
  this.timeout(180_000);
  openTimelineDuringSuite('never');

  test('Run Batch: 6 runs of 3 messages, their distinct orderings, observed of the 5 possible, and the panel draws them', async () => {
    const { explore, timeline } = await api();
    const r = await vscode.commands.executeCommand<BatchResult>('shoutHear.runBatch', { runs: 6, overrides: { messageCount: 3, napMs: 1 } });
    assert.equal(r.runs, 6);
    assert.equal(r.cancelled, false);
    assert.ok(r.distinct >= 1);
    assert.equal(r.orderings.length, r.distinct);
    assert.equal(r.orderings.reduce((s, o) => s + o.count, 0), 6, 'counts sum to the runs');
    assert.equal(new Set(r.orderings.flatMap((o) => o.runIds)).size, 6, 'every run in exactly one ordering');
    for (let i = 1; i < r.orderings.length; i++) { assert.ok(r.orderings[i - 1].count >= r.orderings[i].count, 'most common first'); }
    for (const o of r.orderings) {
      assert.equal(o.lines.length, 6);
      assert.equal(o.runIds.length, o.count);
      assert.ok(isPossibleOrdering(o.lines, { messageCount: 3 }), `an ordering the program allows: ${o.lines.join(' | ')}`);
    }
    assert.equal(countOrderings({ messageCount: 3 }), 5n, 'Catalan(3)');
    assert.equal(r.possible, '5');
    assert.equal(r.observed, `${r.distinct} of 5 possible orderings seen`);

    const rep = await explore.waitForRendered((x) => x.tab === 'batch' && x.batch?.runs === 6 && x.batch.bars.length === r.distinct, 30_000);
    assert.deepEqual(rep.batch!.bars, r.orderings.map((o) => o.count), 'the histogram draws the counts, most common first');
    assert.equal(rep.batch!.observed, r.observed);
    assert.deepEqual(rep.batch!.topLines, r.orderings[0].lines, 'the most common ordering\'s lines');
    assert.equal(rep.batch!.rows, r.distinct);
    assert.equal(rep.batch!.openable, r.distinct, 'every ordering has a run whose timeline can be opened');
    assert.equal(rep.foreignElements, 0);
    await shot('batch');

    // A run's timeline, one click away.
    const runId = r.orderings[0].runIds[0];
    assert.ok(explore.receiveFromWebview({ type: 'openRun', runId }));
    assert.deepEqual(explore.lastOpenRequest(), { runId, kept: true });
    const t = await timeline.waitForRendered((x) => x.runId === runId, 30_000);
    assert.equal(t.lines, 6);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Run Batch past the runs kept: old runs are listed as no longer kept, and opening one says so', async () => {
    const { explore } = await api();
    const r = await vscode.commands.executeCommand<BatchResult>('shoutHear.runBatch', { runs: 22, overrides: { messageCount: 1, napMs: 0 } });
    assert.equal(r.runs, 22);
    assert.equal(r.distinct, 1, 'one message: Shout: 1 then Hear: 1, always');
    assert.equal(r.possible, '1');
    assert.deepEqual(r.orderings[0].lines, ['Shout: 1', 'Hear: 1']);
    const rep = await explore.waitForRendered((x) => x.tab === 'batch' && x.batch?.runs === 22, 30_000);
    assert.deepEqual(rep.batch!.bars, [22]);
    assert.equal(rep.batch!.openable, 1, 'the row still has kept runs');
    const oldest = r.orderings[0].runIds[0];
    assert.ok(!(await api()).timeline.keptRunIds().includes(oldest));
    assert.ok(explore.receiveFromWebview({ type: 'openRun', runId: oldest }));
    assert.deepEqual(explore.lastOpenRequest(), { runId: oldest, kept: false });
    // A run that is not part of the batch shown is not opened.
    assert.ok(explore.receiveFromWebview({ type: 'openRun', runId: 'run-not-ours' }));
    assert.deepEqual(explore.lastOpenRequest(), { runId: oldest, kept: false });
  });

  test('Sweep Nap Probabilities: statistics for each probability, five uPlot charts, CSV', async () => {
    const { explore } = await api();
    const csvPath = path.join(os.tmpdir(), `shout-hear-sweep-${process.pid}.csv`);
    fs.rmSync(csvPath, { force: true });
    const s = await vscode.commands.executeCommand<SweepResult & { csv?: string }>('shoutHear.sweepNapProbabilities',
      { probabilities: [0, 1], runsEach: 2, overrides: { messageCount: 3, napMs: 1 }, csv: csvPath });
    assert.equal(s.runs, 4);
    assert.equal(s.cancelled, false);
    assert.deepEqual(s.groups.map((g) => [g.napProbability, g.runs, g.runIds.length]), [[0, 2, 2], [1, 2, 2]]);
    for (const g of s.groups) {
      for (const m of [g.durationMs, g.lockWaitMs, g.maxQueueDepth, g.putGetLatencyMs]) {
        assert.equal(m.n, 2);
        assert.ok(m.min <= m.p10 && m.p10 <= m.median && m.median <= m.p90 && m.p90 <= m.max, JSON.stringify(m));
        assert.ok(m.min <= m.mean && m.mean <= m.max);
      }
      assert.ok(g.distinctOrderings >= 1 && g.distinctOrderings <= 2);
      assert.ok(g.maxQueueDepth.max <= 3);
    }
    // p = 1: a 1 ms nap after every message, so each run lasts at least 3 ms.
    assert.ok(s.groups[1].durationMs.min >= 3, `p=1 runs nap 3 × 1 ms: ${s.groups[1].durationMs.min}`);
    assert.doesNotThrow(() => JSON.stringify(s));

    const csv = fs.readFileSync(csvPath, 'utf8');
    const rows = csv.trimEnd().split('\r\n');
    assert.equal(rows.length, 3);
    assert.match(rows[0], /^nap_probability,runs,distinct_orderings,duration_ms_n,duration_ms_mean,/);
    assert.match(rows[1], /^0,2,\d,2,/);
    assert.match(rows[2], /^1,2,\d,2,/);
    const again = path.join(os.tmpdir(), `shout-hear-sweep-${process.pid}-b.csv`);
    assert.equal(await explore.exportCsv(vscode.Uri.file(again)), csv, 'the Export button writes the same CSV');
    fs.rmSync(csvPath, { force: true });
    fs.rmSync(again, { force: true });

    const rep = await explore.waitForRendered((x) => x.tab === 'sweep' && x.sweep?.charts.length === 5 && x.sweep.charts.every((c) => c.points === 2), 30_000);
    assert.deepEqual(rep.sweep!.charts.map((c) => c.title), [
      'Run duration (ms)', 'Total lock wait per run (ms)', 'Max queue depth (messages)', 'Put→get latency (mean per run) (ms)', 'Distinct orderings (orderings)',
    ]);
    assert.deepEqual(rep.sweep!.charts.map((c) => c.series), [6, 6, 6, 6, 2], 'min, p10, p90, max, mean, median; orderings and runs');
    assert.equal(rep.sweep!.tableRows, 2);
    assert.equal(rep.foreignElements, 0);
    assert.ok(rep.batch, 'the batch is still there, in its tab');
    await shot('sweep');
  });

  test('screenshots of the default batch size and sweep (docs), dark theme', async () => {
    const { explore } = await api();
    const workbench = vscode.workspace.getConfiguration('workbench');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await workbench.update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    try {
      await new Promise((res) => setTimeout(res, 1000));
      const b = await vscode.commands.executeCommand<BatchResult>('shoutHear.runBatch', { runs: 20, overrides: { messageCount: 4, napMs: 2 } });
      assert.equal(b.runs, 20);
      assert.equal(b.possible, '14');
      await explore.waitForRendered((x) => x.tab === 'batch' && x.batch?.runs === 20 && x.batch.bars.length === b.distinct, 30_000);
      await shot('batch-docs', true);
      const s = await vscode.commands.executeCommand<SweepResult>('shoutHear.sweepNapProbabilities',
        { probabilities: [0, 0.25, 0.5, 0.75, 1], runsEach: 10, overrides: { messageCount: 10, napMs: 5 } });
      assert.equal(s.groups.length, 5);
      await explore.waitForRendered((x) => x.tab === 'sweep' && x.sweep?.charts.every((c) => c.points === 5) === true, 30_000);
      await shot('sweep-docs', true);
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });

  test('Cancel stops the run going and the batch; no process is left', async () => {
    const { explore, recentRuns } = await api();
    const before = recentRuns()[0]?.runId;
    const pending = vscode.commands.executeCommand<BatchResult>('shoutHear.runBatch', { runs: 50, overrides: { messageCount: 5, napMs: 30, napProbability: 1 } });
    await waitFor('two runs of the batch to end', () => recentRuns().findIndex((x) => x.runId === before) >= 2, 30_000);
    explore.cancel();
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.ok(r.runs >= 2 && r.runs < 50, `runs ${r.runs}`);
    assert.equal(r.orderings.reduce((s, o) => s + o.count, 0), r.runs);
    await waitFor('no worker process', () => workerPids().length === 0, 10_000);
    const rep = await explore.waitForRendered((x) => x.batch?.runs === r.runs, 30_000);
    assert.equal(rep.batch!.bars.reduce((a, b) => a + b, 0), r.runs);
  });

  test('bad arguments reject with a message naming them, and nothing runs', async () => {
    const { recentRuns } = await api();
    const before = recentRuns()[0]?.runId;
    const cases: [string, unknown, RegExp][] = [
      ['shoutHear.runBatch', { runs: 0 }, /Run Batch: "runs" must be an integer from 1 to 500; got 0/],
      ['shoutHear.runBatch', { runs: 'many' }, /"runs" must be an integer from 1 to 500; got "many"/],
      ['shoutHear.runBatch', { runs: 2, overrides: 'x' }, /"overrides" must be an object of settings/],
      ['shoutHear.runBatch', { runs: 2, overrides: { messageCount: 0 } }, /Shout\/Hear did not run: .*messageCount/],
      ['shoutHear.runBatch', { runz: 2 }, /unknown argument "runz"/],
      ['shoutHear.sweepNapProbabilities', { probabilities: [0, 2], runsEach: 1 }, /"probabilities" must be a list of 1 to 21 different numbers from 0 to 1.*item 2 is 2/],
      ['shoutHear.sweepNapProbabilities', { probabilities: [0.5], runsEach: 0 }, /"runsEach" must be an integer from 1 to 100; got 0/],
      ['shoutHear.sweepNapProbabilities', { probabilities: [0.5], runsEach: 1, overrides: { napProbability: 1 } }, /must not set napProbability/],
      ['shoutHear.sweepNapProbabilities', { probabilities: [0.5], runsEach: 1, overrides: { napMs: -1 } }, /Shout\/Hear did not run: .*napMs/],
      ['shoutHear.sweepNapProbabilities', { probabilities: [0.5], runsEach: 1, csv: 'relative.csv' }, /"csv" must be a file Uri or an absolute path/],
    ];
    for (const [command, arg, re] of cases) {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand(command, arg)), (err: Error) => re.test(err.message), `${command} ${JSON.stringify(arg)}`);
    }
    assert.equal(recentRuns()[0]?.runId, before, 'no run started');
  });

  test('from the palette: each command asks first (InputBox); dismissing it runs nothing', async () => {
    const { recentRuns } = await api();
    const before = recentRuns()[0]?.runId;
    for (const command of ['shoutHear.runBatch', 'shoutHear.sweepNapProbabilities']) {
      const pending = vscode.commands.executeCommand(command);
      await new Promise((res) => setTimeout(res, 700));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await pending, undefined, `${command} resolves to undefined when dismissed`);
    }
    assert.equal(recentRuns()[0]?.runId, before, 'no run started');
  });

  test('high contrast theme (screenshot)', async () => {
    const { explore } = await api();
    const workbench = vscode.workspace.getConfiguration('workbench');
    await workbench.update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
    try {
      await new Promise((res) => setTimeout(res, 1200));
      const r = await explore.requestReport();
      assert.equal(r.foreignElements, 0);
      await shot('explore-hc', true);
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('messages from the page off the allow-list are ignored', async () => {
    const { explore } = await api();
    assert.equal(explore.receiveFromWebview({ type: 'runCommand', command: 'rm -rf /' }), false);
    assert.equal(explore.receiveFromWebview({ type: 'openRun', runId: '<img src=x>' }), false);
    assert.equal(explore.receiveFromWebview({ type: 'exportCsv', path: '/etc/passwd' }), false);
    assert.equal(explore.receiveFromWebview({ type: 'tab', tab: 'elsewhere' }), false);
    assert.equal(explore.receiveFromWebview({ type: 'tab', tab: 'batch' }), true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
