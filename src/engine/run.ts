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
import { StringDecoder } from 'string_decoder';
import { EventKind } from '../protocol/events';
import type { ProcessInfo, RunConfig, RunSummary } from '../protocol/run';
import { EXIT_PEER_GONE, readTraceRecords, type SchedulerLockState, type WorkerToHost } from '../protocol/wire';
import { LockedPrints, twoHoldersAtOnce } from '../trace/lockCheck';
import { MetricsTally, computeMetrics, type TraceMetrics } from '../trace/metrics';
import { TraceStore } from '../trace/traceStore';
import { Transcript } from '../trace/transcript';
import { SchedOp } from '../workers/schedulerWire';
import { SpawnedChild } from './child';
import { planLanes } from './lanes';
import { NodeLaunch, launchPython } from './launch';
import { checkLaunchable } from './launchChecks';
import { killGroup } from './processGroup';
import { summarizeRun } from './runSummary';
import { TraceSpool } from './traceSpool';
import { newRunId, type Listener, type LockState, type RunOptions } from './runTypes';
import { SharedOutput } from './sharedOutput';

export type { LockState, PythonLaunch, ReplayPlan, RunOptions } from './runTypes';
export { newRunId } from './runTypes';

const PEER_GRACE_MS = 1000;
/** Stopping a Python run: how long its main gets to end its children (and free its named semaphores) before the group is killed. */
const PYTHON_STOP_GRACE_MS = 1500;

/** Every spawned process not yet known to have exited, across runs: killed if the host exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => { for (const child of live) { killGroup(child); } });

/** How many spawned processes are alive right now (all runs). */
export function liveWorkerCount(): number { return live.size; }

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
  readonly children: SpawnedChild[] = [];
  /** Node engine: the child that runs each lane. */
  private readonly childOfLane = new Map<number, SpawnedChild>();
  /** Node engine: its start gate, the scheduler process and FIFOs (policies other than os). */
  private node: NodeLaunch | undefined;
  /** What the scheduler last said (manual): who holds the lock, who waits. */
  private schedulerState: SchedulerLockState = { holder: null, waiting: [] };
  private readonly output: SharedOutput;
  /** A traced Node run's trace files (engine/traceSpool.ts). */
  private readonly spool: TraceSpool | undefined;
  private outputEnded = false;
  private ending: { stopped: boolean; timedOut: boolean; failure?: string } | undefined;
  private readonly timeout: NodeJS.Timeout;
  private resolveDone!: (summary: RunSummary) => void;
  private finishedOnce = false;
  private readyTimer: NodeJS.Timeout | undefined;
  /** What the end-of-run checks gather as batches arrive; let go once the run has ended (its verdicts stay). */
  private gathered: { metrics: MetricsTally; lockedPrints: LockedPrints } | undefined;
  /** What the trace says, worked out once for a trace of `events` events (see traceVerdicts). */
  private verdicts: { events: number; twoHolders: string | undefined; metrics: TraceMetrics } | undefined;
  /** The executable the OS could not start, if one could not be (the caller may drop a cached interpreter). */
  startFailedFor: string | undefined;

  constructor(private readonly options: RunOptions) {
    this.config = { ...options.config };
    this.seed = this.config.seed ?? randomInt(0, 2 ** 31 - 1);
    this.processes = planLanes(this.config);
    // Room for a usual run's puts at once (no copy as it grows); a huge one grows by doubling.
    const { shouters, hearers, messageCount } = this.config;
    const atMost = (n: number) => Math.min(n, 1 << 17);
    this.gathered = {
      metrics: new MetricsTally(shouters, atMost(shouters * messageCount + hearers)),
      // Prints per process: a shouter's messages, or a hearer's share of all of them.
      lockedPrints: new LockedPrints((proc) => atMost(this.processes[proc]?.role === 'hearer' ? Math.ceil(shouters * messageCount / hearers) : messageCount),
        this.processes.filter((p) => p.role === 'shouter' || p.role === 'hearer').map((p) => p.proc)),
    };
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    if (this.config.lockPolicy === 'replay' && !options.replay) {
      throw new Error('Lock policy "replay" needs a run to replay: use "Shout/Hear: Replay Run".');
    }
    this.replayOf = options.replay?.of;
    checkLaunchable(this.config, options, (file) => { this.startFailedFor = file; });

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
      // A traced Node run: each process writes its trace to a spool file, read on the host's clock.
      this.spool = this.config.engine === 'node' && (options.traced ?? true) ? new TraceSpool((records) => this.ingest(records)) : undefined;
      const ctx = {
        config: this.config, seed: this.seed, t0: this.t0, options, processes: this.processes, output: this.output, spool: this.spool,
        childOfLane: this.childOfLane,
        spawnChild: (name: string, command: string, args: string[], stdio: StdioOptions, env: Record<string, string | undefined>, cwd?: string) => this.spawnChild(name, command, args, stdio, env, cwd),
        end: (how: { stopped: boolean; timedOut: boolean; failure?: string }) => this.end(how),
      };
      if (this.config.engine === 'python') { this.readyTimer = launchPython(ctx); } else {
        this.node = new NodeLaunch(ctx);
        this.node.launch();
      }
    } catch (err) {
      for (const c of this.children) { killGroup(c.process); }
      this.closeKernelPrimitives();
      this.output.destroy();
      this.spool?.close();
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
    if (!this.node?.scheduler || this.node?.scheduler.exit || !this.node?.pipes?.tell(SchedOp.GrantTo, lane.proc)) { throw new Error('the run has ended: there is no lock to grant'); }
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

  private spawnChild(name: string, command: string, args: string[], stdio: StdioOptions, env: Record<string, string | undefined>, cwd?: string): SpawnedChild {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [key, value] of Object.entries(env)) { if (value === undefined) { delete childEnv[key]; } }
    const proc = spawn(command, args, {
      stdio,
      ...(cwd ? { cwd } : {}),
      // Its own process group: the extension host shares its group with VS Code's processes.
      detached: true,
      env: childEnv,
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
      case 'trace':
        // The Python engine's trace comes on its channel; a Node worker's goes to its spool file.
        if (this.config.engine !== 'python') { return this.violation(child, 'sent its trace on the control channel, where a Node process sends none'); }
        this.ingest(message.records);
        // Only the Python engine's pids come from the trace (a Node worker's is its child's), and
        // only until each lane's is known: not a second pass over every record of a flood.
        if (this.processes.some((p) => p.pid === undefined)) { this.notePids(message.records); }
        break;
      case 'ready':
        if (!this.node?.gate || this.node?.gate.isOpen) { return this.violation(child, 'said it was ready twice, or when no start gate waits'); }
        this.node?.gate.ready(child.name);
        break;
      case 'lockState':
        if (child !== this.node?.scheduler) { return this.violation(child, 'reported a lock state, which only the scheduler does'); }
        this.setSchedulerState(message.state);
        break;
      case 'lockRequest':
      case 'lockRelease':
        // The host decided the lock in version 1; now the kernel or the scheduler does.
        return this.violation(child, `sent a lock ${message.type === 'lockRequest' ? 'request' : 'release'} to the host, which does not decide the lock`);
      case 'finished':
        // Every process has written all its trace: read and check it while they exit, not after.
        // Not in this callback: the host's end of the last channel closes (SpawnedChild ended it)
        // only once the loop turns, and the process exits only then; 'finish' says it went out.
        if (this.children.every((c) => c.finished)) {
          const check = () => { if (!this.finishedOnce) { this.spool?.readAll(); this.traceVerdicts(); } };
          if (child.control.writableFinished) { check(); } else { child.control.once('finish', check); }
        }
        break;
      case 'meta':
      case 'fault':
        break;
    }
  }

  /** Trace records into the store, and into what the end-of-run checks gather as they come. */
  private ingest(records: Uint8Array): void {
    const from = this.trace.length;
    this.trace.appendRecords(records);
    const g = this.gathered;
    if (g) {
      g.metrics.add(this.trace, from, this.trace.length);
      if (this.config.useLock) { g.lockedPrints.add(this.trace, from, this.trace.length); }
    }
    for (const fn of this.traceListeners) { fn(this.trace.length); }
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
    for (const [proc, ch] of this.childOfLane) { if (ch === child && this.processes[proc]?.role !== 'queue') { this.node?.pipes?.tell(SchedOp.Gone, proc); } }
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

  /** The start gate and the scheduler's FIFOs: the host's ends closed (the processes keep theirs). */
  private closeKernelPrimitives(): void {
    this.node?.gate?.close();
    this.node?.pipes?.close();
  }

  private emitOutput(text: string): void {
    if (text.length === 0) { return; }
    this.options.onOutput?.(text);
    for (const fn of this.outputListeners) { fn(text); }
  }

  private end(how: { stopped: boolean; timedOut: boolean; failure?: string }): void {
    if (this.ending !== undefined) { return; }
    this.ending = how;
    this.closeKernelPrimitives();
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
    this.closeKernelPrimitives();
    this.output.destroy();
    // Every process has exited: what is in the spool is all there will be.
    this.spool?.close();
    // A run that ended by itself ended well only if every process finished and exited 0.
    const how = this.ending ?? { stopped: false, timedOut: false };
    let failure = how.failure;
    if (!failure && !how.stopped) {
      const failed = (c: SpawnedChild) => !c.finished || c.exit?.code !== 0;
      const bad = this.children.find((c) => failed(c) && c.exit?.code !== EXIT_PEER_GONE) ?? this.children.find(failed);
      if (bad) { failure = bad.describeExit(); }
    }
    const verdicts = this.traceVerdicts();
    this.gathered = undefined;
    // A kernel token written back twice is two tokens: the kernel cannot refuse it, the trace shows it.
    if (!failure && !how.stopped) { failure = verdicts.twoHolders; }
    this.resolveDone(summarizeRun(this, verdicts.metrics, how.stopped, how.timedOut, failure));
  }

  /** The trace's verdicts (two lock holders? the metrics), worked out again only if events came since. */
  private traceVerdicts(): { twoHolders: string | undefined; metrics: TraceMetrics } {
    if (this.verdicts?.events !== this.trace.length) {
      const c = this.config;
      const input = { shouters: c.shouters, hearers: c.hearers, messageCount: c.messageCount };
      this.verdicts = {
        events: this.trace.length,
        // (After the end nothing is gathered any more: then a pass over the whole trace.)
        twoHolders: c.useLock ? twoHoldersAtOnce(this.trace, this.processes, this.gathered?.lockedPrints) : undefined,
        metrics: this.gathered ? this.gathered.metrics.result(input) : computeMetrics(this.trace, input),
      };
    }
    return this.verdicts;
  }

}

/** Starts a run; see `Run`. Throws (spawning nothing) if it cannot start. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}
