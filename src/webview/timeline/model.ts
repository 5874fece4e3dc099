/**
 * One run as the webview holds it: the trace in columns (as the host stores it), one index
 * per process lane, running sums for the level of detail, the lock grants, put/get times for
 * the queue depth, and the message maps that tie an event to its output line and its partner.
 * No DOM. About 30 bytes per event.
 */
import { EventKind, EVENT_KIND_NAMES, PrintFlags, SCHEDULER_PROC, SENTINEL } from '../../protocol/events';
import { parseLessonLine } from '../../protocol/lines';
import type { ProcessRole } from '../../protocol/run';
import type { TimelineEventBatch, TimelineRunMeta } from '../../protocol/timeline';
import { Grow, IntMap } from './grow';
import { LaneSums } from './lod';
import { LockOffLines } from './overlap';

export class Lane {
  readonly idx = new Grow(Int32Array, 1024);
  readonly sums = new LaneSums();
  /** Longest span in the lane (ns). */
  maxDur = 0;
  unsorted = false;
  constructor(readonly proc: number) {}
}

/** Where the entries of an impossible key go (a shouter index the run does not have): nowhere kept. */
const SCRATCH = { set: () => undefined, get: () => -1, byteSize: 0 } as unknown as IntMap;

export class RunData {
  length = 0;
  t: Float64Array;
  dur: Float32Array;
  value: Int32Array;
  aux: Uint32Array;
  kind: Uint8Array;
  flags: Uint8Array;
  proc: Uint16Array;

  /** Process lanes and the host's lane (SCHEDULER_PROC: lock grants and hand-over requests). */
  readonly lanes = new Map<number, Lane>();
  readonly putT = new Grow(Float64Array);
  readonly getT = new Grow(Float64Array);
  private putsSorted = true;
  private getsSorted = true;
  /** By shouter index (aux), event index by message value. */
  readonly putBy: IntMap[] = [];
  readonly getBy: IntMap[] = [];
  /** By proc, event index of the Print of message value. */
  readonly printBy = new Map<number, IntMap>();
  /**
   * Lines and prints, matched by order: a process's k-th output line is its k-th print (the
   * print that starts a line). By proc: the event index of each such print, and each line index.
   */
  readonly printsOf = new Map<number, Grow<Int32Array>>();
  readonly linesOf = new Map<number, Grow<Int32Array>>();
  /** By output line: its process (-1: not a line we can attribute, e.g. garbled) and its rank among that process's lines. */
  readonly lineProc = new Grow(Int32Array);
  readonly lineRank = new Grow(Int32Array);
  readonly lines: string[] = [];
  linesTruncated = 0;
  readonly kindCounts = new Uint32Array(16);
  /** Lock off: the lines written in pieces, and where lines of different processes overlap. */
  readonly lockOff = new LockOffLines();
  /** Latest time any event reaches (t + dur). */
  end = 0;
  /** Earliest event time (Infinity while there is none). */
  start = Infinity;
  verdict: TimelineRunMeta['verdict'];
  live: boolean;

  constructor(readonly meta: TimelineRunMeta, capacity: number, live: boolean) {
    const cap = Math.max(1024, capacity);
    this.t = new Float64Array(cap);
    this.dur = new Float32Array(cap);
    this.value = new Int32Array(cap);
    this.aux = new Uint32Array(cap);
    this.kind = new Uint8Array(cap);
    this.flags = new Uint8Array(cap);
    this.proc = new Uint16Array(cap);
    this.verdict = meta.verdict;
    this.live = live;
    for (const p of meta.processes) { this.lanes.set(p.proc, new Lane(p.proc)); }
  }

  get runId(): string { return this.meta.runId; }

  private reserve(n: number): void {
    if (n <= this.t.length) { return; }
    const cap = Math.max(n, Math.ceil(this.t.length * 1.5));
    const grow = <T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T, C: { new (n: number): T }): T => {
      const g = new C(cap);
      g.set(a.subarray(0, this.length));
      return g;
    };
    this.t = grow(this.t, Float64Array);
    this.dur = grow(this.dur, Float32Array);
    this.value = grow(this.value, Int32Array);
    this.aux = grow(this.aux, Uint32Array);
    this.kind = grow(this.kind, Uint8Array);
    this.flags = grow(this.flags, Uint8Array);
    this.proc = grow(this.proc, Uint16Array);
  }

  private mapOf(maps: IntMap[] | Map<number, IntMap>, key: number): IntMap {
    const size = this.meta.config.messageCount + 2;
    if (Array.isArray(maps)) {
      // Keyed by shouter index: a key past the run's shouters is no shouter (and must not allocate).
      if (key >= Math.max(1, this.meta.config.shouters ?? 1)) { return SCRATCH; }
      while (maps.length <= key) { maps.push(new IntMap(size)); }
      return maps[key];
    }
    let m = maps.get(key);
    if (!m) { m = new IntMap(size); maps.set(key, m); }
    return m;
  }

  /** Appends a batch; a batch that does not start at our length is ignored (returns false). */
  append(b: TimelineEventBatch): boolean {
    if (b.from !== this.length) { return false; }
    const n = b.t.length;
    const from = this.length;
    this.reserve(from + n);
    this.t.set(b.t, from);
    this.dur.set(b.dur, from);
    this.value.set(b.value, from);
    this.aux.set(b.aux, from);
    this.kind.set(b.kind, from);
    this.flags.set(b.flags, from);
    this.proc.set(b.proc, from);
    this.length = from + n;
    const { t, dur, value, aux, kind, flags, proc } = this;
    let end = this.end;
    for (let e = from; e < from + n; e++) {
      const k = kind[e];
      const p = proc[e];
      const te = t[e];
      this.kindCounts[k & 15]++;
      if (te + dur[e] > end) { end = te + dur[e]; }
      if (te < this.start) { this.start = te; }
      let lane = this.lanes.get(p);
      if (!lane) { lane = new Lane(p); this.lanes.set(p, lane); }
      if (lane.idx.n > 0 && te < t[lane.idx.a[lane.idx.n - 1]]) { lane.unsorted = true; }
      lane.idx.push(e);
      if (!lane.unsorted) { lane.sums.push(k, dur[e]); }
      if (dur[e] > lane.maxDur) { lane.maxDur = dur[e]; }
      switch (k) {
        case EventKind.Put:
          if (value[e] === SENTINEL) { break; }
          if (this.putT.n > 0 && te < this.putT.a[this.putT.n - 1]) { this.putsSorted = false; }
          this.putT.push(te);
          this.mapOf(this.putBy, aux[e]).set(value[e], e);
          break;
        case EventKind.Get:
          if (value[e] === SENTINEL) { break; }
          if (this.getT.n > 0 && te < this.getT.a[this.getT.n - 1]) { this.getsSorted = false; }
          this.getT.push(te);
          this.mapOf(this.getBy, aux[e]).set(value[e], e);
          break;
        case EventKind.Print:
          this.mapOf(this.printBy, p).set(value[e], e);
          if ((flags[e] & PrintFlags.NoLock) === 0 || aux[e] === 0) { this.growOf(this.printsOf, p).push(e); }
          break;
      }
    }
    this.end = end;
    this.lockOff.add(this, from, from + n);
    for (const lane of this.lanes.values()) { if (lane.unsorted) { this.sortLane(lane); } }
    if (!this.putsSorted) { this.putT.a.subarray(0, this.putT.n).sort(); this.putsSorted = true; }
    if (!this.getsSorted) { this.getT.a.subarray(0, this.getT.n).sort(); this.getsSorted = true; }
    return true;
  }

  private growOf(m: Map<number, Grow<Int32Array>>, key: number): Grow<Int32Array> {
    let g = m.get(key);
    if (!g) { g = new Grow(Int32Array, 64); m.set(key, g); }
    return g;
  }

  private sortLane(lane: Lane): void {
    const idx = Array.from(lane.idx.a.subarray(0, lane.idx.n));
    idx.sort((a, b) => this.t[a] - this.t[b] || a - b);
    lane.idx.a.set(idx);
    lane.sums.reset();
    for (const e of idx) { lane.sums.push(this.kind[e], this.dur[e]); }
    lane.unsorted = false;
  }

  /** Adds output lines `from`.. (ignored unless they continue what we have). */
  addLines(from: number, lines: readonly string[], truncated = 0): boolean {
    if (from !== this.lines.length) { return false; }
    this.linesTruncated = truncated;
    for (const text of lines) {
      const i = this.lines.length;
      this.lines.push(text);
      const line = parseLessonLine(text);
      const proc = line ? this.procOfRole(line.role, line.index) : undefined;
      if (proc === undefined) { this.lineProc.push(-1); this.lineRank.push(-1); continue; }
      const mine = this.growOf(this.linesOf, proc);
      this.lineProc.push(proc);
      this.lineRank.push(mine.n);
      mine.push(i);
    }
    return true;
  }

  procOfRole(role: 'shouter' | 'hearer', index = 0): number | undefined {
    return this.meta.processes.filter((p) => p.role === role)[index]?.proc;
  }

  roleOf(proc: number): ProcessRole | undefined {
    return this.meta.processes.find((p) => p.proc === proc)?.role;
  }

  nameOf(proc: number): string {
    // The host's lane: its lock grants; in a Python run, the main process (it puts the sentinels).
    if (proc === SCHEDULER_PROC) { return this.meta.config.engine === 'python' ? 'main process' : 'host'; }
    return this.meta.processes.find((p) => p.proc === proc)?.name ?? `process ${proc}`;
  }

  /** Shouter index of a shouter's proc (its rank among shouters). */
  shouterIndex(proc: number): number {
    return Math.max(0, this.meta.processes.filter((p) => p.role === 'shouter').findIndex((p) => p.proc === proc));
  }

  /** Number of messages put (not the sentinel) at or before t, minus those got: the queue depth. */
  depthAt(t: number): number {
    return upperBound(this.putT.a, this.putT.n, t) - upperBound(this.getT.a, this.getT.n, t);
  }

  /** The print of the line that event `e` is about (print: itself; lock wait, get: the next print; put, nap: the shout), or -1. */
  printOfEvent(e: number): number {
    const k = this.kind[e];
    const v = this.value[e];
    if (k === EventKind.Print) { return e; }
    if (v <= 0) { return -1; }
    if (k === EventKind.LockWait || k === EventKind.Get) { return this.nextInLane(e, EventKind.Print, v); }
    if (k === EventKind.Put || k === EventKind.Nap) { return this.printBy.get(this.proc[e])?.get(v) ?? -1; }
    return -1;
  }

  /** The line that event `e` printed or is about (put: the shout; get: the hear), or -1. */
  lineOfEvent(e: number): number {
    const pr = this.printOfEvent(e);
    if (pr < 0) { return -1; }
    const p = this.proc[pr];
    const prints = this.printsOf.get(p);
    const lines = this.linesOf.get(p);
    if (!prints || !lines) { return -1; }
    const rank = rankOf(prints, this.t, pr);
    return rank >= 0 && rank < lines.n ? lines.a[rank] : -1;
  }

  /** Every event of the message that event `e` belongs to: put, get, both prints and their lock waits, nap. */
  storyOf(e: number): number[] {
    const k = this.kind[e];
    const v = this.value[e];
    if (v <= 0 || k === EventKind.Start || k === EventKind.Exit || k === EventKind.GetWait) { return [e]; }
    const p = this.proc[e];
    let s: number;
    if (k === EventKind.Put || k === EventKind.Get) { s = this.aux[e]; } else if (this.roleOf(p) === 'shouter') { s = this.shouterIndex(p); } else {
      // A hearer's print: the get just before it says whose message it was.
      const get = this.prevInLane(e, EventKind.Get);
      s = get >= 0 && this.value[get] === v ? this.aux[get] : this.getBy.findIndex((m) => m.get(v) >= 0 && this.proc[m.get(v)] === p);
      if (s < 0) { return [e]; }
    }
    return this.story(s, v, e);
  }

  story(s: number, v: number, extra = -1): number[] {
    const out = new Set<number>();
    if (extra >= 0) { out.add(extra); }
    const put = this.putBy[s]?.get(v) ?? -1;
    const get = this.getBy[s]?.get(v) ?? -1;
    for (const x of [put, get]) {
      if (x < 0) { continue; }
      out.add(x);
      const pr = x === get ? this.nextInLane(x, EventKind.Print, v) : this.printBy.get(this.proc[x])?.get(v) ?? -1;
      if (pr >= 0) { out.add(pr); const w = this.prevInLane(pr, EventKind.LockWait); if (w >= 0) { out.add(w); } }
      if (x === put) { const nap = this.nextInLane(x, EventKind.Nap, v); if (nap >= 0) { out.add(nap); } }
    }
    return [...out];
  }

  /** The event of `kind` right before `e` in its lane (within 3 positions), or -1. */
  private prevInLane(e: number, kind: EventKind): number {
    const lane = this.lanes.get(this.proc[e]);
    if (!lane) { return -1; }
    const pos = this.lanePos(lane, e);
    for (let p = pos - 1; p >= 0 && p >= pos - 3; p--) {
      const x = lane.idx.a[p];
      const k = this.kind[x];
      if (k === kind) { return x; }
      // Not past another line or message of this process.
      if (k === EventKind.Print || k === EventKind.Get || k === EventKind.Put) { return -1; }
    }
    return -1;
  }

  private nextInLane(e: number, kind: EventKind, value: number): number {
    const lane = this.lanes.get(this.proc[e]);
    if (!lane) { return -1; }
    const pos = this.lanePos(lane, e);
    for (let p = pos + 1; p < lane.idx.n && p <= pos + 4; p++) { const x = lane.idx.a[p]; if (this.kind[x] === kind && this.value[x] === value) { return x; } }
    return -1;
  }

  /** Position of event e in its lane (binary search by time, then a short scan). */
  lanePos(lane: Lane, e: number): number {
    const { t } = this;
    const idx = lane.idx.a;
    let lo = 0;
    let hi = lane.idx.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (t[idx[mid]] < t[e]) { lo = mid + 1; } else { hi = mid; } }
    for (let p = lo; p < lane.idx.n && t[idx[p]] === t[e]; p++) { if (idx[p] === e) { return p; } }
    for (let p = 0; p < lane.idx.n; p++) { if (idx[p] === e) { return p; } }
    return -1;
  }

  /** The events a transcript line is about (its message's story), or []. */
  eventsOfLine(i: number): number[] {
    if (i < 0 || i >= this.lineProc.n) { return []; }
    const proc = this.lineProc.a[i];
    const rank = this.lineRank.a[i];
    const prints = this.printsOf.get(proc);
    if (proc < 0 || !prints || rank >= prints.n) { return []; }
    const pr = prints.a[rank];
    return [pr, ...this.storyOf(pr).filter((x) => x !== pr)];
  }

  kindCountsByName(): Record<string, number> {
    const out: Record<string, number> = {};
    EVENT_KIND_NAMES.forEach((name, k) => { if (this.kindCounts[k]) { out[name] = this.kindCounts[k]; } });
    return out;
  }

  /** Bytes held for this run's events (arrays and indexes). */
  get byteSize(): number {
    let b = this.t.byteLength + this.dur.byteLength + this.value.byteLength + this.aux.byteLength + this.kind.byteLength + this.flags.byteLength + this.proc.byteLength;
    for (const l of this.lanes.values()) { b += l.idx.byteSize + l.sums.byteSize; }
    b += this.putT.byteSize + this.getT.byteSize;
    for (const m of [...this.putBy, ...this.getBy, ...this.printBy.values()]) { b += m.byteSize; }
    for (const g of [...this.printsOf.values(), ...this.linesOf.values(), this.lineProc, this.lineRank]) { b += g.byteSize; }
    return b;
  }
}

/** Rank of event e in a process's prints (in time order): binary search by time, then a short scan. */
function rankOf(prints: Grow<Int32Array>, t: Float64Array, e: number): number {
  const a = prints.a;
  let lo = 0;
  let hi = prints.n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (t[a[mid]] < t[e]) { lo = mid + 1; } else { hi = mid; } }
  for (let p = lo; p < prints.n && t[a[p]] === t[e]; p++) { if (a[p] === e) { return p; } }
  return -1;
}

/** Number of values in sorted a[0..n) that are <= x. */
export function upperBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] <= x) { lo = mid + 1; } else { hi = mid; } }
  return lo;
}
