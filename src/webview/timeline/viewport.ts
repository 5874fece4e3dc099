/** The visible time window and how zoom and pan change it. Pure. */

export interface Viewport {
  /** ns since the run's t0 at the left edge of the plot. */
  t0: number;
  /** ns at the right edge. */
  t1: number;
}

/** Narrowest window: 100 ns. */
export const MIN_SPAN = 100;

export function span(v: Viewport): number { return v.t1 - v.t0; }

/** Zooms by `factor` (> 1 zooms in) keeping time `anchor` at the same pixel. */
export function zoomAt(v: Viewport, factor: number, anchor: number, maxSpan = Infinity): Viewport {
  const s = Math.min(maxSpan, Math.max(MIN_SPAN, span(v) / factor));
  const frac = span(v) > 0 ? (anchor - v.t0) / span(v) : 0.5;
  const t0 = anchor - frac * s;
  return { t0, t1: t0 + s };
}

export function panBy(v: Viewport, dt: number): Viewport {
  return { t0: v.t0 + dt, t1: v.t1 + dt };
}

/** The whole run [start, end] with small margins. */
export function fitAll(end: number, start = 0): Viewport {
  const s = Math.min(Math.max(0, start), end);
  const w = Math.max(end - s, 1e6);
  return { t0: s - w * 0.01, t1: s + w * 1.03 };
}

/** Keeps the window inside [-margin, end + margin] (the window may be wider than the run). */
export function clampTo(v: Viewport, end: number): Viewport {
  const s = span(v);
  const margin = Math.max(end * 0.05, s * 0.5);
  let t0 = Math.max(-margin, Math.min(v.t0, end + margin - s));
  if (s >= end + 2 * margin) { t0 = -margin; }
  return { t0, t1: t0 + s };
}

/** Follow the newest time: same width, right edge just past `end`. */
export function followEnd(v: Viewport, end: number): Viewport {
  const s = span(v);
  const t1 = end + s * 0.03;
  return { t0: t1 - s, t1 };
}

export function xOf(v: Viewport, width: number, t: number): number {
  return ((t - v.t0) / (v.t1 - v.t0)) * width;
}

export function tOf(v: Viewport, width: number, x: number): number {
  return v.t0 + (x / width) * (v.t1 - v.t0);
}

/** How runs stacked in compare mode share the time axis. */
export type Align = 'start' | 'first';

/**
 * Per shown run, the time (ns in its own clock) drawn at 0 on the shared axis. A single run keeps
 * its own clock (0 = its start). In compare mode, 'first' puts each run's first event at 0, so a
 * run that took long to launch (the Python engine, say) does not open with an empty stretch.
 */
export function alignShifts(starts: readonly (number | undefined)[], align: Align): number[] {
  const shown = starts.filter((s) => s !== undefined).length;
  return starts.map((s) => (align === 'first' && shown > 1 && s !== undefined && Number.isFinite(s) ? s : 0));
}
