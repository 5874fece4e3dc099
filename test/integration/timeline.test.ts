// The Timeline webview in a real VS Code: it opens on a run, reports what it drew (and that
// matches the trace), survives hide/show, shows hostile text as text, and only accepts
// allow-listed messages from the page.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EventKind } from '../../src/protocol/events';
import type { RunSummary } from '../../src/protocol/run';
import type { TimelineRendered } from '../../src/protocol/timeline';
import { importChromeTrace } from '../../src/trace/traceImport';
import { api, screenshot, setSetting, waitFor } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)>';

suite('Timeline', () => {
  let summary: RunSummary;

  suiteSetup(async () => {
    const tl = (await api()).timeline;
    await setSetting('openTimeline', undefined);
    // Earlier suites may have left the panel in compare mode (Compare Engines): start from one run.
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
  });

  test('a run opens the panel, and the webview reports drawing exactly that run', async () => {
    const tl = (await api()).timeline;
    summary = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 20, seed: 1, napMs: 5 });
    assert.equal(summary.ok, true, summary.failure);
    await waitFor('the timeline panel to open', () => tl.isOpen());
    const r = await tl.waitForRendered((x) => x.runId === summary.runId && x.events === summary.events && x.lines === summary.lineCount, 30_000);
    assert.deepEqual(r.lanes, summary.processes.map((p) => p.name));
    assert.deepEqual(r.laneLabels, summary.processes.map((p) => p.name));
    assert.equal(r.kinds.put, 21, 'twenty messages and the sentinel put');
    assert.equal(r.kinds.get, 21, 'twenty messages and the sentinel got');
    assert.equal(r.kinds.print, 40, 'one print per output line');
    assert.equal(r.kinds.nap, summary.naps);
    assert.equal(r.lines, 40);
    assert.deepEqual(r.transcriptSample.slice(0, 3), summary.lines!.slice(0, 3));
    assert.equal(r.foreignElements, 0);
    await new Promise((res) => setTimeout(res, 300));
    await screenshot('timeline-run');
  });

  test('hiding and showing the panel keeps the run (the page reloads and is sent it again)', async () => {
    const tl = (await api()).timeline;
    const before = await tl.requestReport();
    assert.equal(before.runId, summary.runId);
    const doc = await vscode.workspace.openTextDocument({ content: 'hides the timeline' });
    // Cover the panel with an editor in its own group (whichever that is).
    for (const column of [vscode.ViewColumn.One, vscode.ViewColumn.Two, vscode.ViewColumn.Three]) {
      await vscode.window.showTextDocument(doc, { viewColumn: column, preview: false });
      if (await waitFor('the panel to be hidden', () => !tl.isVisible(), 1500).then(() => true, () => false)) { break; }
    }
    assert.equal(tl.isVisible(), false, 'the panel is hidden');
    await vscode.commands.executeCommand('shoutHear.showTimeline');
    await waitFor('the panel to be visible', () => tl.isVisible());
    // Ask the page (reloaded, or kept) what it shows now, until it has been sent the run again.
    let after: TimelineRendered | undefined;
    for (let attempt = 0; attempt < 15 && !after; attempt++) {
      const r = await tl.requestReport(2000).catch(() => undefined);
      if (r && r.runId === summary.runId && r.events === summary.events && r.lines === summary.lineCount) { after = r; }
    }
    assert.ok(after, `the run is shown again after hide/show (last report: ${JSON.stringify(tl.lastRendered())})`);
    assert.deepEqual(after.lanes, before.lanes);
    assert.deepEqual(after.kinds, before.kinds);
    assert.ok(Math.abs(after.viewport.t0 - before.viewport.t0) < 1 && Math.abs(after.viewport.t1 - before.viewport.t1) < 1, 'the view is kept');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('hostile text in a process name and an output line is shown as text', async () => {
    const tl = (await api()).timeline;
    const lines = [HOSTILE, 'Shout: 1', 'Hear: 1', 'Shout: 2', '"><script>alert(2)</script>', 'Hear: 2'];
    const id = tl.injectRun({ processNames: [HOSTILE, 'hearer <b>bold</b>'], lines });
    const r = await tl.waitForRendered((x) => x.runId === id && x.lines === lines.length, 30_000);
    assert.deepEqual(r.laneLabels, [HOSTILE, 'hearer <b>bold</b>']);
    assert.deepEqual(r.transcriptSample, lines.slice(0, 5));
    assert.equal(r.foreignElements, 0, 'no img/script/iframe element was created from the data');
    await new Promise((res) => setTimeout(res, 300));
    await screenshot('timeline-hostile');
  });

  test('the run picker and compare mode show the chosen runs', async () => {
    const tl = (await api()).timeline;
    const kept = tl.keptRunIds();
    assert.ok(kept.includes(summary.runId));
    const injected = kept[0];
    assert.ok(tl.receiveFromWebview({ type: 'select', slot: 'main', runId: summary.runId }));
    assert.ok(tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: injected }));
    const r: TimelineRendered = await tl.waitForRendered((x) => x.runId === summary.runId && x.compareRunId === injected && x.events === summary.events, 30_000);
    assert.deepEqual(r.lanes, summary.processes.map((p) => p.name));
    await new Promise((res) => setTimeout(res, 300));
    await screenshot('timeline-compare');
    assert.ok(tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null }));
    await tl.waitForRendered((x) => x.compareRunId === null, 30_000);
  });

  test('it follows the theme: dark and high contrast (screenshots)', async () => {
    const tl = (await api()).timeline;
    assert.ok(tl.receiveFromWebview({ type: 'select', slot: 'main', runId: summary.runId }));
    await tl.waitForRendered((x) => x.runId === summary.runId && x.events === summary.events && x.compareRunId === null, 30_000);
    const workbench = vscode.workspace.getConfiguration('workbench');
    try {
      for (const [theme, shot] of [['Default Dark Modern', 'timeline-dark'], ['Default High Contrast', 'timeline-hc']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await new Promise((res) => setTimeout(res, 1200));
        const r = await tl.requestReport();
        assert.equal(r.runId, summary.runId);
        await screenshot(shot);
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('after a window reload the panel comes back showing what it showed (the serializer, with the page\'s saved state)', async () => {
    const tl = (await api()).timeline;
    const kept = tl.keptRunIds();
    assert.ok(kept.length >= 2 && kept.includes(summary.runId));
    assert.notEqual(kept[0], summary.runId, 'the saved run is not the newest, so the state decides');
    // VS Code hands the serializer a new panel and the page's state (a real reload would end this test run).
    await tl.restoreForTest({ runId: summary.runId, compareRunId: null, vp: { t0: 0, t1: 1 }, follow: 'fit' });
    const r = await tl.waitForRendered((x) => x.runId === summary.runId && x.events === summary.events && x.lines === summary.lineCount, 30_000);
    assert.deepEqual(r.lanes, summary.processes.map((p) => p.name));
    assert.ok(tl.isOpen());
    // A state that is not ours (or hostile) is ignored: the panel shows the newest run.
    await tl.restoreForTest({ runId: '<img src=x onerror=alert(1)>' });
    const r2 = await tl.waitForRendered((x) => x.runId === kept[0], 30_000);
    assert.equal(r2.foreignElements, 0);
    await tl.restoreForTest(undefined);
    await tl.waitForRendered((x) => x.runId === kept[0], 30_000);
  });

  test('messages from the page off the allow-list are ignored', async () => {
    const tl = (await api()).timeline;
    assert.equal(tl.receiveFromWebview({ type: 'runCommand', command: 'rm -rf /' }), false);
    assert.equal(tl.receiveFromWebview({ type: 'select', slot: 'main', runId: '<img src=x>' }), false);
    assert.equal(tl.receiveFromWebview({ type: 'select', slot: 'other', runId: null }), false);
    assert.equal(tl.receiveFromWebview({ type: 'log', level: 'info', message: 'hello', extra: 1 }), false);
    assert.equal(tl.receiveFromWebview('ready'), false);
    assert.equal(tl.receiveFromWebview({ type: 'log', level: 'info', message: 'a log line from the page' }), true);
  });
  for (const lockPolicy of ['os', 'random'] as const) {
    test(`the lock-holder track draws the print spans of the trace and nothing else (policy ${lockPolicy})`, async () => {
      const tl = (await api()).timeline;
      const s = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 15, seed: 4, napMs: 3, lockPolicy });
      assert.equal(s.ok, true, s.failure);
      const r = await tl.waitForRendered((x) => x.runId === s.runId && x.events === s.events && x.holderSpans.length > 0, 30_000);
      const file = path.join(os.tmpdir(), `shout-hear-holder-${process.pid}-${lockPolicy}.json`);
      try {
        await vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(file));
        const trace = importChromeTrace(fs.readFileSync(file, 'utf8')).trace;
        const prints = new Set<string>();
        trace.scan((kind, proc, _v, t, dur) => { if (kind === EventKind.Print) { prints.add(`${proc} ${t} ${t + dur}`); } });
        for (const [proc, from, to] of r.holderSpans) {
          assert.ok(prints.has(`${proc} ${from} ${to}`), `drawn holder interval ${proc} ${from}..${to} is a print span of the trace`);
        }
        const sorted = [...r.holderSpans].sort((a, b) => a[1] - b[1]);
        for (let i = 1; i < sorted.length; i++) { assert.ok(sorted[i][1] >= sorted[i - 1][2], 'never two holders in the drawing'); }
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  }
});
