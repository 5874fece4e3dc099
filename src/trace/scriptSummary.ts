/**
 * What a traced user program did, from its trace and meta: per process its exit, per queue
 * puts/gets/left and the exactly-once check by put tags, per lock acquisitions and waits, the
 * lines its prints wrote to stdout. Also the summary's text for the output channel.
 * No `vscode` import.
 */
import { EventKind } from '../protocol/events';
import { QUEUE_KINDS, type ScriptMeta } from './scriptMeta';
import type { TraceStore } from './traceStore';

export const SCRIPT_LINES_MAX = 10_000;

export interface ScriptProcess { name: string; pid: number | undefined; exitCode: number | null }
export interface ScriptQueue { id: number; label: string; puts: number; gets: number; left: number; exactlyOnce: boolean }
export interface ScriptLock { id: number; label: string; acquisitions: number; contended: number; waitMs: number }

/** What shoutHear.traceFile resolves to (README, "Your own program"). */
export interface ScriptResult {
  runId: string;
  ok: boolean;
  failure?: string;
  stopped: boolean;
  timedOut: boolean;
  engine: 'script';
  file: string;
  durationMs: number;
  processes: ScriptProcess[];
  lines: string[];
  queues: ScriptQueue[];
  locks: ScriptLock[];
  events: number;
  /** What the program used that is not traced ("Pool at x.py:3"). */
  untraced: string[];
}

/** Lane names made unique ("worker", "worker (2)") in lane order. */
export function uniqueLaneNames(meta: ScriptMeta): Map<number, string> {
  const seen = new Map<string, number>();
  const out = new Map<number, string>();
  for (const proc of [...meta.lanes.keys()].sort((a, b) => a - b)) {
    const name = meta.lanes.get(proc)!.name || `process ${proc}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    out.set(proc, n === 1 ? name : `${name} (${n})`);
  }
  return out;
}

/** Per lane, a growable count per tag (tags count from 1 per lane) and the queue it went through. */
class TagBalance {
  private readonly lanes = new Map<number, { n: Int32Array; obj: Uint16Array }>();

  add(lane: number, tag: number, obj: number, delta: number): void {
    if (tag < 0) { return; }
    let l = this.lanes.get(lane);
    if (!l || tag >= l.n.length) {
      const size = Math.max(1024, (l?.n.length ?? 0) * 2, tag + 1);
      const grown = { n: new Int32Array(size), obj: new Uint16Array(size) };
      if (l) { grown.n.set(l.n); grown.obj.set(l.obj); }
      l = grown;
      this.lanes.set(lane, l);
    }
    l.n[tag] += delta;
    l.obj[tag] = obj;
  }

  /** Queues with a put not got exactly once (a tag whose count is not 0). */
  unbalanced(): Set<number> {
    const out = new Set<number>();
    for (const l of this.lanes.values()) { l.n.forEach((v, tag) => { if (v !== 0) { out.add(l.obj[tag]); } }); }
    return out;
  }
}

export function summarizeQueuesAndLocks(trace: TraceStore, meta: ScriptMeta): { queues: ScriptQueue[]; locks: ScriptLock[]; lines: string[] } {
  const balance = new TagBalance();
  const counts = new Map<number, { puts: number; gets: number; acq: number; contended: number; waitNs: number }>();
  const count = (obj: number) => {
    let c = counts.get(obj);
    if (!c) { c = { puts: 0, gets: 0, acq: 0, contended: 0, waitNs: 0 }; counts.set(obj, c); }
    return c;
  };
  // Stdout prints, by start time: the lines the program printed (stderr shares the pipe, so the
  // transcript alone cannot tell them apart).
  const prints: { t: number; text: string }[] = [];
  for (const c of trace.chunks) {
    for (let i = 0; i < c.length; i++) {
      const k = c.kind[i];
      const obj = c.obj[i];
      if (k === EventKind.Put) {
        // A put is (putter lane, tag); its get carries the same pair.
        balance.add(c.aux[i], c.value[i], obj, 1);
        count(obj).puts++;
      } else if (k === EventKind.Get) {
        balance.add(c.aux[i], c.value[i], obj, -1);
        count(obj).gets++;
      } else if (k === EventKind.LockHeld) {
        count(obj).acq++;
      } else if (k === EventKind.LockWait) {
        count(obj).contended++;
        count(obj).waitNs += c.dur[i];
      } else if (k === EventKind.Print && c.aux[i] === 1 && prints.length < SCRIPT_LINES_MAX) {
        prints.push({ t: c.t[i], text: meta.text(c.proc[i], c.value[i]) ?? '' });
      }
    }
  }
  prints.sort((a, b) => a.t - b.t);
  const lines = prints.flatMap((p) => p.text.split('\n')).slice(0, SCRIPT_LINES_MAX);
  const unbalanced = balance.unbalanced();
  const queues: ScriptQueue[] = [];
  const locks: ScriptLock[] = [];
  for (const o of [...meta.objects.values()].sort((a, b) => a.obj - b.obj)) {
    const c = counts.get(o.obj) ?? { puts: 0, gets: 0, acq: 0, contended: 0, waitNs: 0 };
    if (QUEUE_KINDS.includes(o.kind)) {
      queues.push({ id: o.obj, label: o.label, puts: c.puts, gets: c.gets, left: c.puts - c.gets, exactlyOnce: !unbalanced.has(o.obj) });
    } else {
      locks.push({ id: o.obj, label: o.label, acquisitions: c.acq, contended: c.contended, waitMs: c.waitNs / 1e6 });
    }
  }
  return { queues, locks, lines };
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function scriptHeader(runId: string, file: string, python: string, args: readonly string[], startMethod: string | null): string {
  return `── Shout/Hear ${runId} · tracing ${file}${args.length ? ` ${args.map((a) => JSON.stringify(a)).join(' ')}` : ''}\n`
    + `   Python ${python}; start method ${startMethod ?? "the program's (or the platform's default)"}\n`;
}

export function scriptSummaryText(r: ScriptResult): string {
  const out: string[] = [];
  const verdict = r.ok ? 'ok' : r.stopped ? 'stopped' : r.timedOut ? 'timed out' : 'failed';
  out.push(`── ${verdict}${r.failure ? `: ${r.failure}` : ''} · ${(r.durationMs / 1000).toFixed(2)} s · ${plural(r.events, 'event')}`);
  out.push(`   processes: ${r.processes.map((p) => `${p.name} (pid ${p.pid ?? '?'}, exit ${p.exitCode ?? '?'})`).join(', ')}`);
  for (const q of r.queues) {
    out.push(`   queue ${q.label}: ${plural(q.puts, 'put')}, ${plural(q.gets, 'get')}, ${q.left} left · exactly once ${q.exactlyOnce ? '✓' : '✗'}`);
  }
  for (const l of r.locks) {
    out.push(`   lock ${l.label}: ${plural(l.acquisitions, 'acquisition')}, ${l.contended} waited (${l.waitMs.toFixed(1)} ms)`);
  }
  if (r.untraced.length > 0) { out.push(`   not traced (used by the program): ${r.untraced.join(', ')}`); }
  out.push('   never traced: Pool and Manager internals, Pipe, Event, Condition, Barrier, shared Values/Arrays, threads, '
    + 'os.fork/subprocess, writes to sys.stdout other than print');
  return out.join('\n');
}
