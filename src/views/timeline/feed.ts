/**
 * Sends one run to one slot of the webview: its meta, then its events in columnar batches
 * (typed arrays, which VS Code transfers as binary), its output lines, and its verdict; while
 * the run goes, new events and lines at most ~30 times a second. No `vscode` import.
 */
import type { HostToTimeline, TimelineEventBatch, TimelineSlot } from '../../protocol/timeline';
import { CHUNK, CHUNK_BITS, type TraceStore } from '../../trace/traceStore';
import type { KeptRun as HistoryEntry } from '../../host/runStore';
import { objectTracksOf } from './scriptObjects';

export const EVENT_BATCH = 1 << 18;
export const LINE_BATCH = 20_000;
export const MAX_LINES = 2_000_000;
export const LIVE_INTERVAL_MS = 33;
/**
 * Events sent but not yet acknowledged by the page, at most: the feed waits for the page's
 * "received" before sending more, so a slow page never has gigabytes queued towards it.
 */
export const MAX_UNACKNOWLEDGED_EVENTS = 2 * EVENT_BATCH;

export type Post = (message: HostToTimeline) => unknown;

/** Events [from, to) of the store as one columnar batch (copies). */
export function sliceEvents(store: TraceStore, from: number, to: number): TimelineEventBatch {
  const n = Math.max(0, to - from);
  const b: TimelineEventBatch = {
    from, t: new Float64Array(n), dur: new Float32Array(n), value: new Int32Array(n),
    aux: new Uint32Array(n), kind: new Uint8Array(n), flags: new Uint8Array(n), proc: new Uint16Array(n),
  };
  let at = 0;
  while (at < n) {
    const index = from + at;
    const chunk = store.chunks[index >>> CHUNK_BITS];
    const i = index & (CHUNK - 1);
    const take = Math.min(n - at, chunk.length - i);
    if (take <= 0) { break; }
    b.t.set(chunk.t.subarray(i, i + take), at);
    b.dur.set(chunk.dur.subarray(i, i + take), at);
    b.value.set(chunk.value.subarray(i, i + take), at);
    b.aux.set(chunk.aux.subarray(i, i + take), at);
    b.kind.set(chunk.kind.subarray(i, i + take), at);
    b.flags.set(chunk.flags.subarray(i, i + take), at);
    b.proc.set(chunk.proc.subarray(i, i + take), at);
    at += take;
  }
  return b;
}

export class SlotFeed {
  private sentEvents = 0;
  private sentLines = 0;
  private endedSent = false;
  private ended = false;
  private disposed = false;
  private pumping = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  /** Messages posted (for tests). */
  posts = 0;
  /** Events the page has acknowledged; the ends of the batches it has not yet. */
  private acknowledged = 0;
  private readonly unacknowledged: number[] = [];
  private ackWaiter: (() => void) | undefined;
  /** Most events ever sent and not yet acknowledged (for tests). */
  maxInFlight = 0;

  constructor(private readonly post: Post, readonly slot: TimelineSlot, readonly entry: HistoryEntry) {}

  get runId(): string { return this.entry.source.id; }

  /**
   * The page took one batch in (it says how many events it holds, for the log). Counted by
   * batches, so a page that disagrees about the count still never stalls the feed.
   */
  received(_events: number): void {
    const end = this.unacknowledged.shift();
    if (end !== undefined) { this.acknowledged = end; }
    const wake = this.ackWaiter;
    this.ackWaiter = undefined;
    wake?.();
  }

  private async roomToSend(): Promise<void> {
    while (!this.disposed && this.sentEvents - this.acknowledged >= MAX_UNACKNOWLEDGED_EVENTS) {
      await new Promise<void>((r) => { this.ackWaiter = r; });
    }
  }

  start(): void {
    const s = this.entry.source;
    this.ended = s.verdict !== undefined;
    this.send({
      type: 'load', slot: this.slot, totalEvents: s.trace.length, live: !this.ended,
      run: {
        runId: s.id, label: this.entry.label, seed: s.seed, config: s.config, startedAt: s.startedAt,
        processes: s.processes().map((p) => ({ proc: p.proc, role: p.role, name: p.name, ...(p.pid !== undefined ? { pid: p.pid } : {}) })),
        ...(s.verdict ? { verdict: s.verdict } : {}),
        ...(s.file ? { file: s.file } : {}),
        ...(s.script ? { objects: objectTracksOf(s.script), texts: s.script.meta.textsForTimeline() } : {}),
      },
    });
    if (!this.ended) {
      this.unsubscribe.push(s.onTrace(() => this.kick()), s.onOutput(() => this.kick()));
      void s.done.then(() => { this.ended = true; this.kick(true); });
      // Be the scheduler: the live run in the main slot tells who waits for its lock, as it changes.
      if (this.slot === 'main' && s.lock && s.config.lockPolicy === 'manual') {
        this.unsubscribe.push(s.lock.onChange(() => this.sendLockState()));
        this.sendLockState();
        void s.done.then(() => this.sendLockState());
      }
    }
    void this.pump();
  }

  /** The main slot's live run: its lock's holder and waiters (after the run: nobody). */
  sendLockState(error?: string): void {
    const s = this.entry.source;
    if (this.slot !== 'main' || !s.lock) { return; }
    const state = this.ended || s.verdict ? { holder: undefined, waiting: [] } : s.lock.state();
    this.send({
      type: 'lockState', runId: s.id, holder: state.holder ?? null, waiting: [...state.waiting],
      manual: s.config.lockPolicy === 'manual' && !this.ended && !s.verdict, ...(error ? { error } : {}),
    });
  }

  private send(m: HostToTimeline): void {
    if (this.disposed) { return; }
    this.posts++;
    this.post(m);
  }

  /** Schedules a send of what is new, at most every LIVE_INTERVAL_MS. */
  private kick(now = false): void {
    if (this.disposed || this.pumping) { if (now) { this.timer ??= setTimeout(() => { this.timer = undefined; void this.pump(); }, 0); } return; }
    if (this.timer !== undefined) { if (!now) { return; } clearTimeout(this.timer); }
    this.timer = setTimeout(() => { this.timer = undefined; void this.pump(); }, now ? 0 : LIVE_INTERVAL_MS);
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.disposed) { return; }
    this.pumping = true;
    try {
      const s = this.entry.source;
      const endedAtStart = this.ended;
      for (;;) {
        if (this.disposed) { return; }
        const n = s.trace.length;
        if (this.sentEvents < n) {
          await this.roomToSend();
          if (this.disposed) { return; }
          const to = Math.min(n, this.sentEvents + EVENT_BATCH);
          this.send({ type: 'events', slot: this.slot, runId: s.id, batch: sliceEvents(s.trace, this.sentEvents, to) });
          this.sentEvents = to;
          this.unacknowledged.push(to);
          this.maxInFlight = Math.max(this.maxInFlight, this.sentEvents - this.acknowledged);
          // Let the host breathe between big batches.
          if (to < n) { await new Promise((r) => setImmediate(r)); }
          continue;
        }
        const complete = endedAtStart ? s.transcript.totalLines : s.transcript.lineCount;
        const limit = Math.min(complete, MAX_LINES);
        if (this.sentLines < limit) {
          const to = Math.min(limit, this.sentLines + LINE_BATCH);
          const lines: string[] = [];
          const all = endedAtStart && to > s.transcript.lineCount ? s.transcript.allLines() : undefined;
          for (let i = this.sentLines; i < to; i++) { lines.push(all ? all[i] : s.transcript.line(i)); }
          const truncated = Math.max(0, complete - MAX_LINES);
          this.send({ type: 'lines', slot: this.slot, runId: s.id, from: this.sentLines, lines, ...(truncated ? { truncated } : {}) });
          this.sentLines = to;
          if (to < limit) { await new Promise((r) => setImmediate(r)); }
          continue;
        }
        break;
      }
      if (endedAtStart && !this.endedSent && s.verdict) {
        this.endedSent = true;
        this.send({ type: 'ended', slot: this.slot, runId: s.id, verdict: s.verdict });
      }
    } finally {
      this.pumping = false;
    }
    // Ended while we were sending: one more round for the rest and the verdict.
    if (this.ended && !this.endedSent && !this.disposed) { this.kick(true); }
  }

  dispose(): void {
    this.disposed = true;
    this.ackWaiter?.();
    if (this.timer !== undefined) { clearTimeout(this.timer); }
    for (const u of this.unsubscribe) { u(); }
  }
}
