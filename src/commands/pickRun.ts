/** Finding a kept run for a command: by id (an API argument) or from a quick pick. */
import * as vscode from 'vscode';
import type { Run } from '../engine/run';
import type { RunStore } from '../host/runStore';

/** The kept run `runId`, or an error listing the runs that are kept. */
export function keptRunOrThrow(store: RunStore, runId: string): Run {
  const run = store.findRun(runId);
  if (!run) { throw new Error(vscode.l10n.t('No run "{0}" is kept in this window (kept: {1}).', runId, store.runs().map((r) => r.id).join(', ') || 'none')); }
  return run;
}

/** A quick pick of the kept runs that `accept` takes; undefined if the user dismissed it. */
export async function pickKeptRun(store: RunStore, title: string, accept: (r: Run) => boolean): Promise<Run | undefined> {
  const items = store.runs().filter(accept).map((r) => ({
    label: r.id,
    description: vscode.l10n.t('seed {0}, {1} messages, p {2}, {3}', r.seed, r.config.messageCount, r.config.napProbability, r.config.engine),
    // Only the lines shown: a kept run may have millions.
    detail: r.transcript.firstLines(6).join(' · '),
    run: r,
  }));
  if (items.length === 0) { throw new Error(vscode.l10n.t('There is no finished Node-engine run to pick: run Shout/Hear first.')); }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.run;
}
