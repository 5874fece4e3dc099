/** Time axis: nice tick steps (1-2-5 series) and labels with sensible units. Pure. */

const UNITS: readonly [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];

/** The smallest 1·10^k, 2·10^k or 5·10^k (ns, k ≥ 0) that is at least `minStep`. */
export function niceStep(minStep: number): number {
  if (!(minStep > 1)) { return 1; }
  const pow = Math.pow(10, Math.floor(Math.log10(minStep)));
  for (const m of [1, 2, 5, 10]) {
    if (m * pow >= minStep - 1e-9 * pow) { return m * pow; }
  }
  return 10 * pow;
}

export interface Ticks { step: number; ticks: number[] }

/** Ticks for the view [t0, t1] ns across `widthPx`, at least `minPx` apart. */
export function timeTicks(t0: number, t1: number, widthPx: number, minPx = 90): Ticks {
  const span = Math.max(t1 - t0, 1);
  const step = niceStep((span / Math.max(widthPx, 1)) * minPx);
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1 && ticks.length < 1000; t += step) { ticks.push(t); }
  return { step, ticks };
}

/** "250 ms", "1.5 s", "12 µs": the unit chosen from `scale` (default: the value itself). */
export function formatTime(ns: number, scale = Math.abs(ns)): string {
  const [div, unit] = UNITS.find(([d]) => scale >= d) ?? UNITS[UNITS.length - 1];
  const v = ns / div;
  // Enough decimals that steps of `scale` stay distinct, at most 3.
  const rel = scale / div;
  const decimals = rel >= 100 ? 0 : rel >= 10 ? (Number.isInteger(Math.round(v * 10) / 10) ? 0 : 1) : Math.min(3, Math.max(0, decimalsFor(v)));
  return `${trim(v.toFixed(decimals))} ${unit}`;
}

function decimalsFor(v: number): number {
  for (let d = 0; d <= 3; d++) { if (Math.abs(Math.round(v * 10 ** d) - v * 10 ** d) < 1e-6) { return d; } }
  return 3;
}

function trim(s: string): string { return s.includes('.') ? s.replace(/\.?0+$/, '') : s; }

/** Label of a tick at `t` for a step `step`: units by the step, so a row of labels reads evenly. */
export function formatTick(t: number, step: number): string {
  const [div, unit] = UNITS.find(([d]) => step * 4 >= d) ?? UNITS[UNITS.length - 1];
  const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(step / div) + 1e-9)));
  return `${trim((t / div).toFixed(decimals))} ${unit}`;
}

/** A duration for the hover: 3 significant digits. */
export function formatDuration(ns: number): string {
  if (ns === 0) { return '0'; }
  const [div, unit] = UNITS.find(([d]) => Math.abs(ns) >= d) ?? UNITS[UNITS.length - 1];
  return `${trim((ns / div).toPrecision(3))} ${unit}`;
}
