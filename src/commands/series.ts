/**
 * The one skeleton of Run Batch and Sweep Nap Probabilities: a series of runs one after another
 * through the RunController, one series at a time, with a progress notification whose Cancel
 * stops the run going and the rest; the Explore panel shows it live, then its end (also when a
 * run could not start). Each command says only what differs: its plan, what a finished run adds,
 * and how its state is shown.
 */
import * as vscode from 'vscode';
import type { Run } from '../engine/run';
import type { RunController } from '../host/runController';
import type { RunConfig, RunSummary } from '../protocol/run';
import { runSequence } from '../stats/batch';
import type { ExploreView } from '../views/explore/register';

/** Where a series stands, for the panel. */
export interface SeriesState {
  running: boolean;
  cancelled: boolean;
  interruption?: string;
}

export interface SeriesSpec<R> {
  /** "A batch": says what is still going when a second series is asked for. */
  what: string;
  /** The progress notification's title. */
  title: string;
  plan: readonly RunConfig[];
  /** A run of the plan ended (not stopped): take it into the result. */
  add(summary: RunSummary, run: Run | undefined): void;
  /** Puts the series' state on the panel (called at the start, after each run, at the end). */
  show(state: SeriesState): void;
  /** The result once the series ended. */
  result(cancelled: boolean): R;
  /** Extra words after "run i of n" in the notification. */
  status?(): string;
}

export class SeriesRunner {
  private going: string | undefined;
  private cancelCurrent: (() => void) | undefined;

  constructor(private readonly runs: RunController) {}

  /** True while a batch or sweep runs. */
  get busy(): boolean { return this.going !== undefined; }

  /** Cancels the series going, as its Cancel button does. */
  cancel(): void { this.cancelCurrent?.(); }

  async run<R>(explore: ExploreView, spec: SeriesSpec<R>): Promise<R> {
    if (this.going) { throw new Error(vscode.l10n.t('{0} is still going: cancel it first (Cancel on its progress notification) or wait for it to end.', this.going)); }
    this.going = spec.what;
    try {
      spec.show({ running: true, cancelled: false });
      explore.open(true);
      const outcome = await this.sequence(spec, explore).then(undefined, (err: Error) => {
        // A run could not start (e.g. no Python): show what ran, then report the error.
        spec.show({ running: false, cancelled: true, interruption: `a run could not start: ${err.message}` });
        explore.updateNow();
        throw err;
      });
      const result = spec.result(outcome.cancelled);
      spec.show({ running: false, cancelled: outcome.cancelled, ...(outcome.interruption ? { interruption: outcome.interruption } : {}) });
      explore.open(true);
      explore.updateNow();
      return result;
    } finally {
      this.going = undefined;
    }
  }

  private sequence<R>(spec: SeriesSpec<R>, explore: ExploreView) {
    const n = spec.plan.length;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: spec.title, cancellable: true }, async (progress, token) => {
      let cancelled = false;
      const cancel = () => { cancelled = true; void this.runs.stop(); };
      this.cancelCurrent = cancel;
      token.onCancellationRequested(cancel);
      try {
        return await runSequence(spec.plan, {
          run: (config) => this.runs.run(config),
          cancelled: () => cancelled,
          onStart: (i) => progress.report({ message: `run ${i + 1} of ${n}${spec.status?.() ?? ''}` }),
          onEnd: (summary) => {
            spec.add(summary, this.runs.findRun(summary.runId));
            spec.show({ running: true, cancelled: false });
            explore.scheduleUpdate();
            progress.report({ increment: 100 / n });
          },
        });
      } finally {
        this.cancelCurrent = undefined;
      }
    });
  }
}

/** A finished run's printed lines (from the run while it is kept, else from its summary). */
export function linesOf(summary: RunSummary, run: Run | undefined): string[] {
  return run?.transcript.allLines() ?? summary.lines ?? [];
}
