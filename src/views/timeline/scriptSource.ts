/**
 * What the timeline and the run store see of a traced user program (a ScriptRun): its lanes
 * (one per process, unique names), trace, output and verdict. The run config is the lesson's
 * shape, which a user's program does not have: only its timeout is real. No `vscode` import.
 */
import * as path from 'path';
import type { ScriptRun } from '../../engine/scriptRun';
import { EventKind } from '../../protocol/events';
import type { ProcessInfo, RunConfig } from '../../protocol/run';
import type { TimelineVerdict } from '../../protocol/timeline';
import { maxQueueDepth, objectTracksOf } from './scriptObjects';
import type { ScriptResult } from '../../trace/scriptSummary';
import type { TimelineSource } from './source';

export function scriptVerdict(r: ScriptResult, run?: ScriptRun): TimelineVerdict {
  const queues = r.queues.map((q) => `${q.label} ${q.exactlyOnce ? '✓' : '✗'}`).join(', ');
  const waits = r.locks.reduce((a, l) => ({ count: a.count + l.contended, totalMs: a.totalMs + l.waitMs }), { count: 0, totalMs: 0 });
  return {
    ok: r.ok, stopped: r.stopped, timedOut: r.timedOut, ...(r.failure ? { failure: r.failure } : {}),
    invariant: r.queues.length > 0 ? `every item got exactly once, per queue: ${queues}` : 'no queues traced',
    durationMs: r.durationMs, naps: run?.trace.countOf(EventKind.Nap) ?? 0,
    maxQueueDepth: run ? maxQueueDepth(objectTracksOf(run)) : 0, lockWaits: waits,
  };
}

export function sourceOfScript(run: ScriptRun): TimelineSource {
  const config = {
    messageCount: 0, napProbability: 0, napMs: 0, seed: 0, useLock: true, runTimeoutSeconds: 0, lockPolicy: 'os',
    queueCapacity: 0, shouters: 1, hearers: 1, engine: 'python', pythonStartMethod: null,
  } satisfies RunConfig;
  const source: TimelineSource = {
    id: run.id,
    seed: 0,
    config,
    title: path.basename(run.file),
    file: run.file,
    startedAt: run.startedAt,
    trace: run.trace,
    transcript: run.transcript,
    processes: (): ProcessInfo[] => run.lanes().map((l) => ({ proc: l.proc, role: 'process', name: l.name, pid: l.pid })),
    onTrace: (fn) => run.onTrace(fn),
    onOutput: (fn) => run.onOutput(() => fn()),
    verdict: undefined,
    script: run,
    done: run.done.then((r) => {
      source.verdict = scriptVerdict(r, run);
      return source.verdict;
    }),
  };
  return source;
}
