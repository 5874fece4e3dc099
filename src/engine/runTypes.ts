/**
 * What a run is started with and what it tells its observers: the options of `startRun`, a
 * replay's plan, the Python launch, the lock state by lane name, and the run ids. Types and one
 * id counter only (run.ts re-exports them for its callers).
 */
import type { RunConfig } from '../protocol/run';

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

export type Listener<T> = (value: T) => void;

/** Who holds the print lock and who waits for it, by lane name (for "be the scheduler"). */
export interface LockState { holder: string | undefined; waiting: string[] }

let runCounter = 0;

export function newRunId(): string {
  runCounter++;
  return `run-${Date.now().toString(36)}-${runCounter}`;
}
