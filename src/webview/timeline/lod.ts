/**
 * Level of detail: one decision per pixel column. For a lane (events of one process, in time
 * order), walk the columns that have events starting in them: a column with one event gets
 * that event drawn as itself, a column with many gets one bin. The cost is O(columns · log n)
 * whatever the number of events, which is what keeps five million events fluid.
 * Pure: no DOM, unit-tested.
 */

/** First position p in [lo, hi) of the lane with t[idx[p]] >= value (hi if none). */
export function lowerBound(t: Float64Array, idx: Int32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[idx[mid]] < value) { lo = mid + 1; } else { hi = mid; }
  }
  return lo;
}

/** Like lowerBound, but from `from` growing steps first: cheap when the answer is near. */
export function gallop(t: Float64Array, idx: Int32Array, from: number, hi: number, value: number): number {
  let step = 1;
  let lo = from;
  let probe = from;
  while (probe < hi && t[idx[probe]] < value) {
    lo = probe + 1;
    probe = from + step;
    step *= 2;
  }
  return lowerBound(t, idx, lo, Math.min(probe, hi), value);
}

export interface ColumnSink {
  /** Lane position p holds the only event starting in its column. */
  single(p: number): void;
  /** Lane positions [p, q) all start in pixel column `col`. */
  bin(p: number, q: number, col: number): void;
}

/**
 * Walks the pixel columns [0, width) of a view starting at time `t0` with `nsPerPx`
 * nanoseconds per pixel, over the lane positions [0, n) whose event times are t[idx[p]]
 * (non-decreasing). Returns the number of sink calls.
 */
export function walkColumns(t: Float64Array, idx: Int32Array, n: number, t0: number, nsPerPx: number, width: number, sink: ColumnSink): number {
  const tEnd = t0 + width * nsPerPx;
  let p = lowerBound(t, idx, 0, n, t0);
  let calls = 0;
  while (p < n) {
    const tp = t[idx[p]];
    if (tp >= tEnd) { break; }
    const col = Math.floor((tp - t0) / nsPerPx);
    const colEnd = t0 + (col + 1) * nsPerPx;
    let q = p + 1;
    if (q < n && t[idx[q]] < colEnd) { q = gallop(t, idx, q, n, colEnd); }
    if (q - p === 1) { sink.single(p); } else { sink.bin(p, q, col); }
    calls++;
    p = q;
  }
  return calls;
}

/** Number of groups LaneSums keeps: five span kinds (durations) and two instants (counts). */
export const SUM_GROUPS = 7;
/** Group of each EventKind (index), or -1. Span groups sum durations, instant groups count. */
export const KIND_GROUP: readonly number[] = [
  -1, // Start
  -1, // Exit
  0, // LockWait
  1, // Print
  5, // Put (count)
  4, // PutBlocked
  6, // Get (count)
  3, // GetWait
  2, // Nap
  -1, // Grant
  -1, // Revoke
];
export const SPAN_GROUPS = 5;

const BLOCK_BITS = 5;
const BLOCK = 1 << BLOCK_BITS;

/**
 * Per-lane running sums by group at every BLOCK-th lane position, so that the total span time
 * (or instant count) of any range of positions costs at most 2·BLOCK event reads.
 * About SUM_GROUPS·8/BLOCK ≈ 1.75 bytes per event.
 */
export class LaneSums {
  private sums = new Float64Array(SUM_GROUPS * 64);
  private blocks = 1; // sums[0..SUM_GROUPS) = 0: before position 0
  private readonly running = new Float64Array(SUM_GROUPS);
  private count = 0;

  /** Adds the event at the next lane position. */
  push(kind: number, dur: number): void {
    const g = KIND_GROUP[kind] ?? -1;
    if (g >= 0) { this.running[g] += g < SPAN_GROUPS ? dur : 1; }
    this.count++;
    if ((this.count & (BLOCK - 1)) === 0) {
      if ((this.blocks + 1) * SUM_GROUPS > this.sums.length) {
        const grown = new Float64Array(this.sums.length * 2);
        grown.set(this.sums);
        this.sums = grown;
      }
      this.sums.set(this.running, this.blocks * SUM_GROUPS);
      this.blocks++;
    }
  }

  reset(): void { this.blocks = 1; this.count = 0; this.running.fill(0); }

  get length(): number { return this.count; }

  /**
   * Adds into `out` (length ≥ SUM_GROUPS) the sums of positions [p, q). `kind`/`dur` are the
   * run's columns and idx the lane's positions.
   */
  range(p: number, q: number, idx: Int32Array, kind: Uint8Array, dur: Float32Array, out: Float64Array): void {
    const scan = (a: number, b: number) => {
      for (let i = a; i < b; i++) {
        const e = idx[i];
        const g = KIND_GROUP[kind[e]] ?? -1;
        if (g >= 0) { out[g] += g < SPAN_GROUPS ? dur[e] : 1; }
      }
    };
    const firstBlock = (p + BLOCK - 1) >> BLOCK_BITS;
    const lastBlock = q >> BLOCK_BITS;
    if (lastBlock <= firstBlock || lastBlock >= this.blocks) { scan(p, q); return; }
    scan(p, firstBlock << BLOCK_BITS);
    const a = firstBlock * SUM_GROUPS;
    const b = lastBlock * SUM_GROUPS;
    for (let g = 0; g < SUM_GROUPS; g++) { out[g] += this.sums[b + g] - this.sums[a + g]; }
    scan(lastBlock << BLOCK_BITS, q);
  }

  get byteSize(): number { return this.sums.byteLength; }
}
