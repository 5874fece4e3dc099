/**
 * Lock off: which output lines were written while another process was mid-line. Without the
 * lock a line goes out in pieces (Print spans with PrintFlags.NoLock, the piece index in
 * aux); a line lasts from its first piece's start to its last piece's end.
 * Two lines of different processes whose times overlap interleave on the shared output: that is
 * where lines get garbled. Pure (no DOM), incremental as events stream in.
 */
import { EventKind, PrintFlags } from '../../protocol/events';

export interface LineSpan {
  proc: number;
  /** ns: the first piece's start. */
  start: number;
  /** ns: the last piece's end. */
  end: number;
}

export interface OverlapResult {
  /** Lines written in pieces without the lock. */
  lines: number;
  /** Of them: lines written while a line of another process was unfinished (or that another process wrote into). */
  overlapping: number;
  /** Indexes (into the given lines) of the overlapping ones, ascending. */
  overlappingIndexes: number[];
  /** Times when two or more processes were mid-line at once: [start, end] pairs, sorted, disjoint. */
  bands: number[];
}

/**
 * Overlaps among lines. Lines that only touch (one ends exactly when the other starts) do not
 * overlap; lines of one process never overlap each other.
 */
export function lineOverlaps(lines: readonly LineSpan[]): OverlapResult {
  // Sweep over the ends and starts; at equal times ends go first (touching is not overlapping).
  const ev: { t: number; start: boolean; i: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    ev.push({ t: l.start, start: true, i }, { t: Math.max(l.start, l.end), start: false, i });
  }
  ev.sort((a, b) => a.t - b.t || (a.start === b.start ? a.i - b.i : a.start ? 1 : -1));
  const active = new Set<number>();
  const activeByProc = new Map<number, number>();
  const marked = new Uint8Array(lines.length);
  const bands: number[] = [];
  let bandStart = NaN;
  const busyProcs = () => { let n = 0; for (const c of activeByProc.values()) { if (c > 0) { n++; } } return n; };
  for (const { t, start, i } of ev) {
    const p = lines[i].proc;
    if (start) {
      if (lines[i].end <= lines[i].start) { continue; }
      for (const j of active) {
        if (lines[j].proc !== p) { marked[i] = 1; marked[j] = 1; }
      }
      active.add(i);
      activeByProc.set(p, (activeByProc.get(p) ?? 0) + 1);
      if (Number.isNaN(bandStart) && busyProcs() >= 2) { bandStart = t; }
    } else {
      if (!active.delete(i)) { continue; }
      activeByProc.set(p, (activeByProc.get(p) ?? 1) - 1);
      if (!Number.isNaN(bandStart) && busyProcs() < 2) {
        if (t > bandStart) {
          // Merge with the previous band when they touch.
          if (bands.length > 0 && bands[bands.length - 1] >= bandStart) { bands[bands.length - 1] = t; } else { bands.push(bandStart, t); }
        }
        bandStart = NaN;
      }
    }
  }
  const overlappingIndexes: number[] = [];
  marked.forEach((m, i) => { if (m) { overlappingIndexes.push(i); } });
  return { lines: lines.length, overlapping: overlappingIndexes.length, overlappingIndexes, bands };
}

/** Collects lock-off lines from events as they arrive (pieces of one process arrive in order). */
export class LockOffLines {
  readonly lines: LineSpan[] = [];
  private readonly open = new Map<number, number>();
  private cached: OverlapResult | undefined;
  private stale = true;
  private computedAt = -Infinity;

  /** Takes events [from, to) of the columns; only lock-off Print pieces count. */
  add(c: { t: Float64Array; dur: Float32Array; aux: Uint32Array; kind: Uint8Array; flags: Uint8Array; proc: Uint16Array }, from: number, to: number): void {
    for (let e = from; e < to; e++) {
      if (c.kind[e] !== EventKind.Print || (c.flags[e] & PrintFlags.NoLock) === 0) { continue; }
      const p = c.proc[e];
      const piece = c.aux[e];
      const start = c.t[e];
      const end = start + c.dur[e];
      let li = this.open.get(p);
      if (piece === 0 || li === undefined) {
        li = this.lines.length;
        this.lines.push({ proc: p, start, end });
        this.open.set(p, li);
      } else {
        const l = this.lines[li];
        if (start < l.start) { l.start = start; }
        if (end > l.end) { l.end = end; }
      }
      this.stale = true;
    }
  }

  get any(): boolean { return this.lines.length > 0; }

  /**
   * The overlaps so far, computed once per change; `staleOkMs` > 0 (a live run's frames) lets a
   * result that old stand while events keep arriving.
   */
  result(staleOkMs = 0, now = Date.now()): OverlapResult {
    if (!this.cached || (this.stale && now - this.computedAt >= staleOkMs)) {
      this.cached = lineOverlaps(this.lines);
      this.stale = false;
      this.computedAt = now;
    }
    return this.cached;
  }
}
