/** Small statistics helpers for the benchmarks. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) { return NaN; }
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) { return NaN; }
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export function min(xs: readonly number[]): number { return xs.length === 0 ? NaN : Math.min(...xs); }
export function max(xs: readonly number[]): number { return xs.length === 0 ? NaN : Math.max(...xs); }

/** Spread of a sample as (max - min) / median: a rough noise indicator. */
export function spread(xs: readonly number[]): number {
  const m = median(xs);
  return m === 0 || xs.length === 0 ? NaN : (max(xs) - min(xs)) / m;
}

/** Formats a number with a fixed count of significant-ish decimals and thousands separators. */
export function fmt(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) { return String(x); }
  return x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
