/**
 * Reads back a file written by chromeTrace.ts: only its `shoutHear` section. The file is
 * untrusted input: `importChromeTrace` checks size, JSON, and every field of the section — every
 * column of every event against the run's own config — and throws only TraceImportError with
 * a message fit for the user. Pure: no `vscode`, no processes.
 */
import { validateConfig } from '../shared/config';
import { EVENT_KIND_NAMES, EventKind, SCHEDULER_PROC, SENTINEL } from '../protocol/events';
import type { ProcessInfo, ProcessRole, RunConfig, RunSummary } from '../protocol/run';
import { COLUMNS, TRACE_FORMAT, TRACE_FORMAT_VERSION, kindName, readCell } from './traceColumns';
import { TraceStore } from './traceStore';
import { MAX_TRACE_FILE_BYTES, RUN_ID_PATTERN, isObj } from '../protocol/validate';

export type TraceImportErrorCode = 'notText' | 'tooLarge' | 'notJson' | 'foreign' | 'unsupportedVersion' | 'invalid';

/** The only error importChromeTrace throws; `message` is meant for the user. */
export class TraceImportError extends Error {
  constructor(readonly code: TraceImportErrorCode, message: string) {
    super(message);
    this.name = 'TraceImportError';
  }
}

export interface ImportLimits {
  /** Longest text accepted, in characters (default 256 MiB). */
  maxChars?: number;
  /** Most events (default 20,000,000). */
  maxEvents?: number;
  /** Most output lines (default 10,000,000) and longest line (default 65,536 characters). */
  maxLines?: number;
  maxLineLength?: number;
}

export interface ImportedRun {
  runId: string;
  config: RunConfig;
  seed: number;
  processes: ProcessInfo[];
  /** null: the run had not ended when it was exported. */
  summary: RunSummary | null;
  lines: string[];
  trace: TraceStore;
}

const DEFAULT_LIMITS: Required<ImportLimits> = { maxChars: MAX_TRACE_FILE_BYTES, maxEvents: 20_000_000, maxLines: 10_000_000, maxLineLength: 65_536 };
const MAX_NAME = 200;
const MAX_TEXT = 10_000;
const MAX_PROCESSES = 64;
const MAX_DEPTH = 8;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ROLES: readonly ProcessRole[] = ['shouter', 'hearer', 'queue'];

const bad = (where: string, what: string): never => {
  throw new TraceImportError('invalid', `This trace file is damaged or was changed by hand: ${where} ${what}.`);
};
const show = (x: unknown): string => {
  if (typeof x === 'string') { return JSON.stringify(x.length > 40 ? `${x.slice(0, 37)}...` : x); }
  if (Array.isArray(x)) { return 'an array'; }
  // Only primitives (and functions) are left here: their own text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return x === null ? 'null' : typeof x === 'object' ? 'an object' : String(x);
};
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function str(x: unknown, where: string, max: number): string {
  if (typeof x !== 'string') { bad(where, `must be text, not ${show(x)}`); }
  if ((x as string).length > max) { bad(where, `is longer than ${max} characters`); }
  return x as string;
}
function int(x: unknown, where: string, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) { bad(where, `must be an integer from ${min} to ${max}, not ${show(x)}`); }
  return x as number;
}
function bool(x: unknown, where: string): boolean {
  if (typeof x !== 'boolean') { bad(where, `must be true or false, not ${show(x)}`); }
  return x as boolean;
}

/**
 * A deep copy of plain JSON, refusing keys that could reach a prototype and bounding depth,
 * text and array lengths; numbers must be finite. For the parts we carry without knowing
 * every field (the summary: newer versions add fields).
 */
function plainJson(x: unknown, where: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) { bad(where, 'is nested too deeply'); }
  if (x === null || typeof x === 'boolean') { return x; }
  if (typeof x === 'number') { if (!Number.isFinite(x)) { bad(where, 'must be a finite number'); } return x; }
  if (typeof x === 'string') { return str(x, where, MAX_TEXT); }
  if (Array.isArray(x)) {
    if (x.length > DEFAULT_LIMITS.maxLines) { bad(where, 'has too many items'); }
    return x.map((v, i) => plainJson(v, `${where}[${i}]`, depth + 1));
  }
  if (isObj(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      if (FORBIDDEN_KEYS.has(k)) { bad(where, `has a key named "${k}", which is not allowed`); }
      str(k, `a key in ${where}`, MAX_NAME);
      out[k] = plainJson(x[k], `${where}.${k}`, depth + 1);
    }
    return out;
  }
  return bad(where, `holds a value of type ${typeof x}`);
}

function checkKeys(o: Record<string, unknown>, where: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (FORBIDDEN_KEYS.has(k)) { bad(where, `has a key named "${k}", which is not allowed`); }
    if (!allowed.includes(k)) { bad(where, `has an unknown field ${show(k)}`); }
  }
}

function config(x: unknown, where: string): RunConfig {
  if (!isObj(x)) { return bad(where, `must be an object, not ${show(x)}`); }
  for (const k of Object.keys(x)) { if (FORBIDDEN_KEYS.has(k)) { bad(where, `has a key named "${k}", which is not allowed`); } }
  // The settings' own rules; fields an older export lacks take their defaults.
  const v = validateConfig(x);
  if (!v.ok) { return bad(where, `is not a valid run configuration (${v.errors.join(' ')})`); }
  return v.config;
}

function processes(x: unknown): ProcessInfo[] {
  const where = 'shoutHear.processes';
  if (!Array.isArray(x)) { return bad(where, `must be an array, not ${show(x)}`); }
  if (x.length < 1 || x.length > MAX_PROCESSES) { bad(where, `must list 1 to ${MAX_PROCESSES} processes, not ${x.length}`); }
  const seen = new Set<number>();
  return x.map((p, i) => {
    const w = `${where}[${i}]`;
    if (!isObj(p)) { return bad(w, `must be an object, not ${show(p)}`); }
    checkKeys(p, w, ['proc', 'role', 'name', 'pid']);
    const proc = int(p.proc, `${w}.proc`, 0, SCHEDULER_PROC - 1);
    if (seen.has(proc)) { bad(`${w}.proc`, `repeats lane ${proc}`); }
    seen.add(proc);
    if (!ROLES.includes(p.role as ProcessRole)) { bad(`${w}.role`, `must be one of ${ROLES.join(', ')}, not ${show(p.role)}`); }
    const name = str(p.name, `${w}.name`, MAX_NAME);
    const pid = p.pid === undefined || p.pid === null ? undefined : int(p.pid, `${w}.pid`, 0, 2 ** 32);
    return { proc, role: p.role as ProcessRole, name, pid };
  });
}

function summary(x: unknown, runId: string): RunSummary | null {
  const where = 'shoutHear.summary';
  if (x === null || x === undefined) { return null; }
  if (!isObj(x)) { return bad(where, `must be an object or null, not ${show(x)}`); }
  const s = plainJson(x, where) as Record<string, unknown>;
  if (str(s.runId, `${where}.runId`, MAX_NAME) !== runId) { bad(`${where}.runId`, `is ${show(s.runId)}, not the run's id ${show(runId)}`); }
  for (const k of ['ok', 'stopped', 'timedOut', 'exactlyOnceInOrder']) { bool(s[k], `${where}.${k}`); }
  for (const k of ['durationMs', 'naps', 'lineCount', 'puts', 'gets', 'maxQueueDepth', 'events']) {
    if (typeof s[k] !== 'number' || s[k] < 0) { bad(`${where}.${k}`, `must be a number ≥ 0, not ${show(s[k])}`); }
  }
  str(s.invariant, `${where}.invariant`, MAX_TEXT);
  // What the views read from an imported summary: each field checked, so no view meets a surprise.
  const waits = s.lockWaits;
  if (!isObj(waits)) { bad(`${where}.lockWaits`, `must be an object { count, totalMs }, not ${show(waits)}`); }
  checkKeys(waits as Record<string, unknown>, `${where}.lockWaits`, ['count', 'totalMs']);
  int((waits as Record<string, unknown>).count, `${where}.lockWaits.count`, 0, Number.MAX_SAFE_INTEGER);
  const totalMs = (waits as Record<string, unknown>).totalMs;
  if (typeof totalMs !== 'number' || totalMs < 0) { bad(`${where}.lockWaits.totalMs`, `must be a number ≥ 0, not ${show(totalMs)}`); }
  if (s.failure !== undefined) { str(s.failure, `${where}.failure`, MAX_TEXT); }
  if (s.outputBytesNotKept !== undefined) { int(s.outputBytesNotKept, `${where}.outputBytesNotKept`, 0, Number.MAX_SAFE_INTEGER); }
  for (const k of ['notes', 'lines']) {
    if (s[k] === undefined) { continue; }
    if (!Array.isArray(s[k])) { bad(`${where}.${k}`, `must be a list of text, not ${show(s[k])}`); }
    (s[k] as unknown[]).forEach((x, i) => str(x, `${where}.${k}[${i}]`, MAX_TEXT));
  }
  s.config = config(s.config, `${where}.config`);
  return s as unknown as RunSummary;
}

function lines(x: unknown, limits: Required<ImportLimits>): string[] {
  const where = 'shoutHear.lines';
  if (!Array.isArray(x)) { return bad(where, `must be an array, not ${show(x)}`); }
  if (x.length > limits.maxLines) { bad(where, `has ${x.length} lines, more than the limit of ${limits.maxLines}`); }
  for (let i = 0; i < x.length; i++) { str(x[i], `${where}[${i}]`, limits.maxLineLength); }
  return x.slice() as string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** One event as read from the columns. */
interface EventFields { kind: number; proc: number; value: number; aux: number; t: number; dur: number; flags: number; obj: number; site: number }
/** What an event is checked against: the run's own config and lanes. */
interface RunShape { config: RunConfig; procs: Set<number>; maxNs: number }

/** Kinds whose value is a message number (1..messageCount; -1 for "done" where it can be). */
const MESSAGE_KINDS = new Set<number>([EventKind.Put, EventKind.Get, EventKind.PutBlocked, EventKind.Nap, EventKind.Print, EventKind.LockWait]);
const QUEUE_KINDS = new Set<number>([EventKind.Put, EventKind.Get, EventKind.PutBlocked]);
const within = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;

/**
 * Every column of every event, checked against the run it claims to belong to: one row per
 * column (a new column in a new format version is one more row). A check returns undefined
 * when the value fits, else what is wrong with it. These bounds are what keep a small hostile
 * file from making the timeline allocate by the size of a number instead of the number of events.
 */
const COLUMN_CHECKS: readonly { column: string; check(e: EventFields, run: RunShape): string | undefined }[] = [
  { column: 'kind', check: (e) => (e.kind < EVENT_KIND_NAMES.length ? undefined : `is ${e.kind}, which is no event kind`) },
  { column: 'proc', check: (e, r) => (e.proc === SCHEDULER_PROC || r.procs.has(e.proc) ? undefined : `is lane ${e.proc}, which no process has`) },
  {
    column: 't',
    check: (e, r) => (Number.isFinite(e.t) && e.t >= 0 && e.t <= r.maxNs ? undefined
      : `must be a time in ns from 0 to ${r.maxNs} (the run's timeout), not ${e.t}`),
  },
  {
    column: 'dur',
    check: (e, r) => (Number.isFinite(e.dur) && e.dur >= 0 && e.t + e.dur <= r.maxNs ? undefined
      : `must be a duration in ns ≥ 0 ending by ${r.maxNs} (the run's timeout), not ${e.dur}`),
  },
  {
    column: 'value',
    check: (e, r) => {
      const n = r.config.messageCount;
      if (QUEUE_KINDS.has(e.kind)) {
        return e.value === SENTINEL || within(e.value, 1, n) ? undefined
          : `is ${e.value}, but a ${kindName(e.kind)}'s message must be 1 to ${n} (messageCount) or ${SENTINEL} ("done")`;
      }
      if (MESSAGE_KINDS.has(e.kind)) {
        return e.value === SENTINEL || within(e.value, 0, n) ? undefined
          : `is ${e.value}, but a ${kindName(e.kind)}'s message must be 0 to ${n} (messageCount)`;
      }
      if (e.kind === EventKind.Start) { return e.value >= 0 ? undefined : `is ${e.value}, but a start's pid must be ≥ 0`; }
      return undefined; // exit codes, and values no view reads
    },
  },
  {
    column: 'aux',
    check: (e, r) => {
      if (QUEUE_KINDS.has(e.kind)) {
        return e.aux < r.config.shouters ? undefined
          : `is ${e.aux}, but a ${kindName(e.kind)}'s shouter must be 0 to ${r.config.shouters - 1} (shouters ${r.config.shouters})`;
      }
      if (e.kind === EventKind.Grant || e.kind === EventKind.Revoke) {
        return r.procs.has(e.aux) ? undefined : `is ${e.aux}, but a ${kindName(e.kind)} must name a lane of this run`;
      }
      return undefined; // piece numbers and exit codes: any 32 bits
    },
  },
  { column: 'flags', check: () => undefined }, // kind-specific bits: any 8 bits, read as bits only
  // The lesson's program has one queue and one print lock (object 0) and no source sites: a
  // number here would only make a view allocate for objects this run never had.
  { column: 'obj', check: (e) => (e.obj === 0 ? undefined : `is ${e.obj}, but this run has one queue and one lock (object 0)`) },
  { column: 'site', check: (e) => (e.site === 0 ? undefined : `is ${e.site}, but this run records no source locations`) },
];

function events(x: unknown, procs: Set<number>, limits: Required<ImportLimits>, cfg: RunConfig): TraceStore {
  const where = 'shoutHear.events';
  if (!isObj(x)) { return bad(where, `must be an object, not ${show(x)}`); }
  checkKeys(x, where, ['count', 'encoding', ...COLUMNS.map(([k]) => k)]);
  if (x.encoding !== 'base64-le') { bad(`${where}.encoding`, `must be "base64-le", not ${show(x.encoding)}`); }
  const n = int(x.count, `${where}.count`, 0, limits.maxEvents);
  const cols: Record<string, DataView> = {};
  for (const [name, width] of COLUMNS) {
    const text = str(x[name], `${where}.${name}`, Math.ceil((n * width) / 3) * 4);
    if (text.length !== Math.ceil((n * width) / 3) * 4 || !BASE64.test(text)) { bad(`${where}.${name}`, `must be base64 of ${n} × ${width} bytes`); }
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== n * width) { bad(`${where}.${name}`, `holds ${bytes.length} bytes where ${n * width} were due`); }
    cols[name] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const store = new TraceStore();
  // Generous: a run ends by its timeout, plus the time a stop or a slow exit may take.
  const shape: RunShape = { config: cfg, procs, maxNs: (cfg.runTimeoutSeconds + 600) * 1e9 };
  const e: EventFields = { kind: 0, proc: 0, value: 0, aux: 0, t: 0, dur: 0, flags: 0, obj: 0, site: 0 };
  for (let i = 0; i < n; i++) {
    e.t = readCell(cols.t, 't', i);
    e.dur = readCell(cols.dur, 'dur', i);
    e.kind = readCell(cols.kind, 'kind', i);
    e.proc = readCell(cols.proc, 'proc', i);
    e.value = readCell(cols.value, 'value', i);
    e.aux = readCell(cols.aux, 'aux', i);
    e.flags = readCell(cols.flags, 'flags', i);
    e.obj = readCell(cols.obj, 'obj', i);
    e.site = readCell(cols.site, 'site', i);
    for (const rule of COLUMN_CHECKS) {
      const wrong = rule.check(e, shape);
      if (wrong !== undefined) { bad(`${where}.${rule.column}[${i}] (a ${kindName(e.kind)} event)`, wrong); }
    }
    store.append(e.kind, e.proc, e.value, e.t, e.dur, e.aux, e.flags, e.obj, e.site);
  }
  return store;
}

/**
 * The imported run under an id no run of this window has (its own if free, else "<id>-import-<k>"):
 * a file exported here and opened again must not hide the run it came from.
 */
export function withFreshRunId(run: ImportedRun, taken: Iterable<string>): ImportedRun {
  const used = new Set(taken);
  if (!used.has(run.runId)) { return run; }
  let k = 1;
  while (used.has(`${run.runId}-import-${k}`)) { k++; }
  const runId = `${run.runId}-import-${k}`;
  return { ...run, runId, summary: run.summary ? { ...run.summary, runId } : null };
}

/**
 * Reads a file written by exportChromeTrace. Throws TraceImportError (only) with a clear
 * message when the text is too large, not JSON, a trace from another tool, from a newer
 * version, or damaged; nothing it returns is shared with the parsed input.
 */
export function importChromeTrace(text: unknown, limitsIn: ImportLimits = {}): ImportedRun {
  const limits = { ...DEFAULT_LIMITS, ...limitsIn };
  try {
    if (typeof text !== 'string') { throw new TraceImportError('notText', 'A trace file must be text (JSON).'); }
    if (text.length > limits.maxChars) {
      throw new TraceImportError('tooLarge', `This trace file is too large: ${text.length.toLocaleString('en-US')} characters, more than the limit of ${limits.maxChars.toLocaleString('en-US')}.`);
    }
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch (err) {
      throw new TraceImportError('notJson', `This is not a trace file: it is not valid JSON (${String((err as Error).message).slice(0, 200)}).`);
    }
    if (!isObj(root) || !has(root, 'shoutHear')) {
      const chrome = Array.isArray(root) || (isObj(root) && Array.isArray(root.traceEvents));
      throw new TraceImportError('foreign', chrome
        ? 'This trace was not exported by Shout/Hear (it has no "shoutHear" section), so it cannot be shown as a run. Open it in ui.perfetto.dev instead.'
        : 'This is not a Shout/Hear trace file: it has no "shoutHear" section.');
    }
    const sec = root.shoutHear;
    if (!isObj(sec)) { return bad('shoutHear', `must be an object, not ${show(sec)}`); }
    if (sec.format !== TRACE_FORMAT) { bad('shoutHear.format', `must be ${show(TRACE_FORMAT)}, not ${show(sec.format)}`); }
    if (typeof sec.version === 'number' && Number.isInteger(sec.version) && sec.version > TRACE_FORMAT_VERSION) {
      throw new TraceImportError('unsupportedVersion', `This trace file was written by a newer Shout/Hear (format version ${sec.version}; this one reads version ${TRACE_FORMAT_VERSION}). Update the extension to open it.`);
    }
    if (typeof sec.version === 'number' && Number.isInteger(sec.version) && sec.version >= 1 && sec.version < TRACE_FORMAT_VERSION) {
      throw new TraceImportError('unsupportedVersion', `This trace file was written by an older Shout/Hear (format version ${sec.version}); this one reads version ${TRACE_FORMAT_VERSION} only, whose events carry more (lock flags, objects, source lines). Run it again and export it from this version.`);
    }
    if (sec.version !== TRACE_FORMAT_VERSION) { bad('shoutHear.version', `must be ${TRACE_FORMAT_VERSION}, not ${show(sec.version)}`); }
    checkKeys(sec, 'shoutHear', ['format', 'version', 'runId', 'config', 'seed', 'processes', 'summary', 'lines', 'events']);
    const runId = str(sec.runId, 'shoutHear.runId', MAX_NAME);
    if (!RUN_ID_PATTERN.test(runId)) { bad('shoutHear.runId', `must be letters, digits and . : _ - only, not ${show(runId)}`); }
    const seed = int(sec.seed, 'shoutHear.seed', 0, Number.MAX_SAFE_INTEGER);
    const cfg = config(sec.config, 'shoutHear.config');
    const procs = processes(sec.processes);
    const sum = summary(sec.summary, runId);
    const out = lines(sec.lines, limits);
    const trace = events(sec.events, new Set(procs.map((p) => p.proc)), limits, cfg);
    return { runId, config: cfg, seed, processes: procs, summary: sum, lines: out, trace };
  } catch (err) {
    if (err instanceof TraceImportError) { throw err; }
    // Anything else (out of memory in a typed array, a bug): still a clear, typed error.
    throw new TraceImportError('invalid', `This trace file could not be read: ${String((err as Error)?.message ?? err).slice(0, 200)}.`);
  }
}
