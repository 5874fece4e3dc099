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
  // Sorted starts and ends (native typed-array sorts): at any moment the holders are
  // #starts ≤ t − #ends ≤ t; an end and a start at the same instant are a hand-over, not two.
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
    if (held >= 2) { return describe(trace, processes, s[i]); }
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
