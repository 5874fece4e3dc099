/**
 * The one place this window's runs are kept: real runs (with their summaries once they end),
 * runs read back from trace files, and made-up runs for tests. The controller adds to it; the
 * timeline, Explore, Replay and Export read it. It keeps the newest `keep` runs and, beyond
 * that, evicts the oldest while their traces and transcripts hold more than `budgetBytes` (the
 * newest run is never evicted: it may be the one going). Runs live in memory only. No `vscode` import, so
 * the unit tests drive it directly.
 */
import type { Run } from '../engine/run';
import type { RunSummary } from '../protocol/run';
import { TIMELINE_KEEP_RUNS, type TimelineRunListItem } from '../protocol/timeline';
import type { TimelineSource } from '../views/timeline/source';

/** Runs kept at most, whatever their size. */
export const KEEP_RUNS = TIMELINE_KEEP_RUNS;
/** Bytes the kept runs' traces and transcripts may hold together before the oldest go. */
export const KEPT_BYTES_BUDGET = 512 * 1024 * 1024;

export interface KeptRun {
  readonly source: TimelineSource;
  /** "#3 · 14:02:11": the window's run number and start time. */
  readonly label: string;
  /** The real run, when it is one (not a run read from a file or made up for a test). */
  readonly run?: Run;
  /** Set when a real run has ended. */
  summary?: RunSummary;
}

export interface RunStoreChange {
  /** The run just added, if one was. */
  readonly added?: KeptRun;
  /** A run that ended (its summary is set). */
  readonly ended?: KeptRun;
  /** Runs dropped, and why ('forgotten': the user asked, e.g. Forget in the Runs view). */
  readonly dropped: readonly { run: KeptRun; reason: 'count' | 'budget' | 'forgotten' }[];
}

export interface Subscription { dispose(): void }

export class RunStore {
  private readonly entries: KeptRun[] = [];
  private count = 0;
  /** Runs dropped so far in this window. */
  dropped = 0;
  private readonly listeners = new Set<(change: RunStoreChange) => void>();

  constructor(readonly keep = KEEP_RUNS, readonly budgetBytes = KEPT_BYTES_BUDGET) {}

  /**
   * Keeps a run (newest first). A real run's owner calls `ended` with its summary; any other
   * source counts as ended when its `done` settles.
   */
  add(source: TimelineSource, run?: Run): KeptRun {
    const time = new Date(source.startedAt).toTimeString().slice(0, 8);
    const entry: KeptRun = { source, label: `#${++this.count} · ${time}${source.title ? ` · ${source.title}` : ''}`, ...(run ? { run } : {}) };
    this.entries.unshift(entry);
    const dropped = this.evict();
    if (!run) { void source.done.then(() => this.settle(entry, undefined)); }
    this.fire({ added: entry, dropped });
    return entry;
  }

  /** A real run ended: its summary is kept with it (if the run itself still is). */
  ended(runId: string, summary: RunSummary): void {
    const entry = this.get(runId);
    if (entry) { this.settle(entry, summary); }
  }

  /**
   * Drops a finished run because the user asked (Forget): it is gone everywhere the store is
   * read. A run still going cannot be forgotten (stop it first). False if it was not kept.
   */
  forget(id: string): boolean {
    const i = this.entries.findIndex((e) => e.source.id === id);
    if (i < 0) { return false; }
    const entry = this.entries[i];
    if (entry.source.verdict === undefined) { throw new Error(`Run ${id} is still going: stop it before forgetting it.`); }
    this.entries.splice(i, 1);
    this.fire({ dropped: [{ run: entry, reason: 'forgotten' }] });
    return true;
  }

  private settle(entry: KeptRun, summary: RunSummary | undefined): void {
    if (summary) { entry.summary = summary; }
    // A run grows while it goes: the budget is checked again once its trace is complete.
    this.fire({ ended: entry, dropped: this.evict() });
  }

  private evict(): { run: KeptRun; reason: 'count' | 'budget' }[] {
    const out: { run: KeptRun; reason: 'count' | 'budget' }[] = [];
    while (this.entries.length > this.keep) { out.push({ run: this.entries.pop()!, reason: 'count' }); }
    while (this.entries.length > 1 && this.keptBytes() > this.budgetBytes) { out.push({ run: this.entries.pop()!, reason: 'budget' }); }
    this.dropped += out.length;
    return out;
  }

  /** Bytes held by the kept runs' traces and transcripts. */
  keptBytes(): number { return this.entries.reduce((sum, e) => sum + e.source.trace.byteSize + e.source.transcript.byteLength, 0); }

  get(id: string | null | undefined): KeptRun | undefined {
    return id ? this.entries.find((e) => e.source.id === id) : undefined;
  }

  get newest(): KeptRun | undefined { return this.entries[0]; }

  /** Every kept run, newest first. */
  all(): readonly KeptRun[] { return this.entries; }

  /** The real runs kept, newest first. */
  runs(): Run[] { return this.entries.flatMap((e) => (e.run ? [e.run] : [])); }

  findRun(id: string): Run | undefined { return this.get(id)?.run; }

  /** Summaries of the real runs that ended, newest first. */
  summaries(): RunSummary[] { return this.entries.flatMap((e) => (e.summary ? [e.summary] : [])); }

  ids(): string[] { return this.entries.map((e) => e.source.id); }

  /** What the timeline's run picker lists. */
  list(): TimelineRunListItem[] {
    return this.entries.map((e) => ({
      runId: e.source.id, label: e.label, startedAt: e.source.startedAt,
      live: e.source.verdict === undefined, ...(e.source.verdict ? { ok: e.source.verdict.ok } : {}),
    }));
  }

  /** fn(change) whenever a run is added, ends, or is dropped. */
  onDidChange(fn: (change: RunStoreChange) => void): Subscription {
    this.listeners.add(fn);
    return { dispose: () => { this.listeners.delete(fn); } };
  }

  private fire(change: RunStoreChange): void { for (const fn of this.listeners) { fn(change); } }
}
