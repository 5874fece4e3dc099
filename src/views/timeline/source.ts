/**
 * What the timeline shows of a run: its trace and transcript, live until it ends. Made from a
 * real `Run`, or (for tests) from given processes, events and lines. No `vscode` import.
 */
import type { LockState, Run } from '../../engine/run';
import type { ScriptRun } from '../../engine/scriptRun';
import { EventKind, SCHEDULER_PROC } from '../../protocol/events';
import type { ProcessInfo, RunConfig, RunSummary } from '../../protocol/run';
import type { TimelineVerdict } from '../../protocol/timeline';
import { TraceStore } from '../../trace/traceStore';

export interface TranscriptLike {
  /** Complete lines. */
  readonly lineCount: number;
  /** Complete lines plus an unterminated last one. */
  readonly totalLines: number;
  line(i: number): string;
  allLines(): string[];
  /** Bytes the lines take in memory (what the run store's budget counts). */
  readonly byteLength: number;
}

export interface TimelineSource {
  readonly id: string;
  readonly seed: number;
  readonly config: RunConfig;
  readonly startedAt: number;
  /** A traced user program: its file's name (shown with the run's label) and absolute path. */
  readonly title?: string;
  readonly file?: string;
  /** A traced user program: the run itself (its meta: lanes, objects, sites). */
  readonly script?: ScriptRun;
  readonly trace: TraceStore;
  readonly transcript: TranscriptLike;
  processes(): ProcessInfo[];
  onTrace(fn: () => void): () => void;
  onOutput(fn: () => void): () => void;
  /** Set once the run has ended. */
  verdict: TimelineVerdict | undefined;
  /** A live run's print lock (who holds it, who waits), for "be the scheduler". */
  readonly lock?: {
    state(): LockState;
    onChange(fn: (state: LockState) => void): () => void;
    /** Gives the free lock to the waiting process of that lane name; throws (in words) if it cannot. */
    grant(name: string): void;
  };
  readonly done: Promise<TimelineVerdict>;
}

export function verdictOf(s: RunSummary): TimelineVerdict {
  return {
    ok: s.ok, stopped: s.stopped, timedOut: s.timedOut, ...(s.failure ? { failure: s.failure } : {}),
    invariant: s.invariant, durationMs: s.durationMs, naps: s.naps, maxQueueDepth: s.maxQueueDepth,
    lockWaits: { ...s.lockWaits },
  };
}

export function sourceOfRun(run: Run): TimelineSource {
  const source: TimelineSource = {
    id: run.id,
    seed: run.seed,
    config: run.config,
    startedAt: Date.now(),
    trace: run.trace,
    transcript: run.transcript,
    processes: () => run.processes,
    onTrace: (fn) => run.onTrace(() => fn()),
    onOutput: (fn) => run.onOutput(() => fn()),
    verdict: undefined,
    lock: {
      state: () => run.lockState,
      onChange: (fn) => run.onLockState(fn),
      grant: (name) => run.grantLock(name),
    },
    done: run.done.then((summary) => {
      source.verdict = verdictOf(summary);
      return source.verdict;
    }),
  };
  return source;
}

class LinesTranscript implements TranscriptLike {
  readonly byteLength: number;
  constructor(private readonly lines: readonly string[]) {
    // UTF-16 in memory: two bytes a character, plus a newline's worth a line.
    this.byteLength = lines.reduce((sum, l) => sum + 2 * (l.length + 1), 0);
  }
  get lineCount(): number { return this.lines.length; }
  get totalLines(): number { return this.lines.length; }
  line(i: number): string { return this.lines[i]; }
  allLines(): string[] { return [...this.lines]; }
}

/** A finished run read back from an exported trace file (shoutHear.openTraceFile). */
export function importedSource(run: {
  runId: string; seed: number; config: RunConfig; processes: ProcessInfo[]; summary: RunSummary | null; lines: string[]; trace: TraceStore;
}): TimelineSource {
  const verdict: TimelineVerdict = run.summary ? verdictOf(run.summary) : {
    ok: false, stopped: true, timedOut: false, invariant: 'exported before the run ended', durationMs: 0,
    naps: 0, maxQueueDepth: 0, lockWaits: { count: 0, totalMs: 0 },
  };
  return {
    id: run.runId,
    seed: run.seed,
    config: run.config,
    startedAt: Date.now(),
    trace: run.trace,
    transcript: new LinesTranscript(run.lines),
    processes: () => run.processes,
    onTrace: () => () => undefined,
    onOutput: () => () => undefined,
    verdict,
    done: Promise.resolve(verdict),
  };
}

let syntheticCounter = 0;

/**
 * A finished run made up of given process names and output lines, with a small plausible
 * trace: for each message i, the shouter prints "line" i and puts i, the hearer gets and prints.
 * For tests (e.g. hostile text in a process name or a line).
 */
export function syntheticSource(spec: { processNames: readonly string[]; lines: readonly string[]; messages?: number }): TimelineSource {
  const n = Math.max(1, spec.messages ?? 3);
  const trace = new TraceStore();
  const ms = 1e6;
  trace.append(EventKind.Start, 0, 0, 0);
  trace.append(EventKind.Start, 1, 0, 0.2 * ms);
  trace.append(EventKind.GetWait, 1, 0, 0.3 * ms, 0.9 * ms);
  trace.append(EventKind.Grant, SCHEDULER_PROC, 0, 0.5 * ms, 0, 0);
  for (let i = 1; i <= n; i++) {
    const base = i * 2 * ms;
    trace.append(EventKind.LockWait, 0, i, base - 1.5 * ms, 0.5 * ms);
    trace.append(EventKind.Print, 0, i, base - ms, 0.4 * ms);
    trace.append(EventKind.Put, 0, i, base - 0.5 * ms, 0, 0);
    trace.append(EventKind.Get, 1, i, base - 0.3 * ms, 0, 0);
    trace.append(EventKind.Print, 1, i, base - 0.2 * ms, 0.4 * ms);
  }
  trace.append(EventKind.Put, 0, -1, (n * 2 + 1) * ms, 0, 0);
  trace.append(EventKind.Exit, 0, 0, (n * 2 + 1.2) * ms);
  trace.append(EventKind.Get, 1, -1, (n * 2 + 1.3) * ms, 0, 0);
  trace.append(EventKind.Exit, 1, 0, (n * 2 + 1.5) * ms);
  const names = spec.processNames;
  const processes: ProcessInfo[] = [
    { proc: 0, role: 'shouter', name: names[0] ?? 'shouter', pid: undefined },
    { proc: 1, role: 'hearer', name: names[1] ?? 'hearer', pid: undefined },
  ];
  const verdict: TimelineVerdict = {
    ok: true, stopped: false, timedOut: false, invariant: 'synthetic run (test)', durationMs: n * 2 + 2,
    naps: 0, maxQueueDepth: 1, lockWaits: { count: n, totalMs: n * 0.5 },
  };
  return {
    id: `synthetic-${Date.now().toString(36)}-${++syntheticCounter}`,
    seed: 0,
    // Only the fields the timeline reads; the rest of RunConfig does not apply to a made-up run.
    config: { messageCount: n, napProbability: 0, napMs: 0, seed: 0, useLock: true, runTimeoutSeconds: 10 } as RunConfig,
    startedAt: Date.now(),
    trace,
    transcript: new LinesTranscript(spec.lines),
    processes: () => processes,
    onTrace: () => () => undefined,
    onOutput: () => () => undefined,
    verdict,
    done: Promise.resolve(verdict),
  };
}
