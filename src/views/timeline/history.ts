/** The runs of this window the timeline can show: the newest TIMELINE_KEEP_RUNS, and how many were dropped. */
import { TIMELINE_KEEP_RUNS, type TimelineRunListItem } from '../../protocol';
import type { TimelineSource } from './source';

export interface HistoryEntry {
  source: TimelineSource;
  label: string;
}

export class RunHistory {
  private readonly entries: HistoryEntry[] = [];
  private count = 0;
  dropped = 0;
  private readonly listeners = new Set<(added: HistoryEntry | undefined) => void>();

  constructor(readonly keep = TIMELINE_KEEP_RUNS) {}

  add(source: TimelineSource): HistoryEntry {
    const time = new Date(source.startedAt).toTimeString().slice(0, 8);
    const entry = { source, label: `#${++this.count} · ${time}` };
    this.entries.unshift(entry);
    while (this.entries.length > this.keep) { this.entries.pop(); this.dropped++; }
    void source.done.then(() => this.fire(undefined));
    this.fire(entry);
    return entry;
  }

  get(id: string | null | undefined): HistoryEntry | undefined {
    return id ? this.entries.find((e) => e.source.id === id) : undefined;
  }

  get newest(): HistoryEntry | undefined { return this.entries[0]; }

  list(): TimelineRunListItem[] {
    return this.entries.map((e) => ({
      runId: e.source.id, label: e.label, startedAt: e.source.startedAt,
      live: e.source.verdict === undefined, ...(e.source.verdict ? { ok: e.source.verdict.ok } : {}),
    }));
  }

  /** fn(entry) when a run is added, fn(undefined) when one ends. */
  onChange(fn: (added: HistoryEntry | undefined) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private fire(added: HistoryEntry | undefined): void { for (const fn of this.listeners) { fn(added); } }
}
