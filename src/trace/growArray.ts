/** Typed-array growth for the columns that gather as a trace arrives (metrics.ts, lockCheck.ts). */

type Column = Float64Array | Int32Array | Uint32Array;

/** A copy of `a` with twice its room: appending stays amortized O(1) without a JS array per event. */
export function doubled<A extends Column>(a: A): A {
  const bigger = new (a.constructor as new (length: number) => A)(Math.max(16, a.length * 2));
  bigger.set(a);
  return bigger;
}
