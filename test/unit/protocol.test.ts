import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventKind, type TraceEvent } from '../../src/protocol/events';
import { CHUNK, TraceStore } from '../../src/trace/traceStore';
import { FrameDecoder, LaneRecords, TRACE_RECORD_BYTES, encodeFrame, readTraceRecord, readTraceRecords, writeTraceRecord, type Frame } from '../../src/protocol/wire';

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.constant<Frame>({ type: 'lockRequest' }),
  fc.constant<Frame>({ type: 'lockRelease' }),
  fc.constant<Frame>({ type: 'finished' }),
  fc.constant<Frame>({ type: 'ready' }),
  fc.integer({ min: 0, max: 0xfffe }).map((proc): Frame => ({ type: 'grantTo', proc })),
  fc.record({ holder: fc.option(fc.integer({ min: 0, max: 64 }), { nil: null }), waiting: fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 8 }) })
    .map((state): Frame => ({ type: 'lockState', state })),
  fc.string().map((json): Frame => ({ type: 'meta', json })),
  fc.string().map((message): Frame => ({ type: 'fault', message })),
  fc.integer({ min: 0, max: 40 }).chain((n) => fc.uint8Array({ minLength: n * TRACE_RECORD_BYTES, maxLength: n * TRACE_RECORD_BYTES }))
    .map((records): Frame => ({ type: 'trace', records })),
);

test('frames survive any split of the byte stream', () => {
  const cutArb = fc.oneof(fc.integer({ min: 1, max: 97 }), fc.integer({ min: 98, max: 3000 }));
  fc.assert(fc.property(fc.array(frameArb, { maxLength: 30 }), fc.array(cutArb, { minLength: 1 }), (frames, cuts) => {
    const bytes = Buffer.concat(frames.map((f) => encodeFrame(f)));
    const decoder = new FrameDecoder();
    const out: unknown[] = [];
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = cuts[i % cuts.length];
      // A push's frames are read before the next push (the decoder's contract: records are
      // views); the piece is then clobbered, as a stream reusing its buffer would.
      const piece = Buffer.from(bytes.subarray(at, at + n));
      out.push(...decoder.push(piece).map(normalize));
      piece.fill(0);
      at += n;
    }
    assert.deepEqual(out, frames.map(normalize));
    assert.equal(decoder.bufferedBytes, 0);
  }));
});

function normalize(f: Frame): unknown {
  return f.type === 'trace' ? { type: 'trace', records: Array.from(f.records) } : JSON.parse(JSON.stringify(f));
}

test('malformed streams are errors, not crashes', () => {
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(99, 0, 0, 0, 0)), /unknown frame type 99/);
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(3, 5, 0, 0, 0, 1, 2, 3, 4, 5)), /not a whole number of 32-byte records/);
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(3, 0, 0, 0, 0x7f)), /exceeds/);
});

test('trace records round-trip exactly', () => {
  fc.assert(fc.property(
    fc.record({
      kind: fc.integer({ min: 0, max: 14 }), flags: fc.integer({ min: 0, max: 255 }), proc: fc.integer({ min: 0, max: 0xffff }),
      obj: fc.integer({ min: 0, max: 0xffff }), site: fc.integer({ min: 0, max: 0xffff }), aux: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), t: fc.double({ noNaN: true }), dur: fc.double({ noNaN: true }),
    }),
    (e: TraceEvent) => {
      const view = new DataView(new ArrayBuffer(TRACE_RECORD_BYTES + 8));
      writeTraceRecord(view, 8, e.kind, e.proc, e.value, e.t, e.dur, e.aux, e.flags, e.obj, e.site);
      assert.deepEqual(readTraceRecord(view, 8), { ...e });
      const seen: number[][] = [];
      readTraceRecords(new Uint8Array(view.buffer, 8), (...f) => seen.push(f));
      assert.deepEqual(seen, [[e.kind, e.proc, e.value, e.t, e.dur, e.aux, e.flags, e.obj, e.site]]);
    },
  ));
  assert.equal(EventKind.Output, 14);
  assert.equal(TRACE_RECORD_BYTES, 32);
});

test('a lane\'s record buffer (the workers\' encoder) writes the bytes writeTraceRecord writes, slot by slot, over old contents', () => {
  const field = fc.record({
    slot: fc.integer({ min: 0, max: 7 }), kind: fc.integer({ min: 0, max: 255 }), flags: fc.integer({ min: 0, max: 255 }),
    aux: fc.integer({ min: 0, max: 2 ** 32 - 1 }), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), t: fc.double(), dur: fc.double(),
  });
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(field, { maxLength: 30 }), (proc, writes) => {
    const lane = new LaneRecords(8, proc);
    const expected = new DataView(new ArrayBuffer(8 * TRACE_RECORD_BYTES));
    for (let slot = 0; slot < 8; slot++) { writeTraceRecord(expected, slot * TRACE_RECORD_BYTES, 0, proc, 0, 0); }
    for (const w of writes) {
      lane.set(w.slot, w.kind, w.value, w.t, w.dur, w.aux, w.flags);
      writeTraceRecord(expected, w.slot * TRACE_RECORD_BYTES, w.kind, proc, w.value, w.t, w.dur, w.aux, w.flags);
    }
    assert.deepEqual([...lane.bytes], [...new Uint8Array(expected.buffer)]);
  }));
});

test('the columnar decoder (the store\'s ingest) reads what the per-record decoder reads, across chunk ends', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: CHUNK - 1 }), fc.integer({ min: 1, max: 300 }), fc.integer(), (before, n, seed) => {
    const store = new TraceStore();
    for (let i = 0; i < before; i++) { store.append(EventKind.Nap, 0, i, i); }
    const view = new DataView(new ArrayBuffer(n * TRACE_RECORD_BYTES));
    for (let i = 0; i < n; i++) {
      const x = (seed + i * 7919) >>> 0;
      writeTraceRecord(view, i * TRACE_RECORD_BYTES, x % 15, x % 9, (x % 1000) - 500, x * 1.5, (x % 97) / 4, x % 100_000, x % 256, x % 7, x % 11);
    }
    const expected: number[][] = [];
    readTraceRecords(new Uint8Array(view.buffer), (kind, proc, value, t, dur, aux, flags, obj, site) => expected.push([kind, flags, proc, obj, site, aux, value, t, dur]));
    const kinds = Array.from({ length: 15 }, (_, k) => k as EventKind);
    const counts = kinds.map((k) => store.countOf(k));
    store.appendRecords(new Uint8Array(view.buffer));
    assert.equal(store.length, before + n);
    const got: number[][] = [];
    for (let i = before; i < before + n; i++) { const e = store.get(i); got.push([e.kind, e.flags, e.proc, e.obj, e.site, e.aux, e.value, e.t, e.dur]); }
    assert.deepEqual(got, expected);
    for (const k of kinds) { assert.equal(store.countOf(k) - counts[k], expected.filter((e) => e[0] === k).length); }
  }), { numRuns: 40 });
});

test('the record layout is the one docs/trace-format.md gives (offsets of every field)', () => {
  const view = new DataView(new ArrayBuffer(TRACE_RECORD_BYTES));
  writeTraceRecord(view, 0, 3, 0x0102, -2, 1.5, 2.5, 0x0a0b0c0d, 0x21, 0x0304, 0x0506);
  const b = new Uint8Array(view.buffer);
  assert.deepEqual([...b.subarray(0, 8)], [3, 0x21, 0x02, 0x01, 0x04, 0x03, 0x06, 0x05]);
  assert.equal(view.getInt32(8, true), -2);
  assert.equal(view.getUint32(12, true), 0x0a0b0c0d);
  assert.equal(view.getFloat64(16, true), 1.5);
  assert.equal(view.getFloat64(24, true), 2.5);
});
