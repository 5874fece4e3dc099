/**
 * Spawning a run's processes and wiring them: the Node engine's workers (shouters, hearers, the
 * queue process when the queue is shared or bounded, the scheduler process for every lock
 * policy but "os"), each given its fds — output, queue, control, start gate, print lock — and
 * the Python engine's one program. The host keeps no end of the queue or the lock: socketpairs,
 * the kernel token or the scheduler's FIFOs join the processes directly.
 */
import * as path from 'path';
import type { StdioOptions } from 'child_process';
import type { ProcessInfo, PythonProgramConfig, RunConfig, WorkerConfig } from '../protocol/run';
import type { SpawnedChild } from './child';
import { usesQueueProcess } from './lanes';
import { workerDirOf } from './launchChecks';
import type { RunOptions } from './runTypes';
import type { SchedulerClientConfig } from '../workers/schedulerWire';
import { SchedulerPipes } from './schedulerPipes';
import type { SharedOutput } from './sharedOutput';
import { START_GATE_MS, StartGate, type TokenFds } from './startGate';
import type { TraceSpool } from './traceSpool';

/** How long the Python program may take to send its first frame before the run fails. */
const PYTHON_READY_MS = 30_000;
/** The fds every Node process of a run has (see workers/runtime.ts); the queue process's clients follow. */
const FIRST_CLIENT_FD = 7;

/** What launching needs from the run. */
export interface LaunchContext {
  readonly config: RunConfig;
  readonly seed: number;
  readonly t0: bigint;
  readonly options: RunOptions;
  readonly processes: ProcessInfo[];
  readonly output: SharedOutput;
  /** A traced Node run: each process's spool file (its last fd). */
  readonly spool: TraceSpool | undefined;
  readonly childOfLane: Map<number, SpawnedChild>;
  /** `env` is added to the host's environment; a name set to undefined is left out. */
  spawnChild(name: string, command: string, args: string[], stdio: StdioOptions, env: Record<string, string | undefined>, cwd?: string): SpawnedChild;
  end(how: { stopped: boolean; timedOut: boolean; failure?: string }): void;
}

/** The Node engine's processes; what it made (gate, pipes, scheduler) stays for the run to use and close. */
export class NodeLaunch {
  gate: StartGate | undefined;
  /** Lock policies other than os: the FIFOs between the scheduler and the workers. */
  pipes: SchedulerPipes | undefined;
  /** Policies other than os: the process that decides the lock. */
  scheduler: SpawnedChild | undefined;

  constructor(private readonly ctx: LaunchContext) {}

  launch(): void {
    const c = this.ctx.config;
    const lanes = this.ctx.processes;
    const kernelLock = c.lockPolicy === 'os';
    this.gate = new StartGate(kernelLock, (late) => this.ctx.end({
      stopped: false, timedOut: false,
      failure: `the ${late.join(', the ')} did not become ready at the start gate within ${START_GATE_MS / 1000} s; all processes were killed`,
    }));
    const lockFd: TokenFds | 'ignore' = kernelLock && c.useLock ? this.gate.token! : 'ignore';
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
    this.ctx.spool?.spawned();
    this.gate.spawned();
  }

  private workerConfig(role: WorkerConfig['role'], proc: number, index: number): WorkerConfig {
    const c = this.ctx.config;
    return {
      role, proc, index,
      messageCount: c.messageCount, napProbability: c.napProbability, napMs: c.napMs, seed: this.ctx.seed,
      useLock: c.useLock,
      lock: c.lockPolicy === 'os' ? 'kernel' : 'scheduler',
      shouters: c.shouters, hearers: c.hearers,
      queue: usesQueueProcess(c) ? 'broker' : 'direct',
      queueCapacity: c.queueCapacity,
      t0: this.ctx.t0.toString(),
      traceFd: null,
    };
  }

  /** The process's trace spool file as its next fd (after `stdio`), named in its config; none when untraced. */
  private withSpool<C extends WorkerConfig>(config: C, stdio: Exclude<StdioOptions, string>): { config: C; stdio: StdioOptions } {
    const spool = this.ctx.spool;
    if (!spool) { return { config, stdio }; }
    return { config: { ...config, traceFd: stdio.length }, stdio: [...stdio, spool.open(config.proc)] };
  }

  private spawnNode(lane: ProcessInfo, queue: 'pipe' | 'ignore', lock: 'ignore' | TokenFds, extra: ('pipe' | number)[] = []): SpawnedChild {
    const index = lane.role === 'hearer' ? lane.proc - this.ctx.config.shouters : lane.role === 'shouter' ? lane.proc : 0;
    const getOrder = lane.role === 'queue' ? this.ctx.options.replay?.getOrder : undefined;
    const config: WorkerConfig & SchedulerClientConfig = {
      ...this.workerConfig(lane.role, lane.proc, index),
      ...(getOrder ? { getOrderLength: getOrder.length } : {}),
      ...(this.ctx.config.lockPolicy === 'manual' && lane.role !== 'queue' ? { grantsByHand: true } : {}),
      ...(this.ctx.config.lockPolicy === 'replay' && lane.role !== 'queue' ? { grantsByPlan: true } : {}),
    };
    const client = lane.role !== 'queue';
    // A client of the scheduler: its grant FIFO (fd 6), the request FIFO (7), its grant FIFO
    // non-blocking (8). Of the kernel token: the token blocking (6) and non-blocking (8).
    const grant = client ? this.pipes?.grants[lane.proc] : undefined;
    const token = client && lock !== 'ignore' ? lock : undefined;
    const lockFds: ('ignore' | number)[] = grant ? [grant.read, this.pipes!.requestsWrite, grant.poll] : token ? [token.wait, 'ignore', token.tryTake] : ['ignore'];
    const fds = this.withSpool(config, [
      'ignore', client ? this.ctx.output.writeFd! : 'ignore', 'pipe', queue, 'pipe', this.gate!.gateFd, ...lockFds, ...extra,
    ]);
    const child = this.spawnWorker(lane.name, lane.role, fds.config, fds.stdio);
    if (getOrder) { this.sendPlan(child, getOrder); }
    lane.pid = child.pid;
    this.ctx.childOfLane.set(lane.proc, child);
    return child;
  }

  private spawnScheduler(pipes: SchedulerPipes): SpawnedChild {
    const c = this.ctx.config;
    const config = {
      ...this.workerConfig('scheduler', 0, 0),
      policy: c.lockPolicy,
      ...(this.ctx.options.replay ? { grantsLength: this.ctx.options.replay.grants.length } : {}),
      names: this.ctx.processes.map((p) => p.name),
    };
    const fds = this.withSpool(config, [
      'ignore', 'ignore', 'pipe', 'ignore', 'pipe', this.gate!.gateFd, pipes.requestsRead, ...pipes.grants.map((g) => g.write),
    ]);
    const child = this.spawnWorker('scheduler', 'scheduler', fds.config, fds.stdio);
    if (this.ctx.options.replay) { this.sendPlan(child, this.ctx.options.replay.grants); }
    return child;
  }

  /** A replay's plan, in frames of at most 64 K values (argv could not hold it). */
  private sendPlan(child: SpawnedChild, values: readonly number[]): void {
    for (let at = 0; at < values.length; at += 65_536) {
      child.send({ type: 'plan', values: Int32Array.from(values.slice(at, at + 65_536)) });
    }
  }

  private spawnWorker(name: string, script: string, config: WorkerConfig, stdio: StdioOptions): SpawnedChild {
    this.gate!.expect(name);
    return this.ctx.spawnChild(name, this.ctx.options.nodePath ?? process.execPath,
      [path.join(workerDirOf(this.ctx.options), `${script}.js`), JSON.stringify(config)], stdio,
      // In VS Code's Electron host ELECTRON_RUN_AS_NODE makes the binary behave as plain Node.
      // Our processes never open a TLS connection, and Node reads every certificate named by
      // NODE_EXTRA_CA_CERTS at start: with a system bundle (220 KB on this project's machine)
      // that alone took a run's first line from 52 to 127 ms (median of 15 runs each).
      { ELECTRON_RUN_AS_NODE: '1', NODE_EXTRA_CA_CERTS: undefined });
  }
}

export function launchPython(ctx: LaunchContext): NodeJS.Timeout | undefined {
  const c = ctx.config;
  const config: PythonProgramConfig = {
    messageCount: c.messageCount, napProbability: c.napProbability, napMs: c.napMs, seed: ctx.seed,
    useLock: c.useLock, queueCapacity: c.queueCapacity, shouters: c.shouters, hearers: c.hearers,
    startMethod: c.pythonStartMethod, t0: ctx.t0.toString(), traced: ctx.options.traced ?? true,
  };
  const { executable, script, version } = ctx.options.python!;
  const [major, minor] = (version ?? '').split('.').map(Number);
  const safePath = major > 3 || (major === 3 && minor >= 11) ? ['-P'] : [];
  // Its own folder as cwd (and -P / PYTHONSAFEPATH from 3.11): children started as `python -c`
  // (spawn, forkserver) put the working directory first on the module path, and the host's
  // working directory is nobody's choice.
  const child = ctx.spawnChild('python program', executable, [...safePath, script, JSON.stringify(config)],
    ['ignore', ctx.output.writeFd!, 'pipe', 'ignore', 'pipe'],
    { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONSAFEPATH: '1' }, path.dirname(script));
  const readyMs = ctx.options.readyTimeoutMs ?? PYTHON_READY_MS;
  if (ctx.options.traced ?? true) {
    return setTimeout(() => {
      if (child.ready || child.exit) { return; }
      const said = child.stderrTail.trim().split('\n').slice(-3).join(' | ');
      ctx.end({ stopped: false, timedOut: false, failure: `the python program (${executable}, pid ${child.pid}) started but did not become ready within ${readyMs / 1000} s${said ? `: ${said}` : ''}` });
    }, readyMs);
  }
return undefined;
}
