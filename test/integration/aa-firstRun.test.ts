// The first run in a fresh window, as a newcomer starts it: "Shout/Hear: Run" with the default
// settings (this file sorts first, so nothing ran before it). It must read like the lesson's run:
// no process waited for a lock nobody held (a slow first syscall after a nap is not a wait; the
// start gate's own test is in the unit suite, the start skew in the bench). The pictures (timeline, output channel) are for a person
// to look at; out/shots/first-run-*.png.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EventKind, PrintFlags } from '../../src/protocol/events';
import type { RunSummary } from '../../src/protocol/run';
import { importChromeTrace } from '../../src/trace/traceImport';
import { api, screenshot, waitFor } from './helpers';

suite('First run in a fresh window', () => {
  test('the default run reads like the lesson\'s: no wait without a holder (screenshots)', async () => {
    const ext = await api();
    assert.equal(ext.recentRuns().length, 0, 'no run before this one in this window');
    const s = await vscode.commands.executeCommand<RunSummary>('shoutHear.run');
    assert.equal(s.ok, true, s.failure ?? s.invariant);
    assert.equal(s.exactlyOnceInOrder, true);

    const file = path.join(os.tmpdir(), `shout-hear-first-${process.pid}.json`);
    try {
      await vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(file));
      const run = importChromeTrace(fs.readFileSync(file, 'utf8'));
      const starts = new Map<number, number>();
      const spans: [number, number, number][] = [];
      const waits: [number, number, number][] = [];
      run.trace.scan((kind, proc, _v, t, dur, _aux, flags) => {
        if (kind === EventKind.Start) { starts.set(proc, t); }
        if (kind === EventKind.Print && !(flags & PrintFlags.NoLock)) { spans.push([t, t + dur, proc]); }
        if (kind === EventKind.LockWait) { waits.push([t, t + dur, proc]); }
      });
      assert.ok(starts.has(0) && starts.has(1), 'both processes traced their start');
      for (const [from, to, proc] of waits) {
        const held = spans.some(([t, end, p]) => p !== proc && t < to && end > from - 1e6);
        assert.ok(held, `the ${proc === 0 ? 'shouter' : 'hearer'} waited ${((to - from) / 1000).toFixed(0)} µs for a lock nobody held`);
      }
    } finally {
      fs.rmSync(file, { force: true });
    }

    const tl = ext.timeline;
    await waitFor('the timeline panel to open', () => tl.isOpen());
    await tl.waitForRendered((x) => x.runId === s.runId && x.events === s.events, 30_000);
    await new Promise((res) => setTimeout(res, 300));
    await screenshot('first-run-timeline');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.output.toggleOutput');
    await new Promise((res) => setTimeout(res, 500));
    await screenshot('first-run-output');
  });
});
