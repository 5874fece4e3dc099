/**
 * The "event order" axis: time mapped so that each step between consecutive event boundaries
 * (a start, an instant, a span's end) gets the same width, and stretches where nothing happens
 * for longer than `idleNs` collapse into one marked gap that carries its real duration.
 * Monotonic, so spans and arrows keep their order; with its inverse, so a click on the axis
 * finds its time. Pure: the page draws with it later.
 */

export interface EventOrderOptions {
  /** A step between boundaries longer than this (ns) is an idle gap. Default 1 ms. */
  idleNs?: number;
  /** Width of a step, in units. Default 1. */
  stepUnits?: number;
  /** Width of a gap, in units. Default 1.5 (a little wider than a step, so its label fits). */
  gapUnits?: number;
}

export interface EventOrderGap {
  fromNs: number;
  toNs: number;
  /** Its real duration (ns). */
  durNs: number;
  fromUnit: number;
  toUnit: number;
}

export interface EventOrderAxis {
  /** Boundary times (ns, ascending, distinct) and their positions (units, ascending). */
  readonly knotsNs: Float64Array;
  readonly knotsUnits: Float64Array;
  readonly totalUnits: number;
  readonly gaps: readonly EventOrderGap[];
  /** Position of time t (ns); clamped to the first and last boundary. */
  toUnits(tNs: number): number;
  /** Time (ns) at a position; the exact inverse of toUnits inside [0, totalUnits]. */
  toNs(units: number): number;
}

/**
 * Builds the axis from event starts and durations (ns); any order. Empty input: a zero axis.
 */
export function buildEventOrder(starts: ArrayLike<number>, durs: ArrayLike<number>, options: EventOrderOptions = {}): EventOrderAxis {
  const idleNs = options.idleNs ?? 1e6;
  const stepUnits = options.stepUnits ?? 1;
  const gapUnits = options.gapUnits ?? 1.5;
  const all = new Float64Array(starts.length * 2);
  let n = 0;
  for (let i = 0; i < starts.length; i++) {
    all[n++] = starts[i];
    if (durs[i] > 0) { all[n++] = starts[i] + durs[i]; }
  }
  const sorted = all.subarray(0, n).sort();
  const knotsNs: number[] = [];
  for (const t of sorted) { if (knotsNs.length === 0 || t !== knotsNs[knotsNs.length - 1]) { knotsNs.push(t); } }
  const knotsUnits = new Float64Array(knotsNs.length);
  const gaps: EventOrderGap[] = [];
  for (let k = 1; k < knotsNs.length; k++) {
    const step = knotsNs[k] - knotsNs[k - 1];
    const idle = step > idleNs;
    knotsUnits[k] = knotsUnits[k - 1] + (idle ? gapUnits : stepUnits);
    if (idle) { gaps.push({ fromNs: knotsNs[k - 1], toNs: knotsNs[k], durNs: step, fromUnit: knotsUnits[k - 1], toUnit: knotsUnits[k] }); }
  }
  const kn = Float64Array.from(knotsNs);
  return {
    knotsNs: kn,
    knotsUnits,
    totalUnits: knotsUnits.length ? knotsUnits[knotsUnits.length - 1] : 0,
    gaps,
    toUnits: (t) => interpolate(kn, knotsUnits, t),
    toNs: (u) => interpolate(knotsUnits, kn, u),
  };
}

/** Piecewise-linear y(x) through the knots (xs ascending), clamped at both ends. */
function interpolate(xs: Float64Array, ys: Float64Array, x: number): number {
  const n = xs.length;
  if (n === 0) { return 0; }
  if (x <= xs[0]) { return ys[0]; }
  if (x >= xs[n - 1]) { return ys[n - 1]; }
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) { lo = mid; } else { hi = mid; }
  }
  const f = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + f * (ys[hi] - ys[lo]);
}
