/**
 * The checks every untrusted-input parser shares (page messages, saved page state, trace files,
 * command arguments) and the limits more than one layer enforces, each defined once here.
 * Pure: no Node, no DOM, no `vscode` (the protocol project's compiler options forbid them).
 */

/** Run ids: what the host mints ("run-3", "import-…") and what a page or a trace file may name. */
export const RUN_ID_PATTERN = /^[\w.:-]+$/;
/** Longest run id accepted anywhere. */
export const MAX_RUN_ID = 200;
/** Longest free text (a log message, a line shown in a report) a page may send. */
export const MAX_TEXT = 2000;
/** Most items in one list a page may send. */
export const MAX_ITEMS = 10_000;
/** A trace file to open (Open Trace File…) is refused past this size, before it is read. */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

export function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
export function isStr(x: unknown, max = MAX_TEXT): x is string { return typeof x === 'string' && x.length <= max; }
export function isNum(x: unknown): x is number { return typeof x === 'number' && Number.isFinite(x); }
export function isRunId(x: unknown): x is string { return isStr(x, MAX_RUN_ID) && RUN_ID_PATTERN.test(x); }
export function isStrList(x: unknown, max = MAX_ITEMS): x is string[] {
  return Array.isArray(x) && x.length <= max && x.every((s) => isStr(s));
}
export function isNumList(x: unknown, max = MAX_ITEMS): x is number[] { return Array.isArray(x) && x.length <= max && x.every(isNum); }
/** The object has no key outside `keys` (allow-lists rebuild messages from known fields only). */
export function hasOnly(o: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}
