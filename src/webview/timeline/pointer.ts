/**
 * What is under the pointer at page (x, y): an event of a lane (hover, select), or words about
 * the lock-holder or queue-depth track at that time (a tooltip).
 */
import { EventKind } from '../../protocol/events';
import { GUTTER, plotWidth, shifts, timeAtX } from './axis';
import { objectTrackInfo } from './drawObjects';
import { gapAt, gapWords } from './drawLearn';
import { hitLane } from './hit';
import { laneRows, trackAt } from './layout';
import { drawnRuns, toReal } from './orderView';
import type { TimelineState } from './state';
import { formatDuration } from './ticks';
import { span } from './viewport';

export type Hit = { slot: number; e: number } | { slot: number; info: string[] };

export function hitAt(s: TimelineState, x: number, y: number): Hit | undefined {
  if (x < GUTTER) { return undefined; }
  const tr = trackAt(s.tracks, y);
  if (!tr) { return undefined; }
  // The run as drawn (its event-order copy in that mode: same event indices), and its real one for times.
  const run = drawnRuns(s)[tr.slot];
  const real = s.runs[tr.slot];
  if (!run || !real) { return undefined; }
  const nsPerPx = span(s.vp) / plotWidth(s);
  // In the run's own clock.
  const t = timeAtX(s, x) + (shifts(s)[tr.slot] ?? 0);
  const at = formatDuration(toReal(s, real, t));
  if (tr.kind === 'lane') {
    const lane = run.lanes.get(tr.proc);
    if (!lane) { return undefined; }
    const rows = laneRows(tr);
    const e = hitLane(run, lane, t, nsPerPx * 4, y >= rows.markY - 2 ? 'marks' : 'bar');
    if (e >= 0) { return { slot: tr.slot, e }; }
    const gap = gapAt(s, tr.slot, toReal(s, real, t));
    return gap ? { slot: tr.slot, info: gapWords(gap.durNs) } : undefined;
  }
  if (tr.obj !== undefined) { return { slot: tr.slot, info: objectTrackInfo(run, tr.obj, t) }; }
  if (tr.kind === 'depth') {
    if (t < 0 || t > run.end) { return undefined; }
    return { slot: tr.slot, info: [`queue depth ${run.depthAt(t)}`, `at ${at}`] };
  }
  if (tr.kind === 'lock') {
    // The lock is held exactly while a line is printed (every policy): whoever prints holds it.
    for (const p of run.meta.processes) {
      const lane = run.lanes.get(p.proc);
      const e = lane ? hitLane(run, lane, t, nsPerPx * 2, 'bar') : -1;
      if (e >= 0 && run.kind[e] === EventKind.Print) {
        return { slot: tr.slot, info: [`print lock held by ${p.name} (printing)`, `from ${formatDuration(real.t[e])} for ${formatDuration(real.dur[e])}`] };
      }
    }
    return { slot: tr.slot, info: [run.meta.config.useLock === false ? 'lock off: nobody holds it' : 'print lock free', `at ${at}`] };
  }
  return undefined;
}
