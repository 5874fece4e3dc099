/**
 * The "event order" axis mode as the plot draws it: each shown run copied with its times mapped
 * through its event-order axis (src/learn/eventOrder.ts) — every step between events the same
 * width, idle stretches collapsed to a marked gap — so that lanes, arrows, the lock and queue
 * tracks, hit testing and the selection (same event indices) all work unchanged on the copy.
 * One unit of the axis is drawn as UNIT_NS "nanoseconds" of the copy's clock.
 */
import type { EventOrderAxis } from '../../learn/eventOrder';
import { orderAxisOf } from './learnRun';
import { RunData } from './model';
import type { TimelineState } from './state';

export const UNIT_NS = 1e6;

interface OrderCopy { key: string; copy: RunData }
const copies = new WeakMap<RunData, OrderCopy>();

/** `run` with every time t drawn at axis.toUnits(t) * UNIT_NS. */
export function orderCopyOf(run: RunData): RunData {
  const key = `${run.length}/${run.lines.length}/${run.live}`;
  const had = copies.get(run);
  if (had?.key === key) { return had.copy; }
  const axis = orderAxisOf(run);
  const n = run.length;
  const t = new Float64Array(n);
  const dur = new Float32Array(n);
  for (let e = 0; e < n; e++) {
    const a = axis.toUnits(run.t[e]) * UNIT_NS;
    t[e] = a;
    dur[e] = run.dur[e] > 0 ? axis.toUnits(run.t[e] + run.dur[e]) * UNIT_NS - a : 0;
  }
  const copy = new RunData(run.meta, n, run.live);
  copy.append({ from: 0, t, dur, value: run.value.slice(0, n), aux: run.aux.slice(0, n), kind: run.kind.slice(0, n), flags: run.flags.slice(0, n), proc: run.proc.slice(0, n) });
  copy.addLines(0, run.lines, run.linesTruncated);
  copy.verdict = run.verdict;
  copies.set(run, { key, copy });
  return copy;
}

/** The runs as the plot draws them: as they are (real time) or their event-order copies. */
export function drawnRuns(s: TimelineState): (RunData | undefined)[] {
  return s.axisMode === 'order' ? s.runs.map((r) => (r ? orderCopyOf(r) : undefined)) : s.runs;
}

/** A run's real time (ns) to its drawn time (ns of the drawn clock). */
export function toDrawn(s: TimelineState, run: RunData, tNs: number): number {
  return s.axisMode === 'order' ? orderAxisOf(run).toUnits(tNs) * UNIT_NS : tNs;
}

/** A drawn time back to the run's real time (ns). */
export function toReal(s: TimelineState, run: RunData, drawnNs: number): number {
  return s.axisMode === 'order' ? orderAxisOf(run).toNs(drawnNs / UNIT_NS) : drawnNs;
}

export function axisOf(run: RunData): EventOrderAxis { return orderAxisOf(run); }
