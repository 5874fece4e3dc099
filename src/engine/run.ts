/**
 * The run engine: spawns the shouter and the hearer, wires the queue between them (a
 * socketpair the host is not on), gives them one shared output pipe, arbitrates the print
 * lock, enforces the timeout, collects the trace, and ends every run with no process left.
 * No `vscode` import: the extension, the CLI, the tests and the benchmarks all use it.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import type { Socket } from 'net';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import {
  EXIT_PEER_GONE, EventKind, FrameDecoder, LINES_IN_SUMMARY_MAX, encodeFrame,
  type HostToWorker, type ProcessInfo, type ProcessRole, type RunConfig, type RunSummary, type WorkerConfig, type WorkerToHost,
} from '../protocol';
import { computeMetrics } from '../trace/metrics';
import { HOST_PROC, TraceStore } from '../trace/traceStore';
import { Transcript } from '../trace/transcript';
import { LockArbiter, type LockAction } from './lockArbiter';
import { killGroup } from './processGroup';
import { SharedOutput } from './sharedOutput';

const STDERR_TAIL_BYTES = 2048;
const PEER_GRACE_MS = 1000;

/** Every worker process not yet known to have exited, across runs: killed if the host exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => { for (const child of live) { killGroup(child); } });

/** How many worker processes are alive right now (all runs). */
export function liveWorkerCount(): number { return live.size; }
const YIELD_EVERY_LINES = 64;

export interface RunOptions {
  config: RunConfig;
  /** Folder holding the bundled shouter.js and hearer.js; default: `workers/` beside this bundle. */
  workerDir?: string;
  /** The Node binary for the workers; default: the one running the host. */
  nodePath?: string;
  /** Output as it is written (decoded UTF-8, in arbitrary pieces). */
  onOutput?: (text: string) => void;
  /** false: the workers record no trace (benchmarks measure what tracing costs). Default true. */
  traced?: boolean;
}

type Listener<T> = (value: T) => void;

interface Worker {
  info: ProcessInfo;
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  controlClosed: boolean;
  finished: boolean;
  fault?: string;
  stderrTail: string;
}

let runCounter = 0;

export function newRunId(): string {
  runCounter++;
  return `run-${Date.now().toString(36)}-${runCounter}`;
}

export class Run {
  readonly id = newRunId();
  readonly config: RunConfig;
  readonly seed: number;
  readonly trace = new TraceStore();
  readonly transcript = new Transcript();
  readonly done: Promise<RunSummary>;
  /** process.hrtime.bigint() at the start: every event's t is in ns since then. */
  readonly t0: bigint;

  private readonly outputListeners = new Set<Listener<string>>();
  private readonly traceListeners = new Set<Listener<number>>();
  private readonly workers: Worker[] = [];
  private readonly lock = new LockArbiter();
  private readonly output: SharedOutput;
  private outputEnded = false;
  private ending: { stopped: boolean; timedOut: boolean; failure?: string } | undefined;
  private readonly timeout: NodeJS.Timeout;
  private resolveDone!: (summary: RunSummary) => void;
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly options: RunOptions) {
    this.config = { ...options.config };
    this.seed = this.config.seed ?? randomInt(0, 2 ** 31 - 1);
    this.t0 = this.startedAt;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });

    const workerDir = options.workerDir ?? path.join(__dirname, 'workers');
    for (const role of ['shouter', 'hearer'] as const) {
      const file = path.join(workerDir, `${role}.js`);
      if (!fs.existsSync(file)) { throw new Error(`The ${role} worker is missing: ${file} (run the build first).`); }
    }

    this.output = new SharedOutput();
    const decoder = new StringDecoder('utf8');
    this.output.reader.on('data', (chunk: Buffer) => {
      this.transcript.append(chunk);
      this.emitOutput(decoder.write(chunk));
    });
    this.output.reader.on('close', () => {
      const rest = decoder.end();
      if (rest) { this.emitOutput(rest); }
      this.outputEnded = true;
      this.maybeFinish();
    });

    try {
      const shouter = this.spawnWorker('shouter', 0, 0, 'pipe');
      // The hearer gets the other end of the shouter's socketpair as its fd 3; the host then
      // drops its copy, so the queue runs child to child and a dead peer gives EPIPE/EOF.
      const queueEnd = shouter.child.stdio[3] as unknown as NodeJS.ReadWriteStream & { destroy(): void };
      this.spawnWorker('hearer', 1, 0, queueEnd as never);
      queueEnd.destroy();
    } catch (err) {
      for (const w of this.workers) { killGroup(w.child); }
      this.output.destroy();
      throw err;
    }
    this.output.closeWriteEnd();
    this.timeout = setTimeout(() => this.end({
      stopped: false, timedOut: true,
      failure: `timed out after ${this.config.runTimeoutSeconds} s (shoutHear.runTimeoutSeconds); all processes were killed`,
    }), this.config.runTimeoutSeconds * 1000);
  }

  /** Calls fn with each piece of output as it is written; returns an unsubscribe function. */
  onOutput(fn: Listener<string>): () => void {
    this.outputListeners.add(fn);
    return () => this.outputListeners.delete(fn);
  }

  /** Calls fn with the new trace length whenever events are appended to `trace`. */
  onTrace(fn: Listener<number>): () => void {
    this.traceListeners.add(fn);
    return () => this.traceListeners.delete(fn);
  }

  private emitOutput(text: string): void {
    if (text.length === 0) { return; }
    this.options.onOutput?.(text);
    for (const fn of this.outputListeners) { fn(text); }
  }

  private emitTrace(): void {
    for (const fn of this.traceListeners) { fn(this.trace.length); }
  }

  get processes(): ProcessInfo[] { return this.workers.map((w) => w.info); }

  /** True once every process has exited and all its output and trace are in. */
  get ended(): boolean { return this.finishedOnce; }

  /** Stops the run (kills every process); `done` then resolves with `stopped: true`. */
  stop(): Promise<RunSummary> {
    this.end({ stopped: true, timedOut: false });
    return this.done;
  }

  private spawnWorker(role: ProcessRole, proc: number, index: number, queue: 'pipe' | never): Worker {
    const config: WorkerConfig = {
      role, proc, index,
      messageCount: this.config.messageCount,
      napProbability: this.config.napProbability,
      napMs: this.config.napMs,
      seed: this.seed,
      useLock: this.config.useLock,
      t0: this.t0.toString(),
      yieldEveryLines: YIELD_EVERY_LINES,
      traced: this.options.traced ?? true,
    };
    const workerDir = this.options.workerDir ?? path.join(__dirname, 'workers');
    const child = spawn(this.options.nodePath ?? process.execPath, [path.join(workerDir, `${role}.js`), JSON.stringify(config)], {
      stdio: ['ignore', this.output.writeFd!, 'pipe', queue, 'pipe'],
      detached: true,
      // In VS Code's Electron host this makes the binary behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    const worker: Worker = {
      info: { proc, role, name: role, pid: child.pid },
      child, controlClosed: false, finished: false, stderrTail: '',
    };
    this.workers.push(worker);
    live.add(child);

    child.on('error', (err) => this.end({ stopped: false, timedOut: false, failure: `the ${role} could not start: ${err.message}` }));
    child.stderr!.on('data', (chunk: Buffer) => {
      worker.stderrTail = (worker.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    const control = this.controlOf(worker);
    const frames = new FrameDecoder();
    control.on('data', (chunk: Buffer) => {
      let messages: WorkerToHost[];
      try {
        messages = frames.push(chunk) as WorkerToHost[];
      } catch (err) {
        this.end({ stopped: false, timedOut: false, failure: `the ${role} broke the protocol: ${(err as Error).message}` });
        return;
      }
      for (const m of messages) { this.onWorkerMessage(worker, m); }
    });
    control.on('error', () => { /* 'close' follows and is handled there */ });
    control.on('close', () => {
      worker.controlClosed = true;
      this.applyLock(this.lock.gone(proc));
      this.maybeFinish();
    });
    child.on('exit', (code, signal) => {
      worker.exit = { code, signal };
      live.delete(child);
      if (code !== 0 && this.ending === undefined) {
        if (code === EXIT_PEER_GONE) {
          // It only saw its sibling vanish: give the sibling's own exit a moment to be named instead.
          setTimeout(() => this.end({ stopped: false, timedOut: false, failure: this.describeCrash(worker) }), PEER_GRACE_MS).unref();
        } else {
          this.end({ stopped: false, timedOut: false, failure: this.describeCrash(worker) });
        }
      }
      this.maybeFinish();
    });
    return worker;
  }

  /** The worker's control channel (its fd 4). */
  private controlOf(w: Worker): Socket {
    return w.child.stdio[4] as unknown as Socket;
  }

  private describeCrash(w: Worker): string {
    const how = w.exit?.signal ? `was killed by signal ${w.exit.signal}`
      : w.exit?.code === 0 ? 'exited (code 0) without reporting that it had finished'
      : `exited with code ${w.exit?.code}`;
    const why = w.fault ?? w.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return `the ${w.info.name} (pid ${w.info.pid}) ${how}${why ? `: ${why}` : ''}`;
  }

  private onWorkerMessage(worker: Worker, message: WorkerToHost): void {
    switch (message.type) {
      case 'trace':
        this.trace.appendRecords(message.records);
        this.emitTrace();
        break;
      case 'lockRequest':
        this.applyLock(this.lock.request(worker.info.proc));
        break;
      case 'lockRelease':
        this.applyLock(this.lock.release(worker.info.proc));
        break;
      case 'finished':
        worker.finished = true;
        this.controlOf(worker).end();
        break;
      case 'fault':
        worker.fault = message.message;
        this.controlOf(worker).end();
        break;
    }
  }

  private applyLock(actions: LockAction[]): void {
    for (const action of actions) {
      const w = this.workers.find((x) => x.info.proc === action.proc);
      if (!w || w.controlClosed || this.controlOf(w).writableEnded) { continue; }
      const t = this.now();
      const message: HostToWorker = action.type === 'grant' ? { type: 'lockGrant' } : { type: 'lockRevoke' };
      this.trace.append(action.type === 'grant' ? EventKind.Grant : EventKind.Revoke, HOST_PROC, 0, t, 0, action.proc);
      this.controlOf(w).write(encodeFrame(message));
    }
  }

  private now(): number { return Number(process.hrtime.bigint() - this.t0); }

  private end(how: { stopped: boolean; timedOut: boolean; failure?: string }): void {
    if (this.ending !== undefined) { return; }
    this.ending = how;
    for (const w of this.workers) {
      if (!w.exit) { killGroup(w.child); }
    }
    this.maybeFinish();
  }

  private allClosed(): boolean {
    return this.outputEnded && this.workers.every((w) => w.exit !== undefined && w.controlClosed);
  }

  private finishedOnce = false;

  private maybeFinish(): void {
    if (this.finishedOnce || !this.allClosed()) { return; }
    this.finishedOnce = true;
    clearTimeout(this.timeout);
    this.output.destroy();
    // A run that ended by itself ended well only if every worker finished and exited 0.
    const how = this.ending ?? { stopped: false, timedOut: false };
    let failure = how.failure;
    if (!failure && !how.stopped) {
      const bad = this.workers.find((w) => (!w.finished || w.exit?.code !== 0) && w.exit?.code !== EXIT_PEER_GONE)
        ?? this.workers.find((w) => !w.finished || w.exit?.code !== 0);
      if (bad) { failure = this.describeCrash(bad); }
    }
    this.resolveDone(this.summarize(how.stopped, how.timedOut, failure));
  }

  private summarize(stopped: boolean, timedOut: boolean, failure: string | undefined): RunSummary {
    const metrics = computeMetrics(this.trace, { shouters: 1, hearers: 1, messageCount: this.config.messageCount });
    const lines = this.config.messageCount <= LINES_IN_SUMMARY_MAX ? this.transcript.allLines() : undefined;
    const pid = (role: ProcessRole) => this.workers.find((w) => w.info.role === role)?.info.pid;
    return {
      runId: this.id,
      engine: 'node',
      ok: !stopped && !failure && metrics.exactlyOnceInOrder,
      stopped,
      timedOut,
      ...(failure ? { failure } : {}),
      seed: this.seed,
      config: { ...this.config },
      durationMs: Number(process.hrtime.bigint() - this.startedAt) / 1e6,
      naps: metrics.naps,
      ...(lines ? { lines } : {}),
      lineCount: this.transcript.totalLines,
      pids: { shouter: pid('shouter'), hearer: pid('hearer') },
      processes: this.processes,
      exactlyOnceInOrder: metrics.exactlyOnceInOrder,
      invariant: metrics.invariant,
      puts: metrics.puts,
      gets: metrics.gets,
      maxQueueDepth: metrics.maxQueueDepth,
      lockWaits: metrics.lockWaits,
      events: this.trace.length,
    };
  }
}

/** Starts a run; see `Run`. Throws (spawning nothing) if it cannot start. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}
