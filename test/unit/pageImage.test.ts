// Save … Image: the host's checks of the picture a page sends (allow-list shape, size bounds,
// PNG structure, exactly twice the CSS size the page says it drew).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'zlib';
import { checkedPng, parseImageMessage, pngSize } from '../../src/shared/pageImage';

/** A real (tiny, all-white) PNG of the given size, made here with zlib. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; } return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) { c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); } return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0); body.copy(out, 4); out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  const rows = Buffer.alloc((width * 3 + 1) * height, 0xff);
  for (let y = 0; y < height; y++) { rows[y * (width * 3 + 1)] = 0; }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('a PNG twice the CSS size is accepted, with its size', () => {
  const reply = parseImageMessage({ type: 'image', token: 4, png: png(20, 10).toString('base64'), cssWidth: 10, cssHeight: 5 });
  assert.ok(reply && reply.type === 'image');
  const { width, height, bytes } = checkedPng(reply, 'timeline');
  assert.deepEqual([width, height], [20, 10]);
  assert.deepEqual(pngSize(bytes), { width: 20, height: 10 });
});

test('a picture of the wrong size, not a PNG, or cut short is rejected with a message', () => {
  const wrong = parseImageMessage({ type: 'image', token: 1, png: png(20, 10).toString('base64'), cssWidth: 20, cssHeight: 10 })!;
  assert.throws(() => checkedPng(wrong as never, 'timeline'), /20×10 picture; 40×20 \(twice its 20×10 CSS pixels\) was expected/);
  const jpeg = parseImageMessage({ type: 'image', token: 1, png: Buffer.from('\xff\xd8\xff\xe0 not a png at all, long enough to look at........').toString('base64'), cssWidth: 1, cssHeight: 1 })!;
  assert.throws(() => checkedPng(jpeg as never, 'timeline'), /no PNG signature/);
  const cut = png(4, 4).subarray(0, 50);
  assert.throws(() => pngSize(cut), /runs past the end|ends inside a chunk|IEND/);
  assert.throws(() => checkedPng({ type: 'image', token: 2, error: 'no canvas' }, 'Explore panel'), /The Explore panel could not draw its picture: no canvas/);
});

test('only allow-listed image messages pass, bounded', () => {
  assert.deepEqual(parseImageMessage({ type: 'saveImage' }), { type: 'saveImage' });
  assert.equal(parseImageMessage({ type: 'saveImage', path: '/etc/passwd' }), undefined);
  assert.equal(parseImageMessage({ type: 'image', token: 1, png: 'AAAA', cssWidth: 10, cssHeight: 5, extra: 1 }), undefined);
  assert.equal(parseImageMessage({ type: 'image', token: 1, png: 'not base64!', cssWidth: 10, cssHeight: 5 }), undefined);
  assert.equal(parseImageMessage({ type: 'image', token: 1, png: 'AAAA', cssWidth: 100_000, cssHeight: 5 }), undefined);
  assert.equal(parseImageMessage({ type: 'image', token: 1, png: 'AAAA', cssWidth: 10.5, cssHeight: 5 }), undefined);
  assert.equal(parseImageMessage({ type: 'image', token: 1, error: 'x'.repeat(501) }), undefined);
  assert.equal(parseImageMessage({ type: 'ready' }), undefined);
});
