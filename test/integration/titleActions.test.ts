// Buttons where people look: the Timeline panel's title bar carries Run and, while a run goes,
// Stop (the editor/title contributions, `when` on activeWebviewPanelId and shoutHear.running).
// The workbench is only visible in a screenshot, so this test takes one while a run waits for
// a manual grant (it cannot end by itself), then stops it.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, openTimelineDuringSuite, screenshot, waitFor } from './helpers';

suite('Title bar buttons', function () {
  this.timeout(120_000);
  openTimelineDuringSuite('onRun');

  test('Run and Stop on the Timeline panel while a run goes (screenshot timeline-title-actions)', async () => {
    const shoutHear = await api();
    const pending = vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 2, napProbability: 0, lockPolicy: 'manual' });
    try {
      await waitFor('someone to wait for the lock', () => (shoutHear.lockState()?.waiting.length ?? 0) > 0);
      await vscode.commands.executeCommand('shoutHear.showTimeline');
      await waitFor('the timeline to be the active panel', () => shoutHear.timeline.isVisible());
      await shoutHear.timeline.requestReport(30_000);
      await new Promise((r) => setTimeout(r, 500));
      await screenshot('timeline-title-actions');
    } finally {
      await vscode.commands.executeCommand('shoutHear.stop');
    }
    const summary = await pending;
    assert.equal(summary.stopped, true);
  });
});
