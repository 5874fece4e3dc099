import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EventKind, FrameDecoder, TRACE_RECORD_BYTES, encodeFrame, readTraceRecord, writeTraceRecord, type Frame,
} from '../../src/protocol';

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.constant<Frame>({ type: 'lockRequest' }),
  fc.constant<Frame>({ type: 'lockRelease' }),
  fc.constant<Frame>({ type: 'finished' }),
  fc.constant<Frame>({ type: 'lockGrant' }),
  fc.constant<Frame>({ type: 'lockRevoke' }),
  fc.string().map((message): Frame => ({ type: 'fault', message })),
  fc.integer({ min: 0, max: 40 }).chain((n) => fc.uint8Array({ minLength: n * TRACE_RECORD_BYTES, maxLength: n * TRACE_RECORD_BYTES }))
    .map((records): Frame => ({ type: 'trace', records })),
);

test('frames survive any split of the byte stream', () => {
  fc.assert(fc.property(fc.array(frameArb, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1 }), (frames, cuts) => {
    const bytes = Buffer.concat(frames.map((f) => encodeFrame(f)));
    const decoder = new FrameDecoder();
    const out: Frame[] = [];
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = cuts[i % cuts.length];
      // Feed Buffers that share one reused backing store, like a stream might.
      const piece = Buffer.from(bytes.subarray(at, at + n));
      out.push(...decoder.push(piece));
      piece.fill(0);
      at += n;
    }
    assert.deepEqual(out.map(normalize), frames.map(normalize));
    assert.equal(decoder.bufferedBytes, 0);
  }));
});

function normalize(f: Frame): unknown {
  return f.type === 'trace' ? { type: 'trace', records: Array.from(f.records) } : f;
}

test('malformed streams are errors, not crashes', () => {
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(99, 0, 0, 0, 0)), /unknown frame type 99/);
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(3, 5, 0, 0, 0, 1, 2, 3, 4, 5)), /not a whole number of 24-byte records/);
  assert.throws(() => new FrameDecoder().push(Uint8Array.of(3, 0, 0, 0, 0x7f)), /exceeds/);
});

test('trace records round-trip exactly', () => {
  fc.assert(fc.property(
    fc.record({
      kind: fc.integer({ min: 0, max: 10 }), proc: fc.integer({ min: 0, max: 255 }), aux: fc.integer({ min: 0, max: 65535 }),
      value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), t: fc.double({ noNaN: true }), dur: fc.double({ noNaN: true }),
    }),
    (e) => {
      const view = new DataView(new ArrayBuffer(TRACE_RECORD_BYTES));
      writeTraceRecord(view, 0, e);
      assert.deepEqual(readTraceRecord(view, 0), { ...e });
    },
  ));
  assert.equal(EventKind.Revoke, 10);
});
