/**
 * The print lock's one rule, checked on the trace: never two holders at once. With the kernel
 * token (policy "os") a process that writes the token back twice makes two tokens, and the
 * kernel cannot refuse that; this is where such a run is caught. A locked print is the lock
 * held (each process takes it around one print), so two holders = two locked Print spans of
 * different processes that overlap.
 */
import { EventKind, PrintFlags } from '../protocol/events';
import type { ProcessInfo } from '../protocol/run';
import { doubled } from './growArray';
import type { TraceChunk, TraceStore } from './traceStore';

/**
 * Undefined if the lock never had two holders; else the failure, in words. `prints`: the
 * trace's locked prints if already gathered (a live run gathers them as batches arrive).
 */
export function twoHoldersAtOnce(trace: TraceStore, processes: readonly ProcessInfo[], prints = LockedPrints.of(trace)): string | undefined {
  const at = prints.firstOverlap();
  return at === undefined ? undefined : describe(trace, processes, at);
}

/** One process's locked Print spans, in the order it printed them; the arrays grow by doubling. */
class Spans {
  starts: Float64Array;
  ends: Float64Array;
  length = 0;
  /** False once a span started before the one before it (an imported file may be in any order). */
  ordered = true;
  constructor(capacity: number) {
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
  }
  add(start: number, end: number): void {
    if (this.length === this.starts.length) { this.starts = doubled(this.starts); this.ends = doubled(this.ends); }
    if (this.length > 0 && start < this.starts[this.length - 1]) { this.ordered = false; }
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }
}

/**
 * Each process's locked prints, gathered as the trace grows (a 100k flood has 200k prints; in
 * one pass at the end of the run this was 10–20 ms of its tail), then checked at once.
 */
export class LockedPrints {
  private readonly byProc: Spans[] = [];

  /**
   * `expectedOf(proc)`: how many prints to make room for in that process at once (a live run
   * knows its message count and who prints how many); more grow the arrays, by copying.
   */
  constructor(private readonly expectedOf: (proc: number) => number = () => 1024) {}

  static of(trace: TraceStore): LockedPrints {
    const prints = new LockedPrints();
    prints.add(trace, 0, trace.length);
    return prints;
  }

  /** The store's events `from` (inclusive) to `to` (exclusive): those appended since the last call. */
  add(trace: TraceStore, from: number, to: number): void {
    trace.forRange(from, to, (c, start, end) => collectLockedPrints(c, start, end, this.byProc, this.expectedOf));
  }

  /** The start of the first print that began while another was held, or undefined. */
  firstOverlap(): number | undefined {
    const spans = this.byProc.filter((s) => s !== undefined && s.length > 0);
    if (spans.length === 0) { return undefined; }
    return spans.every((s) => s.ordered) ? firstOverlapMerged(spans) : firstOverlapSorted(spans);
  }
}

/** A chunk's range of events into the spans of their processes: the run calls this for each batch it reads. */
function collectLockedPrints(c: TraceChunk, start: number, end: number, byProc: Spans[], expectedOf: (proc: number) => number): void {
  const { kind, flags, proc, t, dur } = c;
  for (let i = start; i < end; i++) {
    if (kind[i] !== EventKind.Print || (flags[i] & PrintFlags.NoLock) !== 0) { continue; }
    const at = t[i];
    const p = proc[i];
    (byProc[p] ??= new Spans(expectedOf(p))).add(at, at + dur[i]);
  }
}

/**
 * Merges the processes' spans by start: a span that starts before the latest end so far
 * overlaps an earlier one (an end and a start at the same instant are a hand-over, not two).
 */
function firstOverlapMerged(spans: Spans[]): number | undefined {
  const starts = spans.map((s) => s.starts), ends = spans.map((s) => s.ends), lengths = spans.map((s) => s.length);
  const next = new Int32Array(spans.length);
  let latestEnd = -Infinity;
  for (;;) {
    // The earliest next start; ties go to the first process.
    let pick = -1, start = 0;
    for (let p = 0; p < starts.length; p++) {
      if (next[p] < lengths[p] && (pick < 0 || starts[p][next[p]] < start)) { pick = p; start = starts[p][next[p]]; }
    }
    if (pick < 0) { return undefined; }
    if (start < latestEnd) { return start; }
    const end = ends[pick][next[pick]++];
    if (end > latestEnd) { latestEnd = end; }
  }
}

/** Any order: sorted starts and ends; at any moment the holders are #starts ≤ t − #ends ≤ t. */
function firstOverlapSorted(spans: Spans[]): number | undefined {
  const k = spans.reduce((n, s) => n + s.length, 0);
  const s = new Float64Array(k);
  const e = new Float64Array(k);
  let at = 0;
  for (const one of spans) {
    s.set(one.starts.subarray(0, one.length), at);
    e.set(one.ends.subarray(0, one.length), at);
    at += one.length;
  }
  s.sort();
  e.sort();
  let held = 0;
  for (let i = 0, j = 0; i < k;) {
    if (j < k && e[j] <= s[i]) { held--; j++; continue; }
    held++;
    if (held >= 2) { return s[i]; }
    i++;
  }
  return undefined;
}

function describe(trace: TraceStore, processes: readonly ProcessInfo[], at: number): string {
  const holders = new Set<string>();
  trace.scan((kind, proc, _value, t, dur, _aux, flags) => {
    if (kind === EventKind.Print && (flags & PrintFlags.NoLock) === 0 && t <= at && at < t + dur) {
      holders.add(processes.find((p) => p.proc === proc)?.name ?? `process ${proc}`);
    }
  });
  const who = [...holders];
  return `two processes held the print lock at once (${who.length >= 2 ? `the ${who.join(' and the ')}` : 'see the timeline'}, at ${(at / 1e6).toFixed(3)} ms): a lock released twice`;
}
