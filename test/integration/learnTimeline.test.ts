// Learn in the Timeline panel (issue 12, phase 2), in a real VS Code: a run stepped event by event
// through the page's playhead (what the page draws there equals shoutHear.stateAt), the event-order
// axis (equal steps, marked gaps), a narration sentence selecting its span, and the program editor
// following the playhead. The page is driven with the host's Learn messages, as a user drives it
// with the toolbar, and read back through its "what I drew" reports.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import type { TimelineRendered } from '../../src/protocol/timeline';
import type { HostToTimelineLearn } from '../../src/protocol/timelineLearn';
import type { Narration } from '../../src/learn/explain';
import type { StateAt } from '../../src/learn/stateAt';
import type { ShowProgramResult } from '../../src/commands/showProgram';
import { api, screenshot, waitFor } from './helpers';

const stateAt = (runId: string, tMs: number) => vscode.commands.executeCommand<StateAt>('shoutHear.stateAt', runId, tMs);

/** Drives the page, then reads what it drew. */
async function drive(m: HostToTimelineLearn): Promise<TimelineRendered> {
  const tl = (await api()).timeline;
  tl.drive(m);
  return tl.requestReport(10_000);
}

/** Every distinct event boundary of a kept run (ms), from the host's own trace. */
async function boundaries(runId: string): Promise<number[]> {
  const source = (await api()).timeline.sourceOf(runId)!;
  const times = new Set<number>();
  source.trace.scan((_k, _p, _v, t, dur) => { times.add(t); times.add(t + dur); });
  return [...times].sort((a, b) => a - b).map((t) => t / 1e6);
}

function queueWords(s: StateAt): string[] { return s.queue.map((q) => String(q.message)); }

suite('Learn in the Timeline', () => {
  let run: RunSummary;

  suiteSetup(async () => {
    const tl = (await api()).timeline;
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
    run = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { engine: 'node', messageCount: 10, seed: 7, napMs: 20 });
    assert.equal(run.ok, true, run.failure);
    tl.showRun(run.runId);
    await tl.waitForRendered((r) => r.runId === run.runId && r.events === run.events && r.lines === run.lineCount, 30_000);
  });

  test('the playhead steps event by event from start to end; at each the page shows what shoutHear.stateAt says', async () => {
    await drive({ type: 'axisMode', mode: 'time' });
    let r = await drive({ type: 'playhead', tMs: null });
    assert.equal(r.learn.playhead, null);
    assert.equal(r.learn.axisMode, 'time');
    const times = await boundaries(run.runId);
    const seen: number[] = [];
    const states = new Set<string>();
    for (let k = 0; k < times.length + 1; k++) {
      r = await drive({ type: 'step', direction: 1 });
      const at = r.learn.playhead;
      assert.ok(at, 'a step places the playhead');
      if (seen.length && at.tMs === seen[seen.length - 1]) { break; }
      seen.push(at.tMs);
      const expected = await stateAt(run.runId, at.tMs);
      assert.deepEqual(at.processes, expected.processes, `processes at ${at.tMs} ms`);
      assert.deepEqual(at.queue, queueWords(expected), `queue at ${at.tMs} ms`);
      assert.equal(at.printed, expected.printed, `printed at ${at.tMs} ms`);
      assert.equal(at.transcriptLines, expected.printed, `the transcript shows only the lines printed by ${at.tMs} ms`);
      at.processes.forEach((p) => states.add(p.state));
    }
    assert.deepEqual(seen, times, 'one step per event boundary, in order, from the first to the last');
    const last = r.learn.playhead!;
    assert.deepEqual(last.processes.map((p) => p.state), ['exited', 'exited']);
    assert.equal(last.printed, run.lineCount);
    for (const s of ['running', 'printing', 'exited']) { assert.ok(states.has(s), `saw ${s}: ${[...states]}`); }
    // And back: the previous event.
    r = await drive({ type: 'step', direction: -1 });
    assert.equal(r.learn.playhead?.tMs, times[times.length - 2]);
    // Placed between events: still the same function.
    const mid = (times[3] + times[4]) / 2;
    r = await drive({ type: 'playhead', tMs: mid });
    // ms → the page's ns → ms: equal up to the last bit.
    assert.ok(Math.abs((r.learn.playhead?.tMs ?? NaN) - mid) < 1e-9, `playhead at ${r.learn.playhead?.tMs}, placed at ${mid}`);
    assert.deepEqual(r.learn.playhead?.processes, (await stateAt(run.runId, mid)).processes);
  });

  test('event order: every step the same width, idle stretches collapsed to labelled gaps; the selection and playhead stay', async () => {
    const n = await vscode.commands.executeCommand<Narration>('shoutHear.explainRun', run.runId);
    await drive({ type: 'narration', open: true, pick: 1 });
    const before = await drive({ type: 'playhead', tMs: n.sentences[1].fromMs });
    const r = await drive({ type: 'axisMode', mode: 'order' });
    assert.equal(r.learn.axisMode, 'order');
    const order = r.learn.eventOrder;
    assert.ok(order && order.steps > 10, JSON.stringify(order));
    assert.ok(Math.abs(order.maxStepPx - order.minStepPx) < 1e-6, `steps all ${order.minStepPx}–${order.maxStepPx} px`);
    assert.ok(order.gaps.length > 0, 'a 10-message run with naps has idle stretches');
    for (const g of order.gaps) {
      assert.ok(g.realMs > 1, `a gap is longer than 1 ms: ${g.realMs}`);
      assert.ok(Math.abs(g.widthPx - 1.5 * order.minStepPx) < 1e-6, `a gap is drawn 1.5 steps wide: ${g.widthPx}`);
      assert.match(g.label, /ms idle$/);
    }
    assert.deepEqual(r.learn.narration.selected, before.learn.narration.selected, 'the selection is kept');
    assert.deepEqual(r.learn.playhead, before.learn.playhead, 'the playhead is kept');
    // Stepping works in event order too.
    const stepped = await drive({ type: 'step', direction: 1 });
    assert.ok(stepped.learn.playhead!.tMs > before.learn.playhead!.tMs);
    const back = await drive({ type: 'axisMode', mode: 'time' });
    assert.equal(back.learn.eventOrder, null);
    assert.deepEqual(back.learn.narration.selected, before.learn.narration.selected);
  });

  test('clicking a sentence selects its span in the timeline and its lines in the transcript', async () => {
    const n = await vscode.commands.executeCommand<Narration>('shoutHear.explainRun', run.runId);
    await drive({ type: 'playhead', tMs: null });
    await drive({ type: 'narration', open: false });
    let r = await drive({ type: 'narration', open: true });
    assert.equal(r.learn.narration.open, true);
    assert.equal(r.learn.narration.sentences, n.sentences.length, 'the pane tells the same story as the command');
    assert.equal(r.learn.narration.selected, null);
    // A sentence whose span holds a print (from the host's own trace): its line must be selected too.
    const prints: [number, number][] = [];
    (await api()).timeline.sourceOf(run.runId)!.trace.scan((kind, _p, _v, t, dur) => { if (kind === 3) { prints.push([t / 1e6, (t + dur) / 1e6]); } });
    const pick = n.sentences.findIndex((x) => x.toMs > x.fromMs && prints.some(([a, b]) => a < x.toMs && b > x.fromMs));
    assert.ok(pick >= 0, 'some sentence spans a print');
    r = await drive({ type: 'narration', open: true, pick });
    const sel = r.learn.narration.selected;
    assert.ok(sel);
    assert.equal(sel.index, pick);
    assert.equal(sel.fromMs, n.sentences[pick].fromMs);
    assert.equal(sel.toMs, n.sentences[pick].toMs);
    assert.ok(sel.events > 0, 'events in the span are selected');
    assert.ok(sel.transcriptLines.length > 0, 'lines printed in the span are selected');
    const first = await drive({ type: 'narration', open: true, pick: 0 });
    assert.equal(first.learn.narration.selected?.index, 0);
    const closed = await drive({ type: 'narration', open: false });
    assert.deepEqual(closed.learn.narration, { open: false, sentences: 0, selected: null });
  });

  test('Show Program follows the playhead; a clicked event reveals its line; hostile page messages are ignored', async () => {
    const a = await api();
    const shown = await vscode.commands.executeCommand<ShowProgramResult>('shoutHear.showProgram', { runId: run.runId, tMs: 0 });
    const times = await boundaries(run.runId);
    for (const tMs of [times[Math.floor(times.length / 3)], (times[times.length - 3] + times[times.length - 2]) / 2]) {
      await drive({ type: 'playhead', tMs });
      const expected = (await stateAt(run.runId, tMs)).processes.flatMap((p, k) => (p.line === null ? [] : [{ name: p.name, proc: k, state: p.state, line: p.line }]));
      await waitFor(`the program's marks at ${tMs} ms`, () => JSON.stringify(a.learn.marks()) === JSON.stringify(expected));
    }
    const shouterAt = (await stateAt(run.runId, times[5])).processes[0];
    assert.ok(a.timeline.receiveFromWebview({ type: 'revealEvent', runId: run.runId, tMs: times[5], name: 'shouter' }));
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown.uri)!;
    if (shouterAt.line !== null) { await waitFor('the event\'s line revealed', () => editor.selection.active.line === shouterAt.line! - 1); }
    for (const bad of [
      { type: 'playhead', runId: run.runId, tMs: -1 }, { type: 'playhead', runId: run.runId, tMs: 'soon' }, { type: 'playhead', runId: run.runId, tMs: 1, eval: 'x' },
      { type: 'revealEvent', runId: run.runId, tMs: 1, name: '<img src=x>' }, { type: 'step', direction: 1 }, { type: 'axisMode', mode: 'order' },
    ]) { assert.equal(a.timeline.receiveFromWebview(bad), false, JSON.stringify(bad)); }
  });

  test('compare mode in event order: both runs on their own event-order axes; the playhead and a sentence still work', async () => {
    const tl = (await api()).timeline;
    const other = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { engine: 'node', messageCount: 5, seed: 3, napMs: 20 });
    assert.equal(other.ok, true, other.failure);
    tl.showCompare(run.runId, other.runId);
    await tl.waitForRendered((r) => r.runId === run.runId && r.compareRunId === other.runId && r.events === run.events, 30_000);
    const r = await drive({ type: 'axisMode', mode: 'order' });
    assert.equal(r.compareRunId, other.runId);
    assert.ok(r.learn.eventOrder && Math.abs(r.learn.eventOrder.maxStepPx - r.learn.eventOrder.minStepPx) < 1e-6);
    const times = await boundaries(run.runId);
    const at = await drive({ type: 'playhead', tMs: times[6] });
    assert.deepEqual(at.learn.playhead?.processes, (await stateAt(run.runId, times[6])).processes, 'the playhead is on the main run');
    const picked = await drive({ type: 'narration', open: true, pick: 2 });
    assert.equal(picked.learn.narration.selected?.index, 2);
    await drive({ type: 'axisMode', mode: 'time' });
    await drive({ type: 'narration', open: false });
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
    await tl.waitForRendered((x) => x.compareRunId === null, 30_000);
  });

  test('screenshots: a narrated run, the program beside the timeline, the playhead placed (light, dark, high contrast)', async () => {
    const n = await vscode.commands.executeCommand<Narration>('shoutHear.explainRun', run.runId);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const tl = (await api()).timeline;
    tl.showRun(run.runId);
    await tl.waitForRendered((r) => r.runId === run.runId && r.events === run.events, 30_000);
    const pick = Math.max(0, n.sentences.findIndex((x) => x.phenomena.includes('queueBuildUp') || x.phenomena.includes('lockContention')));
    const tMs = (n.sentences[pick].fromMs + n.sentences[pick].toMs) / 2;
    await vscode.commands.executeCommand('shoutHear.showProgram', { runId: run.runId, tMs });
    // The timeline wide, the program beside it.
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.64 }, { size: 0.36 }] });
    const workbench = vscode.workspace.getConfiguration('workbench');
    try {
      for (const [theme, suffix] of [['Default Light Modern', 'light'], ['Default Dark Modern', 'dark'], ['Default High Contrast', 'hc']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        for (const mode of ['order', 'time'] as const) {
          await drive({ type: 'axisMode', mode });
          await drive({ type: 'narration', open: true, pick });
          const r = await drive({ type: 'playhead', tMs });
          assert.ok(Math.abs((r.learn.playhead?.tMs ?? NaN) - tMs) < 1e-9, `playhead at ${r.learn.playhead?.tMs}, placed at ${tMs}`);
          await new Promise((res) => setTimeout(res, 800));
          await screenshot(`learn-timeline-${mode}-${suffix}`);
        }
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await drive({ type: 'axisMode', mode: 'time' });
      await drive({ type: 'playhead', tMs: null });
      await drive({ type: 'narration', open: false });
    }
  });
});
