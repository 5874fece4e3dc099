/**
 * A run as a Chrome Trace Event file (JSON Object Format) that opens in ui.perfetto.dev and
 * chrome://tracing, and back. Pure: no `vscode`, no processes.
 *
 * What viewers see (`traceEvents`, all times in MICROSECONDS): one pid per run (1) named by
 * an `M` process_name event; one tid per lane (process proc → tid proc + 1, the host's lock
 * lane → HOST_TID) named by `M` thread_name events; spans (lock wait, print, put blocked, get
 * wait, nap) as `X` events with `dur`; instants (start, exit, put, get, grant, revoke) as `i`
 * with `s: "t"`; each message's put → get as a flow pair (`s` at the put, `f` with `bp: "e"` at
 * the get, one fresh numeric id per message); the queue depth as a `C` counter series.
 *
 * What we read back: only the `shoutHear` side section — run id, config, seed, processes,
 * summary, output lines, and the events as base64 of their little-endian columns (exactly the
 * TraceStore's typed arrays: bit-exact t as float64 and dur as float32, and compact). The
 * `traceEvents` are a view derived from it and are ignored on import. The file is untrusted
 * input: `importChromeTrace` checks size, JSON, and every field of the section, and throws
 * only TraceImportError with a message fit for the user.
 */
import { validateConfig } from '../shared/config';
import {
  EVENT_KIND_NAMES, EventKind, SENTINEL,
  type ProcessInfo, type ProcessRole, type RunConfig, type RunSummary,
} from '../protocol';
import { HOST_PROC, TraceStore } from './traceStore';

export const TRACE_FORMAT = 'shout-hear-trace';
/** Version 2: the record layout of docs/trace-format.md (flags, 16-bit lanes, objects and sites). */
export const TRACE_FORMAT_VERSION = 2;
/** pid of the run in traceEvents; tid of the host's lock lane. */
export const TRACE_PID = 1;
export const HOST_TID = 1000;

export interface ExportableRun {
  id: string;
  config: RunConfig;
  seed: number;
  processes: readonly ProcessInfo[];
  trace: TraceStore;
  /** The output lines (an array, or Transcript.lineIterator(): never all in one string). */
  lines: Iterable<string>;
  /** Output bytes the run did not keep (its transcript's size cap); the file says so. */
  outputBytesNotKept?: number;
  /** Undefined or null while the run is still going. */
  summary?: RunSummary | null;
}

const SPANS = new Set<number>([EventKind.LockWait, EventKind.Print, EventKind.PutBlocked, EventKind.GetWait, EventKind.Nap]);

const tidOf = (proc: number) => (proc === HOST_PROC ? HOST_TID : proc + 1);
const kindName = (kind: number) => EVENT_KIND_NAMES[kind] ?? `kind ${kind}`;

/** The stored columns of a v2 trace and their widths in bytes (the TraceStore's typed arrays). */
const COLUMNS = [['t', 8], ['dur', 4], ['value', 4], ['aux', 4], ['kind', 1], ['flags', 1], ['proc', 2], ['obj', 2], ['site', 2]] as const;
type ColumnName = typeof COLUMNS[number][0];

function writeCell(view: DataView, name: ColumnName, i: number, x: number): void {
  switch (name) {
    case 't': view.setFloat64(i * 8, x, true); break;
    case 'dur': view.setFloat32(i * 4, x, true); break;
    case 'value': view.setInt32(i * 4, x, true); break;
    case 'aux': view.setUint32(i * 4, x, true); break;
    case 'kind': case 'flags': view.setUint8(i, x); break;
    default: view.setUint16(i * 2, x, true); break;
  }
}

function readCell(view: DataView, name: ColumnName, i: number): number {
  switch (name) {
    case 't': return view.getFloat64(i * 8, true);
    case 'dur': return view.getFloat32(i * 4, true);
    case 'value': return view.getInt32(i * 4, true);
    case 'aux': return view.getUint32(i * 4, true);
    case 'kind': case 'flags': return view.getUint8(i);
    default: return view.getUint16(i * 2, true);
  }
}

/** Events per base64 piece: a multiple of 3 bytes for every width, so pieces join into one base64 text. */
const EVENTS_PER_PIECE = 3 * 16384;

/** One column of a TraceStore as base64 of its little-endian bytes, in pieces (never one giant string). */
function* encodeColumn(trace: TraceStore, name: ColumnName, width: number): Generator<string> {
  const buf = Buffer.alloc(EVENTS_PER_PIECE * width);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let i = 0;
  for (const c of trace.chunks) {
    const col = c[name];
    for (let j = 0; j < c.length; j++) {
      writeCell(view, name, i, col[j]);
      if (++i === EVENTS_PER_PIECE) { yield buf.toString('base64'); i = 0; }
    }
  }
  if (i > 0) { yield buf.toString('base64', 0, i * width); }
}

/** The output lines as the items of a JSON array, in pieces of many lines each. */
function* encodeLines(lines: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  let first = true;
  for (const line of lines) {
    batch.push(JSON.stringify(line));
    if (batch.length === 10_000) { yield (first ? '' : ',') + batch.join(','); first = false; batch = []; }
  }
  if (batch.length > 0) { yield (first ? '' : ',') + batch.join(','); }
}

/**
 * The file in pieces, for writing a large run to disk without one giant string. Joined, the
 * pieces are `exportChromeTrace`'s text. Keys in this order: displayTimeUnit (first, as
 * some viewers want), traceEvents, otherData, shoutHear.
 */
export function* chromeTracePieces(run: ExportableRun): Generator<string> {
  const pid = TRACE_PID;
  let first = true;
  const item = (o: Record<string, unknown>) => { const s = (first ? '' : ',\n') + JSON.stringify(o); first = false; return s; };
  yield '{"displayTimeUnit":"ns","traceEvents":[\n';

  // Names of the run and its lanes.
  yield item({ ph: 'M', pid, tid: 0, name: 'process_name', args: { name: `Shout/Hear ${run.id}` } });
  const lanes = new Map<number, string>();
  for (const p of run.processes) { lanes.set(p.proc, p.pid === undefined ? p.name : `${p.name} (pid ${p.pid})`); }
  const used = new Set<number>();
  run.trace.scan((_k, proc) => { used.add(proc); });
  for (const proc of used) { if (!lanes.has(proc)) { lanes.set(proc, proc === HOST_PROC ? 'scheduler: print lock' : `lane ${proc}`); } }
  for (const [proc, name] of [...lanes].sort(([a], [b]) => a - b)) {
    yield item({ ph: 'M', pid, tid: tidOf(proc), name: 'thread_name', args: { name } });
    yield item({ ph: 'M', pid, tid: tidOf(proc), name: 'thread_sort_index', args: { sort_index: proc } });
  }

  // Every event, in store order; args carry our own fields and the event's index.
  const procName = (proc: number) => run.processes.find((p) => p.proc === proc)?.name ?? `lane ${proc}`;
  const puts = new Map<number, { ts: number; tid: number }>();
  const depth: { t: number; d: number }[] = [];
  let flowId = 0;
  const msgKey = (aux: number, value: number) => aux * 2 ** 32 + value;
  // Puts first: batches from different processes arrive in any order, so a get can precede
  // its put in the store.
  run.trace.scan((kind, proc, value, t, _dur, aux) => {
    if (kind === EventKind.Put && value !== SENTINEL) { puts.set(msgKey(aux, value), { ts: t / 1000, tid: tidOf(proc) }); }
  });
  let index = 0;
  for (const c of run.trace.chunks) {
    for (let j = 0; j < c.length; j++, index++) {
      const kind = c.kind[j], proc = c.proc[j], value = c.value[j], t = c.t[j], dur = c.dur[j], aux = c.aux[j];
      const ts = t / 1000;
      const args: Record<string, unknown> = { i: index, kind, value, aux, ...(c.flags[j] ? { flags: c.flags[j] } : {}) };
      if (kind === EventKind.Grant || kind === EventKind.Revoke) { args.to = procName(aux); }
      const base = { name: kindName(kind), cat: 'shoutHear', pid, tid: tidOf(proc), ts };
      yield item(SPANS.has(kind) ? { ...base, ph: 'X', dur: Math.max(0, dur) / 1000, args } : { ...base, ph: 'i', s: 't', args });
      if (value === SENTINEL) { continue; }
      if (kind === EventKind.Put) { depth.push({ t, d: +1 }); }
      if (kind === EventKind.Get) {
        depth.push({ t, d: -1 });
        const put = puts.get(msgKey(aux, value));
        if (!put) { continue; }
        // One flow per message: starts at its put, ends at (binds to the slice enclosing) its get.
        puts.delete(msgKey(aux, value));
        const id = ++flowId;
        const name = `message ${aux + 1}/${value}`;
        yield item({ ph: 's', id, name, cat: 'queue', pid, tid: put.tid, ts: put.ts });
        yield item({ ph: 'f', bp: 'e', id, name, cat: 'queue', pid, tid: tidOf(proc), ts });
      }
    }
  }
  // Queue depth: puts before gets at the same instant (a get follows its put).
  depth.sort((a, b) => a.t - b.t || b.d - a.d);
  let d = 0;
  for (const step of depth) {
    d += step.d;
    yield item({ ph: 'C', name: 'queue depth', cat: 'queue', pid, ts: step.t / 1000, args: { depth: d } });
  }

  yield '\n],\n';
  const notKept = run.outputBytesNotKept ?? 0;
  yield `"otherData":${JSON.stringify({
    exporter: 'Shout/Hear', format: TRACE_FORMAT, version: String(TRACE_FORMAT_VERSION), runId: run.id, seed: String(run.seed),
    ...(notKept > 0 ? { outputNotKept: `${notKept} bytes of output past the transcript's size cap were not kept; the lines end there` } : {}),
  })},\n`;
  // The section in pieces, in this key order: its lines and event columns can be far larger
  // than one string may be (V8: about 512 MiB).
  const head = {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    runId: run.id,
    config: run.config,
    seed: run.seed,
    processes: run.processes.map((p) => ({ proc: p.proc, role: p.role, name: p.name, pid: p.pid ?? null })),
    summary: run.summary ?? null,
  };
  yield `"shoutHear":${JSON.stringify(head).slice(0, -1)},"lines":[`;
  yield* encodeLines(run.lines);
  yield `],"events":{"count":${run.trace.length},"encoding":"base64-le"`;
  for (const [name, width] of COLUMNS) {
    yield `,"${name}":"`;
    yield* encodeColumn(run.trace, name, width);
    yield '"';
  }
  yield '}}\n}\n';
}

/** The run as Chrome Trace Event JSON (see the module comment). */
export function exportChromeTrace(run: ExportableRun): string {
  return [...chromeTracePieces(run)].join('');
}

// ================================================================ import

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

const DEFAULT_LIMITS: Required<ImportLimits> = { maxChars: 256 * 1024 * 1024, maxEvents: 20_000_000, maxLines: 10_000_000, maxLineLength: 65_536 };
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
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
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
    const proc = int(p.proc, `${w}.proc`, 0, HOST_PROC - 1);
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
  { column: 'proc', check: (e, r) => (e.proc === HOST_PROC || r.procs.has(e.proc) ? undefined : `is lane ${e.proc}, which no process has`) },
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
    if (!/^[\w.:-]+$/.test(runId)) { bad('shoutHear.runId', `must be letters, digits and . : _ - only, not ${show(runId)}`); }
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
