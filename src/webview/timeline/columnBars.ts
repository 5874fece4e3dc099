/**
 * What the queue-depth track and a traced program's queue tracks share: a bar per pixel column
 * standing on the track's baseline (drawn in one fill), and the count of sorted times up to an
 * instant (how many puts or gets had happened by then).
 */

/**
 * Bars from `base` up, one per column x in [0, columns) at `left + x`: `fraction(x)` of `hMax`
 * high (at least 1 px); columns whose fraction is 0 or less (or NaN) get none.
 */
export function drawColumnBars(ctx: CanvasRenderingContext2D, color: string, left: number, base: number, hMax: number, columns: number,
  fraction: (x: number) => number): void {
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.55;
  ctx.beginPath();
  for (let x = 0; x < columns; x++) {
    const f = fraction(x);
    if (!(f > 0)) { continue; }
    const h = Math.max(1, f * hMax);
    ctx.rect(left + x, base - h, 1, h);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
}

/** How many of the first `n` entries of the sorted `a` are at or before `x` (binary search). */
export function countUpTo(a: Float64Array, x: number, n = a.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid] <= x) { lo = mid + 1; } else { hi = mid; } }
  return lo;
}
