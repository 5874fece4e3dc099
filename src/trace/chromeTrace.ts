/**
 * A run as a Chrome Trace Event file (JSON Object Format) that opens in ui.perfetto.dev and
 * chrome://tracing; traceImport.ts reads it back. Pure: no `vscode`, no processes.
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
 * `traceEvents` are a view derived from it and are ignored on import.
 */
import { EventKind, SCHEDULER_PROC, SENTINEL } from '../protocol/events';
import type { ProcessInfo, RunConfig, RunSummary } from '../protocol/run';
import { COLUMNS, TRACE_FORMAT, TRACE_FORMAT_VERSION, kindName, writeCell, type ColumnName } from './traceColumns';
import type { TraceStore } from './traceStore';


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
  /** A traced user program: its file, and each site's file and line (written in every event's args). */
  file?: string; siteOf?: (site: number) => { file: string; line: number } | undefined;
}

const SPANS = new Set<number>([EventKind.LockWait, EventKind.Print, EventKind.PutBlocked, EventKind.GetWait, EventKind.Nap]);

const tidOf = (proc: number) => (proc === SCHEDULER_PROC ? HOST_TID : proc + 1);

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
  for (const proc of used) { if (!lanes.has(proc)) { lanes.set(proc, proc === SCHEDULER_PROC ? 'scheduler: print lock' : `lane ${proc}`); } }
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
      const site = c.site[j] ? run.siteOf?.(c.site[j]) : undefined; // a traced program: the user's file and line of the call
      if (site) { args.file = site.file; args.line = site.line; }
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
    ...(run.file ? { file: run.file } : {}),
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
