/**
 * A traced program's queues and locks as the timeline draws them (a track each): per queue the
 * sorted times of its puts and gets, per lock its held spans sorted by start. No `vscode` import.
 */
import type { ScriptRun } from '../../engine/scriptRun';
import { EventKind } from '../../protocol/events';
import type { TimelineObjectTrack } from '../../protocol/timeline';
import { QUEUE_KINDS } from '../../trace/scriptMeta';

export function objectTracksOf(run: ScriptRun): TimelineObjectTrack[] {
  const puts = new Map<number, number[]>();
  const gets = new Map<number, number[]>();
  const held = new Map<number, [number, number, number][]>();
  const push = <T>(m: Map<number, T[]>, obj: number, v: T) => { let a = m.get(obj); if (!a) { a = []; m.set(obj, a); } a.push(v); };
  for (const c of run.trace.chunks) {
    for (let i = 0; i < c.length; i++) {
      const k = c.kind[i];
      if (k === EventKind.Put) { push(puts, c.obj[i], c.t[i]); } else if (k === EventKind.Get) { push(gets, c.obj[i], c.t[i]); } else if (k === EventKind.LockHeld) {
        push(held, c.obj[i], [c.t[i], c.t[i] + c.dur[i], c.proc[i]]);
      }
    }
  }
  const sorted = (a: number[] | undefined) => Float64Array.from(a ?? []).sort();
  return [...run.meta.objects.values()].sort((a, b) => a.obj - b.obj).map((o): TimelineObjectTrack => {
    if (QUEUE_KINDS.includes(o.kind)) { return { obj: o.obj, kind: 'queue', label: o.label, puts: sorted(puts.get(o.obj)), gets: sorted(gets.get(o.obj)) }; }
    const spans = (held.get(o.obj) ?? []).sort((a, b) => a[0] - b[0]);
    return { obj: o.obj, kind: 'lock', label: o.label, held: Float64Array.from(spans.flat()) };
  });
}

/** The deepest any of the queues got (puts before gets at equal times). */
export function maxQueueDepth(tracks: readonly TimelineObjectTrack[]): number {
  let max = 0;
  for (const o of tracks) {
    const puts = o.puts ?? new Float64Array(0);
    const gets = o.gets ?? new Float64Array(0);
    let d = 0;
    for (let a = 0, b = 0; a < puts.length || b < gets.length;) {
      if (b >= gets.length || (a < puts.length && puts[a] <= gets[b])) { d++; a++; if (d > max) { max = d; } } else { d--; b++; }
    }
  }
  return max;
}
