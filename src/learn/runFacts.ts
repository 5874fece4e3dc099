/**
 * The facts of one run that the narration is built from, read once from the trace: who is
 * who, the queue's contents over time, which lock waits were contended, and which lines were
 * written without the lock. Pure (no vscode, no DOM, no Node).
 */
import { K, PRINT_FAST_ACQUIRE, PRINT_NO_LOCK, SENTINEL_VALUE, eventsInTimeOrder, traceEndNs, type Ev, type LaneInfo, type LearnRun } from './traceView';

export interface QueueChange {
  ev: Ev;
  /** Depth just after this put or get. */
  depth: number;
  /** What the queue held just after it, oldest first. */
  items: Ev[];
}

export interface LockWait {
  ev: Ev;
  /** Other processes that held the lock (printed with it, or were asked to hand it over) during the wait. */
  holders: number[];
  /** Lines those holders printed during the wait. */
  linesByHolders: number;
}

export interface UnlockedLine {
  proc: number;
  value: number;
  start: number;
  end: number;
  pieces: Ev[];
}

export interface RunFacts {
  run: LearnRun;
  events: Ev[];
  endNs: number;
  lanes: Map<number, LaneInfo>;
  shouters: LaneInfo[];
  hearers: LaneInfo[];
  queueChanges: QueueChange[];
  /** Locked prints in time order. */
  lockedPrints: Ev[];
  waits: LockWait[];
  unlockedLines: UnlockedLine[];
}

export function readFacts(run: LearnRun): RunFacts {
  const events = eventsInTimeOrder(run.trace);
  const lanes = new Map(run.lanes.map((l) => [l.proc, l]));
  const lockedPrints = events.filter((e) => e.kind === K.print && !(e.flags & PRINT_NO_LOCK));
  const revokes = events.filter((e) => e.kind === K.revoke);
  const waits = events.filter((e) => e.kind === K.lockWait).map((ev) => lockWaitOf(ev, lockedPrints, revokes));
  return {
    run, events, endNs: traceEndNs(run.trace), lanes,
    shouters: run.lanes.filter((l) => l.role === 'shouter'),
    hearers: run.lanes.filter((l) => l.role === 'hearer'),
    queueChanges: queueChangesOf(events),
    lockedPrints, waits,
    unlockedLines: unlockedLinesOf(events),
  };
}

function lockWaitOf(ev: Ev, prints: Ev[], revokes: Ev[]): LockWait {
  const from = ev.t;
  const to = ev.t + ev.dur;
  const holders = new Set<number>();
  let linesByHolders = 0;
  for (const p of prints) {
    if (p.t >= to) { break; }
    if (p.proc !== ev.proc && p.t + p.dur > from) { holders.add(p.proc); linesByHolders++; }
  }
  // A hand-over request during the wait: the lock was someone else's (a holder that keeps it between lines).
  for (const r of revokes) { if (r.t >= from && r.t <= to && r.aux !== ev.proc) { holders.add(r.aux); } }
  return { ev, holders: [...holders], linesByHolders };
}

export function isContended(w: LockWait): boolean { return w.holders.length > 0 && w.ev.dur > 0; }

/** The queue after every put and get, matching a get to the oldest put of the same item. */
function queueChangesOf(events: Ev[]): QueueChange[] {
  const items: Ev[] = [];
  const out: QueueChange[] = [];
  for (const ev of events) {
    if (ev.kind === K.put) {
      items.push(ev);
    } else if (ev.kind === K.get) {
      const k = items.findIndex((p) => p.value === ev.value && (ev.value === SENTINEL_VALUE || p.aux === ev.aux));
      items.splice(k >= 0 ? k : 0, 1);
    } else { continue; }
    out.push({ ev, depth: items.length, items: [...items] });
  }
  return out;
}

/** Lock-off lines: consecutive pieces of one process, from piece 0 to its last. */
function unlockedLinesOf(events: Ev[]): UnlockedLine[] {
  const lines: UnlockedLine[] = [];
  const open = new Map<number, UnlockedLine>();
  for (const ev of events) {
    if (ev.kind !== K.print || !(ev.flags & PRINT_NO_LOCK)) { continue; }
    let line = open.get(ev.proc);
    if (!line || ev.aux === 0) { // aux: the piece's index (trace format v2)
      line = { proc: ev.proc, value: ev.value, start: ev.t, end: ev.t + ev.dur, pieces: [] };
      open.set(ev.proc, line);
      lines.push(line);
    }
    line.pieces.push(ev);
    line.end = Math.max(line.end, ev.t + ev.dur);
  }
  return lines;
}

/** Two lock-off lines of different processes whose pieces interleave in time. */
export function piecesInterleave(a: UnlockedLine, b: UnlockedLine): boolean {
  if (a.proc === b.proc || a.end <= b.start || b.end <= a.start) { return false; }
  const inside = (x: UnlockedLine, y: UnlockedLine) => y.pieces.some((p) => p.t > x.start && p.t < x.end);
  return inside(a, b) || inside(b, a);
}

export function wasFastAcquire(ev: Ev): boolean { return (ev.flags & PRINT_FAST_ACQUIRE) !== 0; }
