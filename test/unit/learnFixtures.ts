// Fixed traces for the learning modules' tests, written event by event (times in ms here,
// stored in ns as the trace stores them), through the host's own TraceStore and adapter.
import { EventKind, PrintFlags, SCHEDULER_PROC, SENTINEL } from '../../src/protocol/events';
import { TraceStore } from '../../src/trace/traceStore';
import { columnsOfChunks, type LaneInfo, type LearnConfig, type LearnRun } from '../../src/learn/traceView';

const MS = 1e6;

export class TraceBuilder {
  readonly store = new TraceStore();
  ev(kind: EventKind, proc: number, value: number, fromMs: number, toMs = fromMs, aux = 0, flags = 0): this {
    this.store.append(kind, proc, value, fromMs * MS, (toMs - fromMs) * MS, aux, flags);
    return this;
  }
  run(lanes: LaneInfo[], config: Partial<LearnConfig> = {}, live = false): LearnRun {
    return {
      runId: 'fixture', lanes, live, trace: columnsOfChunks(this.store),
      config: { messageCount: 4, napProbability: 0.25, napMs: 100, useLock: true, queueCapacity: 0, shouters: 1, hearers: 1, engine: 'node', ...config },
    };
  }
}

export const ONE_BY_ONE: LaneInfo[] = [{ proc: 0, name: 'shouter', role: 'shouter' }, { proc: 1, name: 'hearer', role: 'hearer' }];

/**
 * The lesson's story in 4 messages: the hearer blocks on the empty queue, the shouter shouts
 * 2 and 3 while the hearer waits for the lock (contention, lock won again, queue 2 deep), the
 * shouter naps 100 ms and the hearer drains the queue, then blocks again; 4 and "done"; exits.
 */
export function lessonStory(live = false): LearnRun {
  const b = new TraceBuilder();
  const S = 0;
  const H = 1;
  b.ev(EventKind.Start, S, 100, 0)
    .ev(EventKind.Start, H, 101, 0.2)
    .ev(EventKind.GetWait, H, 0, 0.3, 1.25)
    .ev(EventKind.LockWait, S, 1, 0.9, 1.0)
    .ev(EventKind.Print, S, 1, 1.0, 1.1)
    .ev(EventKind.Put, S, 1, 1.2)
    .ev(EventKind.Get, H, 1, 1.25)
    .ev(EventKind.LockWait, H, 1, 1.28, 1.62)
    .ev(EventKind.Print, S, 2, 1.3, 1.4)
    .ev(EventKind.Put, S, 2, 1.45)
    .ev(EventKind.Print, S, 3, 1.5, 1.6)
    .ev(EventKind.Put, S, 3, 1.65)
    .ev(EventKind.Print, H, 1, 1.62, 1.7)
    .ev(EventKind.Nap, S, 3, 1.7, 101.7)
    .ev(EventKind.Get, H, 2, 1.75)
    .ev(EventKind.Print, H, 2, 1.8, 1.85)
    .ev(EventKind.Get, H, 3, 1.9)
    .ev(EventKind.Print, H, 3, 1.95, 2.0)
    .ev(EventKind.GetWait, H, 0, 2.05, 101.8)
    .ev(EventKind.Print, S, 4, 101.72, 101.78)
    .ev(EventKind.Put, S, 4, 101.79)
    .ev(EventKind.Get, H, 4, 101.8)
    .ev(EventKind.Print, H, 4, 101.85, 101.9)
    .ev(EventKind.Put, S, SENTINEL, 102.0)
    .ev(EventKind.Exit, S, 0, 102.1)
    .ev(EventKind.Get, H, SENTINEL, 102.05)
    .ev(EventKind.Exit, H, 0, 102.2);
  return b.run(ONE_BY_ONE, {}, live);
}

/** Every acquire finds the lock free; the hearer keeps up with no wait at all. */
export function calmRun(): LearnRun {
  const b = new TraceBuilder();
  b.ev(EventKind.Start, 0, 1, 0).ev(EventKind.Start, 1, 2, 0.1);
  for (let i = 1; i <= 3; i++) {
    const t = i * 2;
    b.ev(EventKind.LockWait, 0, i, t, t + 0.05)
      .ev(EventKind.Print, 0, i, t + 0.05, t + 0.1)
      .ev(EventKind.Put, 0, i, t + 0.2)
      .ev(EventKind.Get, 1, i, t + 0.3)
      .ev(EventKind.LockWait, 1, i, t + 0.35, t + 0.4)
      .ev(EventKind.Print, 1, i, t + 0.4, t + 0.45);
  }
  b.ev(EventKind.Grant, SCHEDULER_PROC, 0, 2.04, 2.04, 0);
  b.ev(EventKind.Put, 0, SENTINEL, 7).ev(EventKind.Exit, 0, 0, 7.1).ev(EventKind.Get, 1, SENTINEL, 7.2).ev(EventKind.Exit, 1, 0, 7.3);
  return b.run(ONE_BY_ONE, { messageCount: 3 });
}

/** Lock off: each line in 3 pieces; lines 1 of both processes interleave, line 2's do not. */
export function lockOffRun(interleave: boolean): LearnRun {
  const b = new TraceBuilder();
  const piece = (proc: number, value: number, k: number, at: number) =>
    b.ev(EventKind.Print, proc, value, at, at + 0.01, k, PrintFlags.NoLock);
  b.ev(EventKind.Start, 0, 1, 0).ev(EventKind.Start, 1, 2, 0);
  for (let k = 0; k < 3; k++) { piece(0, 1, k, 1 + k * 0.1); }
  b.ev(EventKind.Put, 0, 1, 1.3).ev(EventKind.Get, 1, 1, 1.35);
  for (let k = 0; k < 3; k++) { piece(1, 1, k, interleave ? 1.05 + k * 0.1 + 0.3 : 1.4 + k * 0.1); }
  for (let k = 0; k < 3; k++) { piece(0, 2, k, interleave ? 1.4 + k * 0.1 : 2 + k * 0.1); }
  b.ev(EventKind.Put, 0, SENTINEL, 3).ev(EventKind.Exit, 0, 0, 3.1).ev(EventKind.Get, 1, SENTINEL, 3.2).ev(EventKind.Exit, 1, 0, 3.3);
  return b.run(ONE_BY_ONE, { useLock: false, messageCount: 2 });
}

/** N messages, each followed by a nap during which the hearer drains the queue. */
export function napsRun(n: number): LearnRun {
  const b = new TraceBuilder();
  b.ev(EventKind.Start, 0, 1, 0).ev(EventKind.Start, 1, 2, 0);
  for (let i = 1; i <= n; i++) {
    const t = 1 + (i - 1) * 10;
    b.ev(EventKind.Print, 0, i, t, t + 0.05)
      .ev(EventKind.Put, 0, i, t + 0.1)
      .ev(EventKind.Nap, 0, i, t + 0.15, t + 9.9)
      .ev(EventKind.Get, 1, i, t + 0.2)
      .ev(EventKind.Print, 1, i, t + 0.25, t + 0.3);
  }
  const end = 1 + n * 10;
  b.ev(EventKind.Put, 0, SENTINEL, end).ev(EventKind.Exit, 0, 0, end + 0.1).ev(EventKind.Get, 1, SENTINEL, end + 0.2).ev(EventKind.Exit, 1, 0, end + 0.3);
  return b.run(ONE_BY_ONE, { messageCount: n, napProbability: 1 });
}

/** Two shouters, two hearers, a queue of capacity 1: shouter 2's put blocks until hearer 1 gets. */
export function severalBoundedRun(): LearnRun {
  const b = new TraceBuilder();
  const lanes: LaneInfo[] = [
    { proc: 0, name: 'shouter 1', role: 'shouter' }, { proc: 1, name: 'shouter 2', role: 'shouter' },
    { proc: 2, name: 'hearer 1', role: 'hearer' }, { proc: 3, name: 'hearer 2', role: 'hearer' }, { proc: 4, name: 'queue', role: 'queue' },
  ];
  for (let p = 0; p < 5; p++) { b.ev(EventKind.Start, p, 10 + p, p * 0.1); }
  b.ev(EventKind.Print, 0, 1, 1, 1.1).ev(EventKind.Put, 0, 1, 1.2, 1.2, 0)
    .ev(EventKind.Print, 1, 1, 1.15, 1.25)
    .ev(EventKind.PutBlocked, 1, 1, 1.3, 2.0, 1).ev(EventKind.Put, 1, 1, 2.0, 2.0, 1)
    .ev(EventKind.Get, 2, 1, 1.9, 1.9, 0).ev(EventKind.Print, 2, 1, 2.1, 2.2)
    .ev(EventKind.Get, 3, 1, 2.3, 2.3, 1).ev(EventKind.Print, 3, 1, 2.4, 2.5)
    .ev(EventKind.Put, 4, SENTINEL, 3).ev(EventKind.Get, 2, SENTINEL, 3.1)
    .ev(EventKind.Put, 4, SENTINEL, 3.2).ev(EventKind.Get, 3, SENTINEL, 3.3);
  for (let p = 0; p < 4; p++) { b.ev(EventKind.Exit, p, 0, 4 + p * 0.1); }
  b.ev(EventKind.Exit, 4, 0, 4.5);
  return b.run(lanes, { shouters: 2, hearers: 2, queueCapacity: 1, messageCount: 1 });
}
