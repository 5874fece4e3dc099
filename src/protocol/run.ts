/**
 * A run's contracts: the settings it runs with (RunConfig), what each process is told when it
 * is spawned (WorkerConfig for a Node worker, PythonProgramConfig for python/shout_hear.py, each
 * one JSON argument), and the summary of how it went (RunSummary). Pure: no Node, no DOM, no
 * `vscode`.
 */

/**
 * Who gets the print lock next. os: a real kernel lock (a token byte in a pipe every process
 * shares; the kernel picks who wakes). The others decide in the run's scheduler process:
 * fifo: every line is its own grant, in request order; random: every line its own grant, to a
 * seeded random waiter; manual: the user grants; replay: a recorded grant order is enforced.
 */
export type LockPolicy = 'os' | 'fifo' | 'random' | 'manual' | 'replay';
export const LOCK_POLICIES: readonly LockPolicy[] = ['os', 'fifo', 'random', 'manual', 'replay'];

export type EngineName = 'node' | 'python';
export type PythonStartMethod = 'fork' | 'spawn' | 'forkserver';

export interface RunConfig {
  messageCount: number;
  napProbability: number;
  napMs: number;
  /** null: a fresh random seed for each run. */
  seed: number | null;
  useLock: boolean;
  runTimeoutSeconds: number;
  lockPolicy: LockPolicy;
  /** 0: unbounded; else put blocks while this many messages wait in the queue. */
  queueCapacity: number;
  shouters: number;
  hearers: number;
  engine: EngineName;
  /** null: the platform's default. Python engine only. */
  pythonStartMethod: PythonStartMethod | null;
}

/** What a worker receives (as one JSON argument) to run its part. */
export interface WorkerConfig {
  role: ProcessRole | 'scheduler';
  /** Lane index of this process in the trace. */
  proc: number;
  /** Index among processes of the same role. */
  index: number;
  messageCount: number;
  napProbability: number;
  napMs: number;
  seed: number;
  useLock: boolean;
  /** How this process takes the print lock: the kernel token (policy "os"), or a turn from the scheduler process. */
  lock: 'kernel' | 'scheduler';
  shouters: number;
  hearers: number;
  /** direct: one socketpair shouter <-> hearer. broker: a queue process between all shouters and hearers. */
  queue: 'direct' | 'broker';
  queueCapacity: number;
  /** broker, replay: the hearer to give each message dequeued to arrives in Plan frames (this many values) before the start gate. */
  getOrderLength?: number;
  /** The run's t0, `process.hrtime.bigint()` in the host, as a decimal string. */
  t0: string;
  /** The fd of this process's trace spool file (engine/traceSpool.ts); null: record nothing (only for measuring what tracing costs). */
  traceFd: number | null;
}

/**
 * What python/shout_hear.py receives (as one JSON argument): its parse_config checks every key
 * (unknown or missing ones are refused), so this and that function change together.
 */
export interface PythonProgramConfig {
  messageCount: number;
  napProbability: number;
  napMs: number;
  seed: number;
  useLock: boolean;
  queueCapacity: number;
  shouters: number;
  hearers: number;
  /** null: the platform's default. */
  startMethod: PythonStartMethod | null;
  /** The run's t0, `process.hrtime.bigint()` in the host, as a decimal string. */
  t0: string;
  /** false: record no trace events (only for measuring what tracing costs). */
  traced: boolean;
}

/** queue: the process that holds a shared queue when there are several shouters or hearers, or a capacity. */
/** 'process': a process of a traced user program (shoutHear.traceFile). */
export type ProcessRole = 'shouter' | 'hearer' | 'queue' | 'process';

export interface ProcessInfo {
  proc: number;
  role: ProcessRole;
  name: string;
  pid: number | undefined;
}

export interface RunSummary {
  runId: string;
  engine: EngineName;
  ok: boolean;
  stopped: boolean;
  timedOut: boolean;
  /** Why the run did not complete, naming the process and its exit code or signal. */
  failure?: string;
  seed: number;
  config: RunConfig;
  durationMs: number;
  naps: number;
  /** The interleaved output lines in order; only for runs of up to LINES_IN_SUMMARY_MAX messages. */
  lines?: string[];
  lineCount: number;
  /** Output bytes not kept because the transcript reached its size cap (absent: all kept). */
  outputBytesNotKept?: number;
  /** The (first) shouter's and hearer's pids. */
  pids: { shouter: number | undefined; hearer: number | undefined };
  /** Every OS process the run started (for the Python engine: its main and its children). */
  allPids: number[];
  processes: ProcessInfo[];
  exactlyOnceInOrder: boolean;
  /** In words: why the invariant holds or not. */
  invariant: string;
  puts: number;
  gets: number;
  maxQueueDepth: number;
  /** With a bounded queue: the depth never went past the capacity. */
  capacityRespected?: boolean;
  /** Puts that had to wait for room in a bounded queue. */
  putBlocks: number;
  lockWaits: { count: number; totalMs: number };
  events: number;
  /** A replay: the run it replays. */
  replayOf?: string;
  /** A replay: whether it printed exactly the lines of the original. */
  identical?: boolean;
  /** Things the user should know about how this run was made (e.g. a setting that did not apply). */
  notes?: string[];
}

export const LINES_IN_SUMMARY_MAX = 10_000;
