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
 * Each process's locked prints, gathered as the trace grows (a 100k flood has 200k prints), and
 * merged as they come when the run says which processes print: at the end of the run only the
 * last batches are left to merge. (Merged at the end, the 200k took 3–13 ms of the run's tail:
 * a loop run once per run is seldom fully optimized by V8; one run per batch is.)
 */
export class LockedPrints {
  private readonly byProc: Spans[] = [];
  /** The merge done so far; undefined when the printers are not known or a print came it cannot place. */
  private live: SpanMerge | undefined;
  private readonly printers: ReadonlySet<number>;

  /**
   * `expectedOf(proc)`: how many prints to make room for in that process at once (a live run
   * knows its message count and who prints how many); more grow the arrays, by copying.
   * `printers`: the lanes that print, if known: then the prints are merged batch by batch.
   */
  constructor(private readonly expectedOf: (proc: number) => number = () => 1024, printers: readonly number[] = []) {
    this.printers = new Set(printers);
    if (printers.length > 0) { this.live = new SpanMerge([...this.printers].sort((a, b) => a - b)); }
  }

  static of(trace: TraceStore): LockedPrints {
    const prints = new LockedPrints();
    prints.add(trace, 0, trace.length);
    return prints;
  }

  /** The store's events `from` (inclusive) to `to` (exclusive): those appended since the last call. */
  add(trace: TraceStore, from: number, to: number): void {
    trace.forRange(from, to, (c, start, end) => collectLockedPrints(c, start, end, this.byProc, this.expectedOf));
    if (!this.live) { return; }
    if (!this.placeable()) { this.live = undefined; return; }
    // Every print that starts before each printer's newest one is final: no process can add an
    // earlier one (its own come in order). Before every printer has printed, nothing is.
    let frontier = Infinity;
    for (const p of this.printers) { const s = this.byProc[p]; frontier = Math.min(frontier, s?.length ? s.starts[s.length - 1] : -Infinity); }
    if (frontier > -Infinity) { this.live.advance(this.byProc, frontier); }
  }

  /** The start of the first print that began while another was held, or undefined. */
  firstOverlap(): number | undefined {
    if (this.live && this.placeable()) {
      this.live.advance(this.byProc, Infinity);
      return this.live.overlap;
    }
    const lanes: number[] = [];
    this.byProc.forEach((s, p) => { if (s.length > 0) { lanes.push(p); } });
    if (lanes.length === 0) { return undefined; }
    if (!lanes.every((p) => this.byProc[p].ordered)) { return firstOverlapSorted(lanes.map((p) => this.byProc[p])); }
    const merge = new SpanMerge(lanes);
    merge.advance(this.byProc, Infinity);
    return merge.overlap;
  }

  /** Only printers printed, each in order: what the live merge needs to be the whole merge's start. */
  private placeable(): boolean {
    let ok = true;
    this.byProc.forEach((s, p) => { if (!s.ordered || !this.printers.has(p)) { ok = false; } });
    return ok;
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

const NO_SPANS = new Float64Array(0);

/**
 * Merges processes' spans (each process's in order) by start: a span that starts before the
 * latest end so far overlaps an earlier one (an end and a start at the same instant are a
 * hand-over, not two). It can stop before a time and go on later, as more spans come.
 */
class SpanMerge {
  private readonly next: Int32Array;
  private latestEnd = -Infinity;
  /** The start of the first overlapping span, once found (the merge stops there). */
  overlap: number | undefined;

  /** `lanes`: the processes merged, in lane order (ties go to the first). */
  constructor(private readonly lanes: readonly number[]) { this.next = new Int32Array(lanes.length); }

  /** Merges every span that starts before `limit` (strictly: one starting at it may get a tie yet). */
  advance(byProc: readonly (Spans | undefined)[], limit: number): void {
    if (this.overlap !== undefined) { return; }
    // The arrays in locals: a span's arrays are replaced as they grow, so taken anew each time.
    const starts: Float64Array[] = [], ends: Float64Array[] = [], lengths: number[] = [];
    for (const p of this.lanes) {
      const s = byProc[p];
      starts.push(s ? s.starts : NO_SPANS); ends.push(s ? s.ends : NO_SPANS); lengths.push(s ? s.length : 0);
    }
    const next = this.next;
    let latestEnd = this.latestEnd;
    for (;;) {
      // The earliest next start; ties go to the first process.
      let pick = -1, start = 0;
      for (let p = 0; p < starts.length; p++) {
        if (next[p] < lengths[p] && (pick < 0 || starts[p][next[p]] < start)) { pick = p; start = starts[p][next[p]]; }
      }
      if (pick < 0 || start >= limit) { break; }
      if (start < latestEnd) { this.overlap = start; break; }
      const end = ends[pick][next[pick]++];
      if (end > latestEnd) { latestEnd = end; }
    }
    this.latestEnd = latestEnd;
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
