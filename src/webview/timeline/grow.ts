/** Growable typed arrays: amortised appends without a JS array per element. */
type TypedCtor<T> = { new (n: number): T };

export class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  a: T;
  n = 0;
  constructor(private readonly ctor: TypedCtor<T>, cap = 256) { this.a = new ctor(cap); }
  push(v: number): void {
    if (this.n === this.a.length) { this.reserve(this.n + 1); }
    this.a[this.n++] = v;
  }
  reserve(cap: number): void {
    if (cap <= this.a.length) { return; }
    const grown = new this.ctor(Math.max(cap, Math.ceil(this.a.length * 1.5)));
    grown.set(this.a.subarray(0, this.n));
    this.a = grown;
  }
  get byteSize(): number { return this.a.byteLength; }
}

/**
 * An Int32Array indexed by a non-negative integer key, -1 where unset; grows as needed. A key
 * far past what its entries justify goes into a small side map instead: memory follows the
 * number of entries, never the size of a key (a hostile trace may hold any number).
 */
export class IntMap {
  a: Int32Array;
  private entries = 0;
  private sparse: Map<number, number> | undefined;
  constructor(cap: number) { this.a = new Int32Array(Math.min(Math.max(cap, 16), 4096)).fill(-1); }
  set(key: number, v: number): void {
    if (key < 0 || !Number.isInteger(key)) { return; }
    if (key >= this.a.length) {
      const want = Math.max(key + 1, this.a.length * 2);
      if (want > 4 * (this.entries + 4096)) { (this.sparse ??= new Map()).set(key, v); return; }
      const grown = new Int32Array(want).fill(-1);
      grown.set(this.a);
      this.a = grown;
    }
    if (this.a[key] < 0) { this.entries++; }
    this.a[key] = v;
  }
  get(key: number): number {
    const dense = key >= 0 && key < this.a.length ? this.a[key] : -1;
    return dense >= 0 ? dense : this.sparse?.get(key) ?? -1;
  }
  /** Bytes held (the side map counted at ~32 bytes an entry). */
  get byteSize(): number { return this.a.byteLength + (this.sparse?.size ?? 0) * 32; }
}
