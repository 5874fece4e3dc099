// The extension host observes, it does not decide: while a run goes, this test blocks the
// host's own event loop (the test runs in the host) and then checks, from the exported trace,
// that the processes kept printing inside the stall and that the run is exactly-once and whole.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { EventKind } from '../../src/protocol/events';
import type { RunSummary } from '../../src/protocol/run';
import { importChromeTrace } from '../../src/trace/traceImport';
import { api, setSetting, waitFor } from './helpers';

const STALL_MS = 1500;

function blockHostLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy: the whole extension host is stuck here */ }
}

suite('Fidelity: the program, not the editor', () => {
  suiteSetup(async () => { await api(); await setSetting('openTimeline', 'never'); });
  suiteTeardown(async () => { await setSetting('openTimeline', undefined); });
  teardown(async () => { await vscode.commands.executeCommand('shoutHear.stop'); });

  for (const lockPolicy of ['os', 'fifo'] as const) {
    test(`a blocked extension host does not stop the processes (lock policy ${lockPolicy})`, async () => {
      const n = 150;
      const ext = await api();
      const headers = (text: string) => text.split('=== Shout/Hear ').length - 1;
      const headersBefore = headers(ext.outputText());
      const before = process.hrtime.bigint();
      const done = vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: n, napProbability: 0.5, napMs: 20, seed: 11, lockPolicy });
      // This run's first line (the channel may still hold an earlier run's).
      await waitFor('the first line', () => {
        const text = ext.outputText();
        return headers(text) > headersBefore && text.slice(text.lastIndexOf('=== Shout/Hear ')).includes('Shout: 1\n');
      });
      const firstSeen = process.hrtime.bigint();
      const stallStart = process.hrtime.bigint();
      blockHostLoop(STALL_MS);
      const stallEnd = process.hrtime.bigint();
      const s = await done;
      assert.equal(s.ok, true, s.failure ?? s.invariant);
      assert.equal(s.exactlyOnceInOrder, true);
      assert.equal(s.lines!.length, 2 * n, 'every line');

      const file = path.join(os.tmpdir(), `shout-hear-stall-${process.pid}-${lockPolicy}.json`);
      try {
        await vscode.commands.executeCommand('shoutHear.exportTrace', s.runId, vscode.Uri.file(file));
        const run = importChromeTrace(fs.readFileSync(file, 'utf8'));
        // The run's t0 lies between `before` and `firstSeen` (hrtime of this same process), so an
        // event at trace time x happened inside the stall for sure if it is within these bounds.
        const lo = Number(stallStart - before);
        const hi = Number(stallEnd - firstSeen);
        let printsInStall = 0;
        let prints = 0;
        run.trace.scan((kind, _p, _v, t) => {
          if (kind !== EventKind.Print) { return; }
          prints++;
          if (t >= lo && t <= hi) { printsInStall++; }
        });
        assert.equal(prints, 2 * n, 'every print is in the trace');
        assert.ok(printsInStall > 0, `the processes kept printing while the host was blocked (${printsInStall} prints inside the ${STALL_MS} ms stall)`);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  }
});
