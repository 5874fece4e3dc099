/**
 * What is under the pointer at page (x, y): an event of a lane (hover, select), or words about
 * the lock-holder or queue-depth track at that time (a tooltip).
 */
import { EventKind } from '../../protocol';
import { GUTTER, plotWidth, shifts, timeAtX } from './axis';
import { hitLane } from './hit';
import { laneRows, trackAt } from './layout';
import type { TimelineState } from './state';
import { formatDuration } from './ticks';
import { span } from './viewport';

export type Hit = { slot: number; e: number } | { slot: number; info: string[] };

export function hitAt(s: TimelineState, x: number, y: number): Hit | undefined {
  if (x < GUTTER) { return undefined; }
  const tr = trackAt(s.tracks, y);
  if (!tr) { return undefined; }
  const run = s.runs[tr.slot];
  if (!run) { return undefined; }
  const nsPerPx = span(s.vp) / plotWidth(s);
  // In the run's own clock.
  const t = timeAtX(s, x) + (shifts(s)[tr.slot] ?? 0);
  if (tr.kind === 'lane') {
    const lane = run.lanes.get(tr.proc);
    if (!lane) { return undefined; }
    const rows = laneRows(tr);
    const e = hitLane(run, lane, t, nsPerPx * 4, y >= rows.markY - 2 ? 'marks' : 'bar');
    return e >= 0 ? { slot: tr.slot, e } : undefined;
  }
  if (tr.kind === 'depth') {
    if (t < 0 || t > run.end) { return undefined; }
    return { slot: tr.slot, info: [`queue depth ${run.depthAt(t)}`, `at ${formatDuration(t)}`] };
  }
  if (tr.kind === 'lock') {
    // The lock is held exactly while a line is printed (every policy): whoever prints holds it.
    for (const p of run.meta.processes) {
      const lane = run.lanes.get(p.proc);
      const e = lane ? hitLane(run, lane, t, nsPerPx * 2, 'bar') : -1;
      if (e >= 0 && run.kind[e] === EventKind.Print) {
        return { slot: tr.slot, info: [`print lock held by ${p.name} (printing)`, `from ${formatDuration(run.t[e])} for ${formatDuration(run.dur[e])}`] };
      }
    }
    return { slot: tr.slot, info: [run.meta.config.useLock === false ? 'lock off: nobody holds it' : 'print lock free', `at ${formatDuration(t)}`] };
  }
  return undefined;
}
