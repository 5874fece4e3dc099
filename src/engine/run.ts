/**
 * The run engine: spawns the processes, wires the queue between them (socketpairs the host is
 * not on), gives them one shared output pipe, arbitrates the print lock, enforces the timeout,
 * collects the trace, and ends every run with no process left.
 * No `vscode` import: the extension, the CLI, the tests and the benchmarks all use it.
 *
 * Engines: "node" spawns one bundled worker per shouter and hearer (plus a queue process when
 * the queue is shared or bounded); "python" spawns the lesson's own multiprocessing program,
 * whose trace arrives in the same frames and event vocabulary.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'child_process';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import {
  EXIT_PEER_GONE, EventKind, LINES_IN_SUMMARY_MAX, TRACE_RECORD_BYTES,
  type ProcessInfo, type RunConfig, type RunSummary, type WorkerConfig, type WorkerToHost,
} from '../protocol';
import { computeMetrics } from '../trace/metrics';
import { HOST_PROC, TraceStore } from '../trace/traceStore';
import { Transcript } from '../trace/transcript';
import { SpawnedChild } from './child';
import { planLanes, usesQueueProcess } from './lanes';
import { LockArbiter, type LockAction } from './lockArbiter';
import { killGroup } from './processGroup';
import { SharedOutput } from './sharedOutput';

const PEER_GRACE_MS = 1000;
/** Stopping a Python run: how long its main gets to end its children (and free its named semaphores) before the group is killed. */
const PYTHON_STOP_GRACE_MS = 1500;
/** How long the Python program may take to send its first frame before the run fails. */
const PYTHON_READY_MS = 30_000;
const YIELD_EVERY_LINES = 64;

/** Every spawned process not yet known to have exited, across runs: killed if the host exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => { for (const child of live) { killGroup(child); } });

/** How many spawned processes are alive right now (all runs). */
export function liveWorkerCount(): number { return live.size; }

export interface ReplayPlan {
  /** The run being replayed. */
  of: string;
  /** The process to grant each successive lock turn to. */
  grants: number[];
  /** For each message got, in order, the hearer index that got it (several hearers). */
  getOrder?: number[];
}

export interface PythonLaunch {
  /** Absolute path of the interpreter. */
  executable: string;
  /** The shipped program (python/shout_hear.py). */
  script: string;
  /** "3.12.1": from 3.11 on the program runs with -P (no working directory on the module path). */
  version?: string;
}

export interface RunOptions {
  config: RunConfig;
  /** Folder holding the bundled workers; default: `workers/` beside this bundle. */
  workerDir?: string;
  /** The Node binary for the workers; default: the one running the host. */
  nodePath?: string;
  /** Needed when config.engine is "python". */
  python?: PythonLaunch;
  /** Needed when config.lockPolicy is "replay". */
  replay?: ReplayPlan;
  /** Output as it is written (decoded UTF-8, in arbitrary pieces). */
  onOutput?: (text: string) => void;
  /** false: the workers record no trace (benchmarks measure what tracing costs). Default true. */
  traced?: boolean;
  /** Python engine: how long its program may take to send its first frame (default 30 s). */
  readyTimeoutMs?: number;
}

type Listener<T> = (value: T) => void;

/** Who holds the print lock and who waits for it, by lane name (for "be the scheduler"). */
export interface LockState { holder: string | undefined; waiting: string[] }

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
  /** The lanes of the trace; pids fill in as each process reports its start. */
  readonly processes: ProcessInfo[];
  /** process.hrtime.bigint() at the start: every event's t is in ns since then. */
  readonly t0 = process.hrtime.bigint();
  readonly replayOf: string | undefined;

  private readonly outputListeners = new Set<Listener<string>>();
  private readonly traceListeners = new Set<Listener<number>>();
  private readonly lockListeners = new Set<Listener<LockState>>();
  private readonly children: SpawnedChild[] = [];
  /** Node engine: the child that runs each lane (the lock speaks to lanes). */
  private readonly childOfLane = new Map<number, SpawnedChild>();
  private readonly lock: LockArbiter;
  private readonly output: SharedOutput;
  private outputEnded = false;
  private ending: { stopped: boolean; timedOut: boolean; failure?: string } | undefined;
  private readonly timeout: NodeJS.Timeout;
  private resolveDone!: (summary: RunSummary) => void;
  private finishedOnce = false;
  private readyTimer: NodeJS.Timeout | undefined;
  /** The executable the OS could not start, if one could not be (the caller may drop a cached interpreter). */
  startFailedFor: string | undefined;

  constructor(private readonly options: RunOptions) {
    this.config = { ...options.config };
    this.seed = this.config.seed ?? randomInt(0, 2 ** 31 - 1);
    this.processes = planLanes(this.config);
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    if (this.config.lockPolicy === 'replay' && !options.replay) {
      throw new Error('Lock policy "replay" needs a run to replay: use "Shout/Hear: Replay Run".');
    }
    this.replayOf = options.replay?.of;
    this.lock = new LockArbiter({ policy: this.config.lockPolicy, seed: this.seed, plan: options.replay?.grants });
    this.checkLaunchable();

    this.output = new SharedOutput();
    const decoder = new StringDecoder('utf8');
    this.output.reader.on('data', (chunk: Buffer) => {
      this.transcript.append(chunk);
      this.emitOutput(decoder.write(chunk));
    });
    this.output.reader.on('close', () => {
      this.emitOutput(decoder.end());
      this.outputEnded = true;
      this.maybeFinish();
    });

    try {
      if (this.config.engine === 'python') { this.spawnPython(); } else { this.spawnNodeWorkers(); }
    } catch (err) {
      for (const c of this.children) { killGroup(c.process); }
      this.output.destroy();
      throw err;
    }
    this.output.closeWriteEnd();
    this.timeout = setTimeout(() => this.end({
      stopped: false, timedOut: true,
      failure: `timed out after ${this.config.runTimeoutSeconds} s (shoutHear.runTimeoutSeconds); all processes were killed`,
    }), this.config.runTimeoutSeconds * 1000);
  }

  // ------------------------------------------------------------ public API

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

  /** Calls fn whenever the lock's holder or waiters change. */
  onLockState(fn: Listener<LockState>): () => void {
    this.lockListeners.add(fn);
    return () => this.lockListeners.delete(fn);
  }

  get lockState(): LockState {
    const name = (proc: number) => this.processes[proc]?.name ?? `process ${proc}`;
    const holder = this.lock.currentHolder;
    return { holder: holder === undefined ? undefined : name(holder), waiting: this.lock.waiting.map(name) };
  }

  /** Lock policy "manual": give the free lock to the waiting process with this lane name. */
  grantLock(name: string): void {
    const lane = this.processes.find((p) => p.name === name);
    if (!lane) { throw new Error(`No process "${name}" in this run: it has ${this.processes.map((p) => `"${p.name}"`).join(', ')}.`); }
    this.applyLock(this.lock.grantTo(lane.proc));
  }

  /** True once every process has exited and all its output and trace are in. */
  get ended(): boolean { return this.finishedOnce; }

  /** Stops the run (kills every process); `done` then resolves with `stopped: true`. */
  stop(): Promise<RunSummary> {
    this.end({ stopped: true, timedOut: false });
    return this.done;
  }

  // ------------------------------------------------------------ spawning

  private get workerDir(): string { return this.options.workerDir ?? path.join(__dirname, 'workers'); }

  private checkLaunchable(): void {
    if (this.config.engine === 'python') {
      if (!this.options.python) { throw new Error('The Python engine needs an interpreter; none was given.'); }
      if (!fs.existsSync(this.options.python.script)) { throw new Error(`The Python program is missing: ${this.options.python.script}`); }
      this.checkExecutable('Python interpreter', this.options.python.executable);
      return;
    }
    if (this.options.nodePath) { this.checkExecutable('Node binary', this.options.nodePath); }
    for (const role of ['shouter', 'hearer', 'queue']) {
      const file = path.join(this.workerDir, `${role}.js`);
      if (!fs.existsSync(file)) { throw new Error(`The ${role} worker is missing: ${file} (run the build first).`); }
    }
  }

  /** Before spawning: a missing or non-executable file gets a message naming it (spawn would only say "exited 127"). */
  private checkExecutable(what: string, file: string): void {
    if (!path.isAbsolute(file)) { return; } // a bare name: looked up on PATH by spawn itself
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isDirectory()) { throw Object.assign(new Error('is a directory'), { code: 'EISDIR' }); }
    } catch (err) {
      this.startFailedFor = file;
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'it is not executable' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      throw new Error(`The ${what} ${file} cannot be started: ${why} (${code ?? 'error'}).`, { cause: err });
    }
  }

  private spawnNodeWorkers(): void {
    const lanes = this.processes;
    if (!usesQueueProcess(this.config)) {
      const shouter = this.spawnNode(lanes[0], 'pipe');
      // The hearer gets the other end of the shouter's socketpair as its fd 3; the host then
      // drops its copy, so the queue runs child to child and a dead peer gives EPIPE/EOF.
      const queueEnd = shouter.process.stdio[3] as unknown as { destroy(): void };
      this.spawnNode(lanes[1], queueEnd as never);
      queueEnd.destroy();
      return;
    }
    // The queue process gets one socketpair per shouter and hearer (its fds 5...); each
    // client gets the other end as its fd 3.
    const clients = lanes.filter((l) => l.role !== 'queue');
    const queue = this.spawnNode(lanes[lanes.length - 1], 'ignore', clients.map(() => 'pipe' as const));
    clients.forEach((lane, i) => {
      const end = queue.process.stdio[5 + i] as unknown as { destroy(): void };
      this.spawnNode(lane, end as never);
      end.destroy();
    });
  }

  private spawnNode(lane: ProcessInfo, queue: 'pipe' | 'ignore', extra: 'pipe'[] = []): SpawnedChild {
    const c = this.config;
    const index = lane.role === 'hearer' ? lane.proc - c.shouters : lane.role === 'shouter' ? lane.proc : 0;
    const config: WorkerConfig = {
      role: lane.role, proc: lane.proc, index,
      messageCount: c.messageCount, napProbability: c.napProbability, napMs: c.napMs, seed: this.seed,
      useLock: c.useLock,
      keepLock: this.lock.holderKeepsLock,
      arbitrateWrites: !c.useLock && c.lockPolicy !== 'os',
      shouters: c.shouters, hearers: c.hearers,
      queue: usesQueueProcess(c) ? 'broker' : 'direct',
      queueCapacity: c.queueCapacity,
      ...(lane.role === 'queue' && this.options.replay?.getOrder ? { getOrder: this.options.replay.getOrder } : {}),
      t0: this.t0.toString(),
      yieldEveryLines: YIELD_EVERY_LINES,
      traced: this.options.traced ?? true,
    };
    const stdio: StdioOptions = [
      'ignore', lane.role === 'queue' ? 'ignore' : this.output.writeFd!, 'pipe', queue, 'pipe', ...extra,
    ];
    const child = this.spawnChild(lane.name, this.options.nodePath ?? process.execPath,
      [path.join(this.workerDir, `${lane.role}.js`), JSON.stringify(config)], stdio,
      // In VS Code's Electron host this makes the binary behave as plain Node.
      { ELECTRON_RUN_AS_NODE: '1' });
    lane.pid = child.pid;
    this.childOfLane.set(lane.proc, child);
    return child;
  }

  private spawnPython(): void {
    const c = this.config;
    const config = {
      messageCount: c.messageCount, napProbability: c.napProbability, napMs: c.napMs, seed: this.seed,
      useLock: c.useLock, queueCapacity: c.queueCapacity, shouters: c.shouters, hearers: c.hearers,
      startMethod: c.pythonStartMethod, t0: this.t0.toString(), traced: this.options.traced ?? true,
    };
    const { executable, script, version } = this.options.python!;
    const [major, minor] = (version ?? '').split('.').map(Number);
    const safePath = major > 3 || (major === 3 && minor >= 11) ? ['-P'] : [];
    // Its own folder as cwd (and -P / PYTHONSAFEPATH from 3.11): children started as `python -c`
    // (spawn, forkserver) put the working directory first on the module path, and the host's
    // working directory is nobody's choice.
    const child = this.spawnChild('python program', executable, [...safePath, script, JSON.stringify(config)],
      ['ignore', this.output.writeFd!, 'pipe', 'ignore', 'pipe'],
      { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONSAFEPATH: '1' }, path.dirname(script));
    const readyMs = this.options.readyTimeoutMs ?? PYTHON_READY_MS;
    if (this.options.traced ?? true) {
      this.readyTimer = setTimeout(() => {
        if (child.ready || child.exit) { return; }
        const said = child.stderrTail.trim().split('\n').slice(-3).join(' | ');
        this.end({ stopped: false, timedOut: false, failure: `the python program (${executable}, pid ${child.pid}) started but did not become ready within ${readyMs / 1000} s${said ? `: ${said}` : ''}` });
      }, readyMs);
    }
  }

  private spawnChild(name: string, command: string, args: string[], stdio: StdioOptions, env: Record<string, string>, cwd?: string): SpawnedChild {
    const proc = spawn(command, args, {
      stdio,
      ...(cwd ? { cwd } : {}),
      // Its own process group: the extension host shares its group with VS Code's processes.
      detached: true,
      env: { ...process.env, ...env },
      windowsHide: true,
    });
    const child = new SpawnedChild(name, proc, {
      message: (ch, m) => this.onMessage(ch, m),
      protocolError: (ch, err) => this.end({ stopped: false, timedOut: false, failure: `the ${ch.name} broke the protocol: ${err.message}` }),
      controlClosed: (ch) => {
        for (const [lane, owner] of this.childOfLane) { if (owner === ch) { this.applyLock(this.lock.gone(lane)); } }
        this.maybeFinish();
      },
      exit: (ch) => this.onExit(ch),
      spawnError: (ch, err) => {
        if (!ch.spawnFailure) { return; } // a failed kill or send: the process itself is fine
        live.delete(ch.process);
        this.startFailedFor = command;
        this.end({ stopped: false, timedOut: false, failure: `the ${ch.name} could not be started (${command}): ${err.message}` });
        this.maybeFinish();
      },
    });
    this.children.push(child);
    live.add(proc);
    return child;
  }

  // ------------------------------------------------------------ running

  private onMessage(child: SpawnedChild, message: WorkerToHost): void {
    const lane = [...this.childOfLane].find(([, c]) => c === child)?.[0];
    switch (message.type) {
      case 'trace': {
        this.trace.appendRecords(message.records);
        this.notePids(message.records);
        for (const fn of this.traceListeners) { fn(this.trace.length); }
        break;
      }
      case 'lockRequest':
        if (lane !== undefined) { this.applyLock(this.lock.request(lane)); }
        break;
      case 'lockRelease':
        if (lane !== undefined) { this.applyLock(this.lock.release(lane)); }
        break;
      case 'finished':
      case 'fault':
        break;
    }
  }

  /** Start events carry each process's OS pid: the only way to learn the Python engine's. */
  private notePids(records: Uint8Array): void {
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    for (let at = 0; at < records.byteLength; at += TRACE_RECORD_BYTES) {
      if (view.getUint8(at) !== EventKind.Start) { continue; }
      const lane = this.processes[view.getUint8(at + 1)];
      if (lane) { lane.pid = view.getInt32(at + 4, true); }
    }
  }

  private applyLock(actions: LockAction[]): void {
    for (const action of actions) {
      const child = this.childOfLane.get(action.proc);
      // Stamped before sending: the worker may act on it before this line runs again.
      const t = this.now();
      if (!child?.send(action.type === 'grant' ? { type: 'lockGrant' } : { type: 'lockRevoke' })) { continue; }
      this.trace.append(action.type === 'grant' ? EventKind.Grant : EventKind.Revoke, HOST_PROC, 0, t, 0, action.proc);
    }
    if (this.lockListeners.size > 0) {
      const state = this.lockState;
      for (const fn of this.lockListeners) { fn(state); }
    }
  }

  private onExit(child: SpawnedChild): void {
    live.delete(child.process);
    // Sweep the group: anything the process left behind (a forkserver, say) goes with it.
    killGroup(child.process);
    const code = child.exit?.code;
    if (code !== 0 && this.ending === undefined) {
      if (code === EXIT_PEER_GONE) {
        // It only saw its sibling vanish: give the sibling's own exit a moment to be named instead.
        setTimeout(() => this.end({ stopped: false, timedOut: false, failure: child.describeExit() }), PEER_GRACE_MS).unref();
      } else {
        this.end({ stopped: false, timedOut: false, failure: child.describeExit() });
      }
    }
    this.maybeFinish();
  }

  private emitOutput(text: string): void {
    if (text.length === 0) { return; }
    this.options.onOutput?.(text);
    for (const fn of this.outputListeners) { fn(text); }
  }

  private now(): number { return Number(process.hrtime.bigint() - this.t0); }

  private end(how: { stopped: boolean; timedOut: boolean; failure?: string }): void {
    if (this.ending !== undefined) { return; }
    this.ending = how;
    if (this.config.engine === 'python') {
      // Closing its channel tells the Python main the host is done: it ends its children and
      // unlinks its named semaphores (spawn, forkserver), which a group kill would leave in
      // /dev/shm. Whatever is still alive after a short grace is killed.
      for (const c of this.children) { if (!c.exit) { c.control.destroy(); } }
      setTimeout(() => { for (const c of this.children) { if (!c.exit) { killGroup(c.process); } } }, PYTHON_STOP_GRACE_MS).unref();
    } else {
      for (const c of this.children) {
        if (!c.exit) { killGroup(c.process); }
      }
    }
    this.maybeFinish();
  }

  // ------------------------------------------------------------ the end

  private maybeFinish(): void {
    if (this.finishedOnce || !this.outputEnded || !this.children.every((c) => c.closed)) { return; }
    this.finishedOnce = true;
    clearTimeout(this.timeout);
    clearTimeout(this.readyTimer);
    this.output.destroy();
    // A run that ended by itself ended well only if every process finished and exited 0.
    const how = this.ending ?? { stopped: false, timedOut: false };
    let failure = how.failure;
    if (!failure && !how.stopped) {
      const failed = (c: SpawnedChild) => !c.finished || c.exit?.code !== 0;
      const bad = this.children.find((c) => failed(c) && c.exit?.code !== EXIT_PEER_GONE) ?? this.children.find(failed);
      if (bad) { failure = bad.describeExit(); }
    }
    this.resolveDone(this.summarize(how.stopped, how.timedOut, failure));
  }

  private summarize(stopped: boolean, timedOut: boolean, failure: string | undefined): RunSummary {
    const c = this.config;
    const metrics = computeMetrics(this.trace, { shouters: c.shouters, hearers: c.hearers, messageCount: c.messageCount });
    const capacityRespected = c.queueCapacity === 0 || metrics.maxQueueDepth <= c.queueCapacity;
    const lines = c.messageCount * c.shouters <= LINES_IN_SUMMARY_MAX ? this.transcript.allLines() : undefined;
    const pidOf = (role: string) => this.processes.find((p) => p.role === role)?.pid;
    const allPids = new Set<number>();
    for (const ch of this.children) { if (ch.pid !== undefined) { allPids.add(ch.pid); } }
    for (const p of this.processes) { if (p.pid !== undefined) { allPids.add(p.pid); } }
    const notes: string[] = [];
    if (this.transcript.droppedBytes > 0) {
      notes.push(`output past ${(this.transcript.byteLength / 1048576).toFixed(0)} MiB was not kept: ${this.transcript.droppedBytes.toLocaleString('en-US')} bytes were dropped (the trace is complete)`);
    }
    if (c.engine === 'python' && c.lockPolicy !== 'os') {
      notes.push(`lock policy "${c.lockPolicy}" does not apply to the Python engine: its real multiprocessing.Lock decides`);
    }
    return {
      runId: this.id,
      engine: c.engine,
      ok: !stopped && !failure && metrics.exactlyOnceInOrder && capacityRespected,
      stopped,
      timedOut,
      ...(failure ? { failure } : {}),
      seed: this.seed,
      config: { ...c },
      durationMs: Number(process.hrtime.bigint() - this.t0) / 1e6,
      naps: metrics.naps,
      ...(lines ? { lines } : {}),
      lineCount: this.transcript.totalLines,
      ...(this.transcript.droppedBytes > 0 ? { outputBytesNotKept: this.transcript.droppedBytes } : {}),
      pids: { shouter: pidOf('shouter'), hearer: pidOf('hearer') },
      allPids: [...allPids],
      processes: this.processes.map((p) => ({ ...p })),
      exactlyOnceInOrder: metrics.exactlyOnceInOrder,
      invariant: metrics.invariant,
      puts: metrics.puts,
      gets: metrics.gets,
      maxQueueDepth: metrics.maxQueueDepth,
      ...(c.queueCapacity > 0 ? { capacityRespected } : {}),
      putBlocks: metrics.putBlocks,
      lockWaits: metrics.lockWaits,
      events: this.trace.length,
      ...(this.replayOf ? { replayOf: this.replayOf } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    };
  }
}

/** Starts a run; see `Run`. Throws (spawning nothing) if it cannot start. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}
