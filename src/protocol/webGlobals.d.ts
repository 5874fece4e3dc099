/**
 * The few web-platform globals the pure project uses, which Node (16+) and every browser provide:
 * the WHATWG text codecs (wire.ts's frames) and base64 decoding (shared/pageImage.ts). Declared
 * here, only as far as used, so that the pure project compiles with neither Node's nor the DOM's
 * types: anything else from either is a compile error in src/protocol, src/learn, src/shared.
 */
declare class TextEncoder { encode(input?: string): Uint8Array }
declare class TextDecoder { decode(input?: Uint8Array): string }
declare function atob(data: string): string;
