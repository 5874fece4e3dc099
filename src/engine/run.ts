/**
 * The run engine: spawns the processes, wires the queue and the print lock between them (the
 * host is on neither: socketpairs, a kernel token pipe or the run's scheduler process), gives
 * them one shared output pipe, releases them together through the start gate, enforces the
 * timeout, collects the trace, and ends every run with no process left. The host observes: no
 * decision of the program waits on its event loop (except the user's own grants, "manual").
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
  EXIT_PEER_GONE, EventKind, LINES_IN_SUMMARY_MAX, readTraceRecords,
  type ProcessInfo, type RunConfig, type RunSummary, type SchedulerLockState, type WorkerConfig, type WorkerToHost,
} from '../protocol';
import { twoHoldersAtOnce } from '../trace/lockCheck';
import { computeMetrics } from '../trace/metrics';
import { TraceStore } from '../trace/traceStore';
import { Transcript } from '../trace/transcript';
import { SpawnedChild } from './child';
import { planLanes, usesQueueProcess } from './lanes';
import { killGroup } from './processGroup';
import { SharedOutput } from './sharedOutput';
import { SchedulerPipes } from './schedulerPipes';
import { START_GATE_MS, StartGate } from './startGate';
import { SchedOp } from '../workers/schedulerWire';

const PEER_GRACE_MS = 1000;
/** Stopping a Python run: how long its main gets to end its children (and free its named semaphores) before the group is killed. */
const PYTHON_STOP_GRACE_MS = 1500;
/** How long the Python program may take to send its first frame before the run fails. */
const PYTHON_READY_MS = 30_000;
/** The fds every Node process of a run has (see workers/runtime.ts); clients of the queue and scheduler processes follow. */
const FIRST_CLIENT_FD = 7;

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
  /** Node engine: the child that runs each lane. */
  private readonly childOfLane = new Map<number, SpawnedChild>();
  /** Node engine, policies other than os: the process that decides the lock. */
  private scheduler: SpawnedChild | undefined;
  /** What the scheduler last said (manual): who holds the lock, who waits. */
  private schedulerState: SchedulerLockState = { holder: null, waiting: [] };
  private gate: StartGate | undefined;
  /** Lock policies other than os: the FIFOs between the scheduler and the workers. */
  private pipes: SchedulerPipes | undefined;
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
      this.gate?.close();
      this.pipes?.close();
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

  /**
   * Who holds the lock and who waits, as the scheduler process last said (policy "manual"). With
   * the other policies nobody reports it (the kernel or the scheduler decides unobserved): the
   * trace says who printed.
   */
  get lockState(): LockState {
    const name = (proc: number) => this.processes[proc]?.name ?? `process ${proc}`;
    const { holder, waiting } = this.schedulerState;
    return { holder: holder === null ? undefined : name(holder), waiting: waiting.map(name) };
  }

  /** Lock policy "manual": give the free lock to the waiting process with this lane name (relayed to the scheduler). */
  grantLock(name: string): void {
    if (this.config.lockPolicy !== 'manual' || this.config.engine !== 'node') { throw new Error(`the lock is granted by the "${this.config.lockPolicy}" policy, not by hand`); }
    const lane = this.processes.find((p) => p.name === name);
    if (!lane) { throw new Error(`No process "${name}" in this run: it has ${this.processes.map((p) => `"${p.name}"`).join(', ')}.`); }
    const state = this.lockState;
    if (state.holder !== undefined) { throw new Error(`the lock is held by the ${state.holder}; grant when it is free`); }
    if (!state.waiting.includes(name)) { throw new Error(`the ${name} is not waiting for the lock`); }
    if (!this.scheduler || this.scheduler.exit || !this.pipes?.tell(SchedOp.GrantTo, lane.proc)) { throw new Error('the run has ended: there is no lock to grant'); }
    // What the scheduler will say once it has granted (it confirms, or says why not).
    this.setSchedulerState({ holder: lane.proc, waiting: this.schedulerState.waiting.filter((p) => p !== lane.proc) });
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
    const c = this.config;
    const lanes = this.processes;
    const kernelLock = c.lockPolicy === 'os';
    this.gate = new StartGate(kernelLock, (late) => this.end({
      stopped: false, timedOut: false,
      failure: `the ${late.join(', the ')} did not become ready at the start gate within ${START_GATE_MS / 1000} s; all processes were killed`,
    }));
    const lockFd: number | 'ignore' = kernelLock && c.useLock ? this.gate.tokenFd! : 'ignore';
    const clients = lanes.filter((l) => l.role !== 'queue');
    const spawned: SpawnedChild[] = [];
    if (!kernelLock) { this.pipes = new SchedulerPipes(clients.length); }
    if (!usesQueueProcess(c)) {
      const shouter = this.spawnNode(lanes[0], 'pipe', lockFd);
      // The hearer gets the other end of the shouter's socketpair as its fd 3; the host then
      // drops its copy, so the queue runs child to child and a dead peer gives EPIPE/EOF.
      const queueEnd = shouter.process.stdio[3] as unknown as { destroy(): void };
      spawned.push(shouter, this.spawnNode(lanes[1], queueEnd as never, lockFd));
      queueEnd.destroy();
    } else {
      // The queue process gets one socketpair per shouter and hearer (its fds 7...); each
      // client gets the other end as its fd 3.
      const queue = this.spawnNode(lanes[lanes.length - 1], 'ignore', 'ignore', clients.map(() => 'pipe' as const));
      clients.forEach((lane, i) => {
        const end = queue.process.stdio[FIRST_CLIENT_FD + i] as unknown as { destroy(): void };
        spawned.push(this.spawnNode(lane, end as never, lockFd));
        end.destroy();
      });
    }
    if (this.pipes) {
      this.scheduler = this.spawnScheduler(this.pipes);
      this.pipes.spawned();
    }
    this.gate.spawned();
  }

  private workerConfig(role: WorkerConfig['role'], proc: number, index: number): WorkerConfig {
    const c = this.config;
    return {
      role, proc, index,
      messageCount: c.messageCount, napProbability: c.napProbability, napMs: c.napMs, seed: this.seed,
      useLock: c.useLock,
      lock: c.lockPolicy === 'os' ? 'kernel' : 'scheduler',
      shouters: c.shouters, hearers: c.hearers,
      queue: usesQueueProcess(c) ? 'broker' : 'direct',
      queueCapacity: c.queueCapacity,
      t0: this.t0.toString(),
      traced: this.options.traced ?? true,
    };
  }

  private spawnNode(lane: ProcessInfo, queue: 'pipe' | 'ignore', lock: 'ignore' | number, extra: ('pipe' | number)[] = []): SpawnedChild {
    const index = lane.role === 'hearer' ? lane.proc - this.config.shouters : lane.role === 'shouter' ? lane.proc : 0;
    const getOrder = lane.role === 'queue' ? this.options.replay?.getOrder : undefined;
    const config: WorkerConfig = {
      ...this.workerConfig(lane.role, lane.proc, index),
      ...(getOrder ? { getOrderLength: getOrder.length } : {}),
    };
    const client = lane.role !== 'queue';
    // A client of the scheduler: its grant FIFO (fd 6), the request FIFO (7), its grant FIFO non-blocking (8).
    const grant = client ? this.pipes?.grants[lane.proc] : undefined;
    const stdio: StdioOptions = [
      'ignore', client ? this.output.writeFd! : 'ignore', 'pipe', queue, 'pipe', this.gate!.gateFd,
      grant ? grant.read : client ? lock : 'ignore', ...(grant ? [this.pipes!.requestsWrite, grant.poll] : extra),
    ];
    const child = this.spawnWorker(lane.name, lane.role, config, stdio);
    if (getOrder) { this.sendPlan(child, getOrder); }
    lane.pid = child.pid;
    this.childOfLane.set(lane.proc, child);
    return child;
  }

  private spawnScheduler(pipes: SchedulerPipes): SpawnedChild {
    const c = this.config;
    const config = {
      ...this.workerConfig('scheduler', 0, 0),
      policy: c.lockPolicy,
      ...(this.options.replay ? { grantsLength: this.options.replay.grants.length } : {}),
      names: this.processes.map((p) => p.name),
    };
    const child = this.spawnWorker('scheduler', 'scheduler', config, [
      'ignore', 'ignore', 'pipe', 'ignore', 'pipe', this.gate!.gateFd, pipes.requestsRead, ...pipes.grants.map((g) => g.write),
    ]);
    if (this.options.replay) { this.sendPlan(child, this.options.replay.grants); }
    return child;
  }

  /** A replay's plan, in frames of at most 64 K values (argv could not hold it). */
  private sendPlan(child: SpawnedChild, values: readonly number[]): void {
    for (let at = 0; at < values.length; at += 65_536) {
      child.send({ type: 'plan', values: Int32Array.from(values.slice(at, at + 65_536)) });
    }
  }

  private spawnWorker(name: string, script: string, config: object, stdio: StdioOptions): SpawnedChild {
    this.gate!.expect(name);
    return this.spawnChild(name, this.options.nodePath ?? process.execPath,
      [path.join(this.workerDir, `${script}.js`), JSON.stringify(config)], stdio,
      // In VS Code's Electron host this makes the binary behave as plain Node.
      { ELECTRON_RUN_AS_NODE: '1' });
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
      controlClosed: () => this.maybeFinish(),
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
    switch (message.type) {
      case 'trace': {
        this.trace.appendRecords(message.records);
        this.notePids(message.records);
        for (const fn of this.traceListeners) { fn(this.trace.length); }
        break;
      }
      case 'ready':
        if (!this.gate || this.gate.isOpen) { return this.violation(child, 'said it was ready twice, or when no start gate waits'); }
        this.gate.ready(child.name);
        break;
      case 'lockState':
        if (child !== this.scheduler) { return this.violation(child, 'reported a lock state, which only the scheduler does'); }
        this.setSchedulerState(message.state);
        break;
      case 'lockRequest':
      case 'lockRelease':
        // The host decided the lock in version 1; now the kernel or the scheduler does.
        return this.violation(child, `sent a lock ${message.type === 'lockRequest' ? 'request' : 'release'} to the host, which does not decide the lock`);
      case 'meta':
      case 'finished':
      case 'fault':
        break;
    }
  }

  /** A process broke the protocol: the run fails, naming it and what it did (never a throw here). */
  private violation(child: SpawnedChild, what: string): void {
    this.end({ stopped: false, timedOut: false, failure: `the ${child.name} (pid ${child.pid}) broke the protocol: it ${what}` });
  }

  private setSchedulerState(state: SchedulerLockState): void {
    this.schedulerState = state;
    if (this.lockListeners.size > 0) {
      const named = this.lockState;
      for (const fn of this.lockListeners) { fn(named); }
    }
  }

  /** Start events carry each process's OS pid: the only way to learn the Python engine's. */
  private notePids(records: Uint8Array): void {
    readTraceRecords(records, (kind, proc, value) => {
      if (kind !== EventKind.Start) { return; }
      const lane = this.processes[proc];
      if (lane) { lane.pid = value; }
    });
  }

  private onExit(child: SpawnedChild): void {
    live.delete(child.process);
    // The scheduler cannot see a process die (a crash mid-print included): the host tells it.
    for (const [proc, ch] of this.childOfLane) { if (ch === child && this.processes[proc]?.role !== 'queue') { this.pipes?.tell(SchedOp.Gone, proc); } }
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

  private end(how: { stopped: boolean; timedOut: boolean; failure?: string }): void {
    if (this.ending !== undefined) { return; }
    this.ending = how;
    this.gate?.close();
    this.pipes?.close();
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
    this.gate?.close();
    this.pipes?.close();
    this.output.destroy();
    // A run that ended by itself ended well only if every process finished and exited 0.
    const how = this.ending ?? { stopped: false, timedOut: false };
    let failure = how.failure;
    if (!failure && !how.stopped) {
      const failed = (c: SpawnedChild) => !c.finished || c.exit?.code !== 0;
      const bad = this.children.find((c) => failed(c) && c.exit?.code !== EXIT_PEER_GONE) ?? this.children.find(failed);
      if (bad) { failure = bad.describeExit(); }
    }
    // A kernel token written back twice is two tokens: the kernel cannot refuse it, the trace shows it.
    if (!failure && !how.stopped && this.config.useLock) { failure = twoHoldersAtOnce(this.trace, this.processes); }
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
