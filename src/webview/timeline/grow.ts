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

/** An Int32Array indexed by a small non-negative integer key, -1 where unset; grows as needed. */
export class IntMap {
  a: Int32Array;
  constructor(cap: number) { this.a = new Int32Array(Math.max(cap, 16)).fill(-1); }
  set(key: number, v: number): void {
    if (key < 0) { return; }
    if (key >= this.a.length) {
      const grown = new Int32Array(Math.max(key + 1, this.a.length * 2)).fill(-1);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[key] = v;
  }
  get(key: number): number { return key >= 0 && key < this.a.length ? this.a[key] : -1; }
}
