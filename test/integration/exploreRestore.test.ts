// The Explore panel survives a window reload: its serializer brings the panel back showing the
// batch and sweep kept in the workspace's storage. A real reload would end the test run, so the
// test hands the serializer a new panel as VS Code does, after forgetting the window's batch and
// sweep as a reloaded extension host would: what comes back came from storage.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { BatchResult } from '../../src/stats/batch';
import type { SweepResult } from '../../src/stats/sweep';
import { api, openTimelineDuringSuite } from './helpers';

suite('Explore panel after a window reload', function () {
  this.timeout(120_000);
  openTimelineDuringSuite('never');

  test('the serializer restores the batch and the sweep from storage', async () => {
    const { explore } = await api();
    const b = await vscode.commands.executeCommand<BatchResult>('shoutHear.runBatch', { runs: 3, overrides: { messageCount: 2, napMs: 0 } });
    assert.equal(b.runs, 3);
    await explore.waitForRendered((x) => x.tab === 'batch' && x.batch?.runs === 3, 30_000);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(explore.isOpen(), false);
    await explore.restoreForTest({ afterReload: true });
    assert.ok(explore.isOpen(), 'the serializer adopted the panel');
    const rb = await explore.waitForRendered((x) => x.tab === 'batch' && x.batch?.runs === 3, 30_000);
    assert.deepEqual(rb.batch!.bars, b.orderings.map((o) => o.count), 'the histogram of the batch before the reload');
    assert.deepEqual(rb.batch!.topLines, b.orderings[0].lines);
    assert.equal(rb.foreignElements, 0);

    const s = await vscode.commands.executeCommand<SweepResult>('shoutHear.sweepNapProbabilities',
      { probabilities: [0, 1], runsEach: 1, overrides: { messageCount: 2, napMs: 1 } });
    assert.equal(s.runs, 2);
    await explore.waitForRendered((x) => x.tab === 'sweep' && x.sweep?.tableRows === 2, 30_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await explore.restoreForTest({ afterReload: true });
    const rs = await explore.waitForRendered((x) => x.tab === 'sweep' && x.sweep?.tableRows === 2 && x.sweep.charts.length === 5, 30_000);
    assert.ok(rs.sweep!.charts.every((c) => c.points === 2), JSON.stringify(rs.sweep!.charts));
    assert.ok(rs.batch && rs.batch.runs === 3, 'the batch came back too, in its tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
