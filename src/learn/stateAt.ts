/**
 * What every process is doing at one instant of a run: its state, its line in the listing,
 * what is in the queue (oldest first) and how many lines have been printed. A span covers
 * [start, end); an instant at t has happened at t. The page's playhead and the
 * shoutHear.stateAt command both use this (no vscode, no DOM).
 */
import { lineOfEvent } from './programMap';
import { K, NS_PER_MS, PRINT_NO_LOCK, SENTINEL_VALUE, eventsInTimeOrder, traceEndNs, type Ev, type LearnRun } from './traceView';

export type ProcessState = 'notStarted' | 'running' | 'lockWait' | 'printing' | 'napping' | 'getWait' | 'putBlocked' | 'exited';

export interface ProcessAt { name: string; state: ProcessState; line: number | null }
export interface QueueItem { shouter: number; message: number | 'done' }
export interface StateAt { tMs: number; processes: ProcessAt[]; queue: QueueItem[]; printed: number }

const SPAN_STATE: Partial<Record<number, ProcessState>> = {
  [K.lockWait]: 'lockWait', [K.print]: 'printing', [K.nap]: 'napping', [K.getWait]: 'getWait', [K.putBlocked]: 'putBlocked',
};

/** An event with its times in ms; `end` computed as the callers compute it, (t + dur) / 1e6. */
type MsEv = Ev & { end: number };

interface ProcTrack {
  name: string;
  role: string;
  events: MsEv[];
  /** Per event: its listing line. */
  lines: (number | null)[];
  startMs: number | undefined;
  exitMs: number | undefined;
}

/** A run indexed once, then asked about any number of instants. */
export interface StateIndex {
  /** The instants the run covers, in ms: [0, endMs]. */
  readonly endMs: number;
  at(tMs: number): StateAt;
}

export function indexStates(run: LearnRun): StateIndex {
  // Times in ms from here on (the unit of tMs), so that an event's own t / 1e6 lands exactly on it.
  const events = eventsInTimeOrder(run.trace).map((e): MsEv => ({ ...e, t: e.t / NS_PER_MS, dur: e.dur / NS_PER_MS, end: (e.t + e.dur) / NS_PER_MS }));
  const endNs = traceEndNs(run.trace);
  const tracks: ProcTrack[] = run.lanes.filter((l) => l.role === 'shouter' || l.role === 'hearer').map((l) => {
    const own = events.filter((e) => e.proc === l.proc);
    let gets = 0;
    const lines = own.map((e) => {
      const firstGet = (e.kind === K.get || e.kind === K.getWait) && gets === 0;
      if (e.kind === K.get) { gets++; }
      return lineOfEvent(e.kind, { role: l.role, value: e.value, flags: e.flags, firstGet });
    });
    return {
      name: l.name, role: l.role, events: own, lines,
      startMs: own.find((e) => e.kind === K.start)?.t,
      exitMs: own.find((e) => e.kind === K.exit)?.t,
    };
  });
  const puts = events.filter((e) => e.kind === K.put);
  const gets = events.filter((e) => e.kind === K.get);
  const lineEnds = printedLineEnds(events);

  const endMs = endNs / NS_PER_MS;
  return {
    endMs,
    at(tMs: number): StateAt {
      if (typeof tMs !== 'number' || !Number.isFinite(tMs) || tMs < 0 || tMs > endMs || events.length === 0) {
        throw new RangeError(`tMs ${String(tMs)} is outside run ${run.runId}: allowed 0 to ${endMs.toFixed(3)} ms (its trace's span)`);
      }
      // Compared in ms, the unit callers step in (t / 1e6 of an event must land on that event).
      const t = tMs;
      return {
        tMs,
        processes: tracks.map((p) => processAt(p, t)),
        queue: queueAt(puts, gets, t),
        printed: lineEnds.filter((end) => end <= t).length,
      };
    },
  };
}

export function stateAt(run: LearnRun, tMs: number): StateAt {
  return indexStates(run).at(tMs);
}

function processAt(p: ProcTrack, t: number): ProcessAt {
  if (p.startMs === undefined || t < p.startMs) { return { name: p.name, state: 'notStarted', line: null }; }
  if (p.exitMs !== undefined && t >= p.exitMs) { return { name: p.name, state: 'exited', line: null }; }
  // The latest-starting span that covers t.
  for (let k = p.events.length - 1; k >= 0; k--) {
    const e = p.events[k];
    if (e.t > t) { continue; }
    const state = SPAN_STATE[e.kind];
    if (state && e.dur > 0 && t < e.end) { return { name: p.name, state, line: p.lines[k] }; }
  }
  // Between spans: running toward its next step (its line), else just past its last one.
  const next = p.events.findIndex((e) => e.t >= t && e.kind !== K.start);
  const k = next >= 0 ? next : p.events.length - 1;
  return { name: p.name, state: 'running', line: p.lines[k] ?? null };
}

/** Put and not yet got at t, oldest first. A get takes the oldest put of the same item. */
function queueAt(puts: Ev[], gets: Ev[], t: number): QueueItem[] {
  const inQueue = puts.filter((e) => e.t <= t);
  for (const g of gets) {
    if (g.t > t) { break; }
    const k = inQueue.findIndex((p) => p.value === g.value && (g.value === SENTINEL_VALUE || p.aux === g.aux));
    if (k >= 0) { inQueue.splice(k, 1); }
  }
  return inQueue.map((p) => ({ shouter: p.aux + 1, message: p.value === SENTINEL_VALUE ? 'done' : p.value }));
}

/** When each output line finished: a locked print's end, or a lock-off line's last piece's end. */
function printedLineEnds(events: MsEv[]): number[] {
  const ends: number[] = [];
  const open = new Map<number, number>();
  for (const e of events) {
    if (e.kind !== K.print) { continue; }
    const end = e.end;
    if (!(e.flags & PRINT_NO_LOCK)) { ends.push(end); continue; }
    const piece = e.aux; // a lock-off print's piece index (trace format v2)
    const at = open.get(e.proc);
    if (piece === 0 || at === undefined) {
      open.set(e.proc, ends.length);
      ends.push(end);
    } else {
      ends[at] = Math.max(ends[at], end);
    }
  }
  return ends;
}
