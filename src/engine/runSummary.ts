/**
 * The summary a run ends with: what was checked (exactly once, in order; the capacity), what it
 * cost (naps, lock waits, the queue's depth), who ran (pids), and notes on what was not kept.
 * Computed once from the trace and the transcript after every process has exited.
 */
import { LINES_IN_SUMMARY_MAX, type ProcessInfo, type RunConfig, type RunSummary } from '../protocol/run';
import type { TraceMetrics } from '../trace/metrics';
import type { TraceStore } from '../trace/traceStore';
import type { Transcript } from '../trace/transcript';

/** What the summary reads from a run. */
export interface SummarySource {
  readonly id: string;
  readonly config: RunConfig;
  readonly seed: number;
  readonly trace: TraceStore;
  readonly transcript: Transcript;
  readonly processes: ProcessInfo[];
  readonly t0: bigint;
  readonly replayOf: string | undefined;
  /** The OS pids of every process spawned. */
  readonly children: readonly { pid: number | undefined }[];
}

/** `metrics`: what the run's trace says (gathered by the run as it went; see trace/metrics.ts). */
export function summarizeRun(run: SummarySource, metrics: TraceMetrics, stopped: boolean, timedOut: boolean, failure: string | undefined): RunSummary {
  const c = run.config;
  const capacityRespected = c.queueCapacity === 0 || metrics.maxQueueDepth <= c.queueCapacity;
  const lines = c.messageCount * c.shouters <= LINES_IN_SUMMARY_MAX ? run.transcript.allLines() : undefined;
  const pidOf = (role: string) => run.processes.find((p) => p.role === role)?.pid;
  const allPids = new Set<number>();
  for (const ch of run.children) { if (ch.pid !== undefined) { allPids.add(ch.pid); } }
  for (const p of run.processes) { if (p.pid !== undefined) { allPids.add(p.pid); } }
  const notes: string[] = [];
  if (run.transcript.droppedBytes > 0) {
    notes.push(`output past ${(run.transcript.byteLength / 1048576).toFixed(0)} MiB was not kept: ${run.transcript.droppedBytes.toLocaleString('en-US')} bytes were dropped (the trace is complete)`);
  }
  if (c.engine === 'python' && c.lockPolicy !== 'os') {
    notes.push(`lock policy "${c.lockPolicy}" does not apply to the Python engine: its real multiprocessing.Lock decides`);
  }
  return {
    runId: run.id,
    engine: c.engine,
    ok: !stopped && !failure && metrics.exactlyOnceInOrder && capacityRespected,
    stopped,
    timedOut,
    ...(failure ? { failure } : {}),
    seed: run.seed,
    config: { ...c },
    durationMs: Number(process.hrtime.bigint() - run.t0) / 1e6,
    naps: metrics.naps,
    ...(lines ? { lines } : {}),
    lineCount: run.transcript.totalLines,
    ...(run.transcript.droppedBytes > 0 ? { outputBytesNotKept: run.transcript.droppedBytes } : {}),
    pids: { shouter: pidOf('shouter'), hearer: pidOf('hearer') },
    allPids: [...allPids],
    processes: run.processes.map((p) => ({ ...p })),
    exactlyOnceInOrder: metrics.exactlyOnceInOrder,
    invariant: metrics.invariant,
    puts: metrics.puts,
    gets: metrics.gets,
    maxQueueDepth: metrics.maxQueueDepth,
    ...(c.queueCapacity > 0 ? { capacityRespected } : {}),
    putBlocks: metrics.putBlocks,
    lockWaits: metrics.lockWaits,
    events: run.trace.length,
    ...(run.replayOf ? { replayOf: run.replayOf } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
