/**
 * "Save … Image": the messages between the host and a webview page that draws a PNG of what it
 * shows, and the host's checks of what the page sends back. The page is untrusted: its message
 * is rebuilt from checked fields, the PNG is bounded in size, must be a PNG (signature, IHDR
 * first, chunks that fit, IEND last) and must be exactly twice the CSS size the page says it
 * drew. No `vscode`, no DOM: unit-tested directly.
 */
import { hasOnly, isObj } from '../protocol/validate';

export type ImageBackground = 'theme' | 'light';

/** Host -> page: draw the picture (answer with an 'image' message carrying the same token). */
export interface ImageRequest { type: 'snapshot'; token: number; background: ImageBackground }

/** Page -> host: the picture (base64 PNG) and the CSS size it shows, or why it could not draw one. */
export type ImageReply =
  | { type: 'image'; token: number; png: string; cssWidth: number; cssHeight: number }
  | { type: 'image'; token: number; error: string };

/** Page -> host: the page's own "Save Image" button was pressed. */
export interface SaveImageClick { type: 'saveImage' }

export type ImageMessage = ImageReply | SaveImageClick;

/** The pictures are drawn at this many device pixels per CSS pixel. */
export const IMAGE_SCALE = 2;
/** Largest CSS size a page may claim (a 4K screen is 3840 wide; a tall timeline may be long). */
export const MAX_IMAGE_CSS = { width: 8192, height: 16384 };
/** Largest PNG accepted, in bytes (base64 text is 4/3 of it). */
export const MAX_PNG_BYTES = 48 * 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isCount(x: unknown, max: number): x is number { return typeof x === 'number' && Number.isInteger(x) && x > 0 && x <= max; }

/** An image message from a page, rebuilt from its checked fields; undefined if it is not one. */
export function parseImageMessage(m: unknown): ImageMessage | undefined {
  if (!isObj(m)) { return undefined; }
  if (m.type === 'saveImage') { return hasOnly(m, ['type']) ? { type: 'saveImage' } : undefined; }
  if (m.type !== 'image' || !Number.isSafeInteger(m.token)) { return undefined; }
  const token = m.token as number;
  if ('error' in m) {
    return hasOnly(m, ['type', 'token', 'error']) && typeof m.error === 'string' && m.error.length <= 500 ? { type: 'image', token, error: m.error } : undefined;
  }
  if (!hasOnly(m, ['type', 'token', 'png', 'cssWidth', 'cssHeight'])) { return undefined; }
  const { png, cssWidth, cssHeight } = m;
  if (typeof png !== 'string' || png.length > Math.ceil(MAX_PNG_BYTES / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(png)) { return undefined; }
  if (!isCount(cssWidth, MAX_IMAGE_CSS.width) || !isCount(cssHeight, MAX_IMAGE_CSS.height)) { return undefined; }
  return { type: 'image', token, png, cssWidth, cssHeight };
}

/** A PNG's pixel size from its IHDR chunk, after checking its structure; throws (in words) otherwise. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 8 + 25 + 12 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) { throw new Error('it is not a PNG (no PNG signature)'); }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (view.getUint32(8) !== 13 || type(12) !== 'IHDR') { throw new Error('its first chunk is not IHDR'); }
  let at = 8;
  let last = '';
  while (at < bytes.length) {
    if (at + 12 > bytes.length) { throw new Error('it ends inside a chunk'); }
    const length = view.getUint32(at);
    last = type(at + 4);
    at += 12 + length;
    if (at > bytes.length) { throw new Error(`its ${last} chunk runs past the end`); }
    if (last === 'IEND') { break; }
  }
  if (last !== 'IEND' || at !== bytes.length) { throw new Error('it does not end with IEND'); }
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The PNG bytes of a page's reply, checked whole; throws with a message naming what was wrong. */
export function checkedPng(reply: ImageReply, page: string): { bytes: Uint8Array; width: number; height: number } {
  if ('error' in reply) { throw new Error(`The ${page} could not draw its picture: ${reply.error}`); }
  let bytes: Uint8Array;
  try { bytes = Uint8Array.from(atob(reply.png), (c) => c.charCodeAt(0)); } catch { throw new Error(`The ${page} sent a picture that is not base64.`); }
  if (bytes.length > MAX_PNG_BYTES) { throw new Error(`The ${page}'s picture is ${bytes.length} bytes; at most ${MAX_PNG_BYTES} are accepted.`); }
  let size: { width: number; height: number };
  try { size = pngSize(bytes); } catch (err) { throw new Error(`The ${page} sent a picture that was rejected: ${(err as Error).message}.`, { cause: err }); }
  const want = { width: reply.cssWidth * IMAGE_SCALE, height: reply.cssHeight * IMAGE_SCALE };
  if (size.width !== want.width || size.height !== want.height) {
    throw new Error(`The ${page} sent a ${size.width}×${size.height} picture; ${want.width}×${want.height} (twice its ${reply.cssWidth}×${reply.cssHeight} CSS pixels) was expected.`);
  }
  return { bytes, ...size };
}
