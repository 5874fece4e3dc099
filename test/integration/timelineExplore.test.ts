// The Timeline for exploration, in a real VS Code: be the scheduler from the page (Grant buttons),
// lock off with overlapping lines marked, many shouters and hearers with the queue process, Python
// runs (sentinels on the main process's lane), and compare mode aligned on first events.
import * as assert from 'assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import type { TimelineRendered } from '../../src/protocol/timeline';
import { api, screenshot, setSetting, waitFor } from './helpers';

const run = async (overrides?: object): Promise<RunSummary> => vscode.commands.executeCommand<RunSummary>('shoutHear.run', overrides);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: readonly string[]) => JSON.stringify([...xs].sort());

/** Asks the page until it reports what `ok` wants (the page hears of changes by message, a moment later). */
async function reportUntil(what: string, ok: (r: TimelineRendered) => boolean, tries = 60): Promise<TimelineRendered> {
  const tl = (await api()).timeline;
  let last: TimelineRendered | undefined;
  for (let i = 0; i < tries; i++) {
    last = await tl.requestReport(3000).catch(() => last);
    if (last && ok(last)) { return last; }
    await sleep(100);
  }
  throw new Error(`the page never reported ${what}; last report: ${JSON.stringify(last)}`);
}

suite('Timeline: exploration', () => {
  suiteSetup(async () => {
    const tl = (await api()).timeline;
    await setSetting('openTimeline', undefined);
    tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null });
  });
  teardown(async () => { await vscode.commands.executeCommand('shoutHear.stop'); });

  test('be the scheduler: the page shows who waits for the free lock, and its Grant buttons decide who prints', async () => {
    const shoutHear = await api();
    const tl = shoutHear.timeline;
    const pending = run({ messageCount: 3, napProbability: 0, lockPolicy: 'manual' });
    const order: string[] = [];
    let runId = '';
    for (let turn = 0; turn < 6; turn++) {
      await waitFor('someone to wait for the free lock', () => (shoutHear.lockState()?.waiting.length ?? 0) > 0 && !shoutHear.lockState()?.holder);
      // While the lock is free and someone waits, nothing moves until we grant: the page must show exactly that.
      const want = sorted(shoutHear.lockState()!.waiting);
      const r = await reportUntil(`the waiting list ${want} with a Grant button each`, (x) => sorted(x.waiting) === want && sorted(x.grantButtons) === want);
      runId = r.runId!;
      if (turn === 0) {
        await screenshot('timeline-scheduler');
        // A grant the run cannot take is refused (shown as a message), and changes nothing.
        assert.ok(tl.receiveFromWebview({ type: 'grant', runId, name: 'queue' }), 'well-formed, so the allow-list lets it through');
        assert.equal(sorted(shoutHear.lockState()!.waiting), want);
        assert.equal(shoutHear.lockState()!.holder, undefined);
        // Nor one for another run.
        assert.ok(tl.receiveFromWebview({ type: 'grant', runId: 'run-other-1', name: r.waiting[0] }));
        assert.equal(shoutHear.lockState()!.holder, undefined);
      }
      // Prefer the hearer whenever it waits: the printed order must follow the page's grants.
      const pick = r.waiting.includes('hearer') ? 'hearer' : r.waiting[0];
      order.push(pick);
      assert.ok(tl.receiveFromWebview({ type: 'grant', runId, name: pick }));
      await waitFor('the grant to be used', () => shoutHear.lockState()?.holder !== pick);
    }
    const s = await pending;
    assert.equal(s.ok, true, s.failure);
    assert.equal(s.runId, runId, 'the page granted for the run it showed');
    assert.deepEqual(s.lines!.map((l) => l.split(':')[0].toLowerCase()), order.map((o) => (o === 'hearer' ? 'hear' : 'shout')));
    const after = await reportUntil('no scheduler once the run ended', (x) => x.runId === s.runId && x.events === s.events && x.waiting.length === 0 && x.grantButtons.length === 0);
    assert.equal(after.lines, 6);
    await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
  });

  test('lock off: lines written while another process was mid-line are counted and marked', async () => {
    const shoutHear = await api();
    // Scheduling the write pieces by hand (alternating) makes lines mix every time.
    const pending = run({ messageCount: 3, napProbability: 0, useLock: false, lockPolicy: 'manual' });
    let last = '';
    for (;;) {
      const done = await Promise.race([pending.then(() => true), sleep(5).then(() => false)]);
      if (done) { break; }
      const state = shoutHear.lockState();
      if (!state || state.holder || state.waiting.length === 0) { continue; }
      const pick = state.waiting.length > 1 ? state.waiting.find((w) => w !== last)! : state.waiting[0];
      last = pick;
      await vscode.commands.executeCommand('shoutHear.grantLock', pick);
    }
    const s = await pending;
    assert.equal(s.exactlyOnceInOrder, true, s.invariant);
    const r = await reportUntil('the lock-off run with its overlaps', (x) => x.runId === s.runId && x.events === s.events);
    const garbled = s.lines!.filter((l) => !/^(Shout|Hear): \d+$/.test(l)).length;
    assert.ok(r.overlappingLines >= 2 || garbled === 0, `lines overlap: ${r.overlappingLines} marked; lines ${JSON.stringify(s.lines)}`);
    assert.ok(r.overlappingLines >= garbled, `every garbled line is marked: ${r.overlappingLines} marked, ${garbled} garbled: ${JSON.stringify(s.lines)}`);
    assert.ok(r.overlappingLines <= 12, 'no more than the lines written');
    await sleep(300);
    await screenshot('timeline-lock-off');
    // The same run with the lock on has nothing to mark.
    const locked = await run({ messageCount: 3, napProbability: 0 });
    const r2 = await reportUntil('the locked run', (x) => x.runId === locked.runId && x.events === locked.events);
    assert.equal(r2.overlappingLines, 0);
  });

  test('three shouters, two hearers and the queue process: one lane each, every message drawn', async () => {
    const s = await run({ shouters: 3, hearers: 2, messageCount: 10, napMs: 5 });
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    const r = await reportUntil('the 3 × 2 run', (x) => x.runId === s.runId && x.events === s.events && x.lines === s.lineCount);
    assert.deepEqual(r.lanes, ['shouter 1', 'shouter 2', 'shouter 3', 'hearer 1', 'hearer 2', 'queue']);
    assert.deepEqual(r.laneLabels, r.lanes);
    assert.equal(r.kinds.print, 60);
    await sleep(300);
    await screenshot('timeline-3x2');
  });

  test('Python runs: the lanes are the processes (the main process\'s sentinels make no lane of their own)', async () => {
    const one = await run({ engine: 'python', messageCount: 10, napMs: 5, seed: 4 });
    assert.equal(one.ok, true, one.failure ?? one.invariant);
    const r = await reportUntil('the Python run', (x) => x.runId === one.runId && x.events === one.events && x.lines === one.lineCount);
    assert.deepEqual(r.lanes, one.processes.map((p) => p.name));
    await sleep(300);
    await screenshot('timeline-python');
    // Two shouters: the main process puts the sentinels, on lane 255.
    const two = await run({ engine: 'python', messageCount: 5, napMs: 5, shouters: 2, seed: 4 });
    assert.equal(two.ok, true, two.failure ?? two.invariant);
    const r2 = await reportUntil('the Python 2 × 1 run', (x) => x.runId === two.runId && x.events === two.events && x.lines === two.lineCount);
    assert.deepEqual(r2.lanes, two.processes.map((p) => p.name));
    assert.ok(!r2.laneLabels.some((l) => /255|host/.test(l)), `no lane for the main process: ${r2.laneLabels}`);
    await sleep(300);
    await screenshot('timeline-python-2x1');
  });

  test('compare mode lines the runs up on their first events', async () => {
    const tl = (await api()).timeline;
    const node = await run({ messageCount: 10, napMs: 5, seed: 9 });
    const python = await run({ engine: 'python', messageCount: 10, napMs: 5, seed: 9 });
    tl.showCompare(node.runId, python.runId);
    const r = await reportUntil('the two runs stacked', (x) => x.runId === node.runId && x.compareRunId === python.runId && x.events === node.events);
    assert.equal(r.align, 'first');
    // Fitted: the view opens at the first events (a 1% margin), not at the runs' starts.
    const w = r.viewport.t1 - r.viewport.t0;
    assert.ok(r.viewport.t0 < 0 && r.viewport.t0 > -0.02 * w, `view starts at the first event: ${JSON.stringify(r.viewport)}`);
    await sleep(300);
    await screenshot('timeline-compare-aligned');
    assert.ok(tl.receiveFromWebview({ type: 'select', slot: 'compare', runId: null }));
    await tl.waitForRendered((x) => x.compareRunId === null, 30_000);
  });
});
