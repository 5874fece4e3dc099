/**
 * The print lock's one rule, checked on the trace: never two holders at once. With the kernel
 * token (policy "os") a process that writes the token back twice makes two tokens, and the
 * kernel cannot refuse that; this is where such a run is caught. A locked print is the lock
 * held (each process takes it around one print), so two holders = two locked Print spans of
 * different processes that overlap.
 */
import { EventKind, PrintFlags } from '../protocol/events';
import type { ProcessInfo } from '../protocol/run';
import type { TraceStore } from './traceStore';

/** Undefined if the lock never had two holders; else the failure, in words. */
export function twoHoldersAtOnce(trace: TraceStore, processes: readonly ProcessInfo[]): string | undefined {
  const n = trace.countOf(EventKind.Print);
  if (n < 2) { return undefined; }
  const spans = lockedPrintsByProcess(trace);
  const at = spans ? firstOverlapMerged(spans) : firstOverlapSorted(trace, n);
  return at === undefined ? undefined : describe(trace, processes, at);
}

/** One process's locked Print spans, in the order it printed them. */
interface Spans { starts: Float64Array; ends: Float64Array; length: number }

/**
 * Each process's locked prints, straight from the columns (this runs on the host at the end of
 * every run: a 100k flood has 200k prints). Undefined if some process's prints are not in time
 * order (an imported file may be any order): then the caller sorts.
 */
function lockedPrintsByProcess(trace: TraceStore): Spans[] | undefined {
  const counts: number[] = [];
  for (const c of trace.chunks) {
    for (let i = 0; i < c.length; i++) {
      if (c.kind[i] === EventKind.Print && (c.flags[i] & PrintFlags.NoLock) === 0) { counts[c.proc[i]] = (counts[c.proc[i]] ?? 0) + 1; }
    }
  }
  const byProc: Spans[] = [];
  counts.forEach((k, proc) => { byProc[proc] = { starts: new Float64Array(k), ends: new Float64Array(k), length: 0 }; });
  for (const c of trace.chunks) {
    for (let i = 0; i < c.length; i++) {
      if (c.kind[i] !== EventKind.Print || (c.flags[i] & PrintFlags.NoLock) !== 0) { continue; }
      const s = byProc[c.proc[i]];
      const t = c.t[i];
      if (s.length > 0 && t < s.starts[s.length - 1]) { return undefined; }
      s.starts[s.length] = t;
      s.ends[s.length] = t + c.dur[i];
      s.length++;
    }
  }
  return byProc.filter((s) => s !== undefined && s.length > 0);
}

/**
 * Merges the processes' spans by start: a span that starts before the latest end so far
 * overlaps an earlier one (an end and a start at the same instant are a hand-over, not two).
 */
function firstOverlapMerged(spans: Spans[]): number | undefined {
  const next = new Array<number>(spans.length).fill(0);
  let latestEnd = -Infinity;
  for (;;) {
    let pick = -1;
    for (let p = 0; p < spans.length; p++) {
      if (next[p] < spans[p].length && (pick < 0 || spans[p].starts[next[p]] < spans[pick].starts[next[pick]])) { pick = p; }
    }
    if (pick < 0) { return undefined; }
    const i = next[pick]++;
    const start = spans[pick].starts[i];
    if (start < latestEnd) { return start; }
    latestEnd = Math.max(latestEnd, spans[pick].ends[i]);
  }
}

/** Any order: sorted starts and ends; at any moment the holders are #starts ≤ t − #ends ≤ t. */
function firstOverlapSorted(trace: TraceStore, n: number): number | undefined {
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let k = 0;
  trace.scan((kind, _proc, _value, t, dur, _aux, flags) => {
    if (kind !== EventKind.Print || (flags & PrintFlags.NoLock) !== 0) { return; }
    starts[k] = t;
    ends[k] = t + dur;
    k++;
  });
  const s = starts.subarray(0, k).sort();
  const e = ends.subarray(0, k).sort();
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
