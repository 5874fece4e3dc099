/**
 * Runs a user's own Python file traced (python/trace_program.py, its contract in
 * python/README.md): spawned with an argument array as the leader of its own process group,
 * cwd = the file's folder, stdin closed, stdout and stderr on one shared pipe (their order kept),
 * the trace tailed from the spool file the program's processes append to. Stop and timeout send
 * SIGTERM to main (multiprocessing cleans up), then SIGKILL the group for whatever is left.
 * No `vscode` import: the extension, the tests and the benchmark use it.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import type { PythonStartMethod } from '../protocol/run';
import { FrameDecoder } from '../protocol/wire';
import { ScriptMeta } from '../trace/scriptMeta';
import { summarizeQueuesAndLocks, uniqueLaneNames, type ScriptResult } from '../trace/scriptSummary';
import { TraceStore } from '../trace/traceStore';
import { Transcript } from '../trace/transcript';
import { newRunId } from './run';
import { SharedOutput } from './sharedOutput';

const TAIL_MS = 50;
/** After SIGTERM (stop) or main's exit: how long the group may take to end by itself. */
const GROUP_GRACE_MS = 2500;
const READ_BYTES = 1 << 20;

export interface ScriptRunOptions {
  /** Absolute path of the interpreter. */
  python: string;
  /** python/trace_program.py */
  bootstrap: string;
  /** Absolute path of the user's file. */
  file: string;
  args?: readonly string[];
  runTimeoutSeconds: number;
  startMethod?: PythonStartMethod | null;
  onOutput?: (text: string) => void;
}

const leaders = new Set<number>();
process.once('exit', () => { for (const pid of leaders) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } } });

function groupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

export class ScriptRun {
  readonly id = newRunId();
  readonly file: string;
  readonly trace = new TraceStore();
  readonly transcript = new Transcript();
  readonly meta = new ScriptMeta();
  readonly t0 = process.hrtime.bigint();
  readonly startedAt = Date.now();
  readonly done: Promise<ScriptResult>;
  readonly pid: number | undefined;

  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly output = new SharedOutput();
  private readonly frames = new FrameDecoder();
  private readonly fd: number;
  private offset = 0;
  /** One read buffer for the run (the decoder copies what it keeps). */
  private readonly readBuffer = Buffer.allocUnsafe(READ_BYTES);
  private finishedFrame = false;
  private protocolError: string | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private spawnError: string | undefined;
  private outputEnded = false;
  private ending: { stopped: boolean; timedOut: boolean } | undefined;
  private readonly tailTimer: NodeJS.Timeout;
  private readonly timeout: NodeJS.Timeout;
  private resolveDone!: (r: ScriptResult) => void;
  private finished = false;
  private readonly traceListeners = new Set<() => void>();
  private readonly outputListeners = new Set<(text: string) => void>();

  constructor(private readonly options: ScriptRunOptions) {
    this.file = options.file;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    if (!fs.existsSync(options.bootstrap)) { throw new Error(`The tracer is missing: ${options.bootstrap}`); }
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-trace-'));
    fs.writeFileSync(path.join(this.dir, 'trace.bin'), '', { mode: 0o600 });
    this.fd = fs.openSync(path.join(this.dir, 'trace.bin'), 'r');
    const decoder = new StringDecoder('utf8');
    this.output.reader.on('data', (chunk: Buffer) => { this.transcript.append(chunk); this.emit(decoder.write(chunk)); });
    this.output.reader.on('close', () => { this.emit(decoder.end()); this.outputEnded = true; this.maybeFinish(); });
    const args = ['-X', 'utf8', options.bootstrap, '--trace-dir', this.dir, '--t0', this.t0.toString(),
      ...(options.startMethod ? ['--start-method', options.startMethod] : []), '--', options.file, ...(options.args ?? [])];
    this.child = spawn(options.python, args, {
      cwd: path.dirname(options.file),
      stdio: ['ignore', this.output.writeFd!, this.output.writeFd!],
      detached: true,
      windowsHide: true,
    });
    this.pid = this.child.pid;
    if (this.pid !== undefined) { leaders.add(this.pid); }
    this.output.closeWriteEnd();
    this.child.on('error', (err) => { this.spawnError = `${options.python} could not start: ${err.message}`; this.exit ??= { code: null, signal: null }; this.output.destroy(); this.outputEnded = true; this.maybeFinish(); });
    this.child.on('exit', (code, signal) => { this.exit = { code, signal }; this.afterMainExit(); });
    this.tailTimer = setInterval(() => this.tail(), TAIL_MS);
    this.timeout = setTimeout(() => this.end({ stopped: false, timedOut: true }), options.runTimeoutSeconds * 1000);
  }

  onTrace(fn: () => void): () => void { this.traceListeners.add(fn); return () => this.traceListeners.delete(fn); }
  onOutput(fn: (text: string) => void): () => void { this.outputListeners.add(fn); return () => this.outputListeners.delete(fn); }

  /** Lanes known so far, in lane order, with unique names. */
  lanes(): { proc: number; name: string; pid: number }[] {
    const names = uniqueLaneNames(this.meta);
    return [...this.meta.lanes.values()].sort((a, b) => a.proc - b.proc).map((l) => ({ proc: l.proc, name: names.get(l.proc)!, pid: l.pid }));
  }

  get ended(): boolean { return this.finished; }

  /** Stops the program (gracefully first); `done` then resolves with `stopped: true`. */
  stop(): Promise<ScriptResult> {
    this.end({ stopped: true, timedOut: false });
    return this.done;
  }

  private emit(text: string): void {
    if (text.length === 0) { return; }
    this.options.onOutput?.(text);
    for (const fn of this.outputListeners) { fn(text); }
  }

  /** Reads what the processes appended to the spool since the last look. */
  private tail(): void {
    const before = this.trace.length;
    const buf = this.readBuffer;
    for (;;) {
      let n: number;
      try { n = fs.readSync(this.fd, buf, 0, READ_BYTES, this.offset); } catch { return; }
      if (n <= 0) { break; }
      this.offset += n;
      if (this.finishedFrame || this.protocolError) { continue; }
      try {
        for (const f of this.frames.push(buf.subarray(0, n))) {
          if (this.finishedFrame) { break; }
          if (f.type === 'trace') { this.trace.appendRecords(f.records); } else if (f.type === 'meta') { this.meta.add(f.json); } else if (f.type === 'finished') { this.finishedFrame = true; } else {
            throw new Error(`a frame of type "${f.type}", which a traced program does not write`);
          }
        }
      } catch (err) {
        this.protocolError = `the trace of ${path.basename(this.file)} is malformed: ${(err as Error).message}`;
        this.end({ stopped: false, timedOut: false });
      }
    }
    if (this.trace.length !== before) { for (const fn of this.traceListeners) { fn(); } }
  }

  private end(how: { stopped: boolean; timedOut: boolean }): void {
    if (this.ending || this.finished) { return; }
    this.ending = how;
    const pid = this.pid;
    if (pid === undefined) { return; }
    if (!this.exit) { try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ } }
    this.killGroupAfterGrace(pid);
  }

  private afterMainExit(): void {
    if (this.pid !== undefined) { this.killGroupAfterGrace(this.pid); }
    this.maybeFinish();
  }

  private graceTimer: NodeJS.Timeout | undefined;

  /** Waits for the group to end by itself (multiprocessing's own cleanup), then kills what is left. */
  private killGroupAfterGrace(pid: number): void {
    if (this.graceTimer) { return; }
    const deadline = Date.now() + GROUP_GRACE_MS;
    const check = () => {
      if (this.exit && !groupAlive(pid)) { this.graceTimer = undefined; leaders.delete(pid); this.maybeFinish(); return; }
      if (Date.now() >= deadline) {
        try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
        leaders.delete(pid);
        this.graceTimer = undefined;
        // Zombies may stay in the group until reaped; whatever else is left is gone now.
        this.groupKilled = true;
        this.maybeFinish();
        return;
      }
      this.graceTimer = setTimeout(check, 50);
    };
    this.graceTimer = setTimeout(check, 20);
  }

  private groupKilled = false;

  private maybeFinish(): void {
    if (this.finished || !this.exit || !this.outputEnded) { return; }
    if (this.pid !== undefined && !this.groupKilled && groupAlive(this.pid) && this.graceTimer) { return; }
    this.finished = true;
    clearInterval(this.tailTimer);
    clearTimeout(this.timeout);
    this.tail();
    fs.closeSync(this.fd);
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.output.destroy();
    this.resolveDone(this.result());
  }

  private result(): ScriptResult {
    const how = this.ending ?? { stopped: false, timedOut: false };
    const names = uniqueLaneNames(this.meta);
    const processes = [...this.meta.lanes.values()].sort((a, b) => a.proc - b.proc).map((l) => {
      const exit = this.meta.exits.get(l.proc);
      return { name: names.get(l.proc)!, pid: l.pid, exitCode: exit ? exit.code : l.proc === 0 ? this.exit?.code ?? null : null };
    });
    const { queues, locks, lines } = summarizeQueuesAndLocks(this.trace, this.meta);
    const failure = how.stopped ? undefined : how.timedOut
      ? `timed out after ${this.options.runTimeoutSeconds} s (shoutHear.runTimeoutSeconds); the program was stopped`
      : this.failure(names);
    return {
      runId: this.id, ok: !how.stopped && !how.timedOut && failure === undefined, ...(failure ? { failure } : {}),
      stopped: how.stopped, timedOut: how.timedOut, engine: 'script', file: this.file,
      durationMs: Number(process.hrtime.bigint() - this.t0) / 1e6,
      processes, lines, queues, locks, events: this.trace.length, untraced: [...this.meta.untraced],
    };
  }

  /** Why a run that ended by itself is not ok, or undefined if it is. */
  private failure(names: Map<number, string>): string | undefined {
    if (this.spawnError) { return this.spawnError; }
    if (this.protocolError) { return this.protocolError; }
    const code = this.exit?.code;
    if (code === 2 && !this.finishedFrame) { return `the tracer refused to start (exit 2): ${this.transcript.allLines().slice(-1)[0] ?? ''}`; }
    const mainError = this.meta.errors.get(0);
    if (mainError) { return `the main process raised ${mainError.error}`; }
    if (code !== 0) { return this.exit?.signal ? `the main process was killed by ${this.exit.signal}` : `the main process exited with code ${code}`; }
    for (const [proc, exit] of this.meta.exits) {
      if (proc === 0 || exit.code === 0 || exit.terminatedBy === 'multiprocessing') { continue; }
      const error = this.meta.errors.get(proc);
      const name = names.get(proc) ?? exit.name;
      return error ? `process "${name}" (pid ${exit.pid}) raised ${error.error}`
        : exit.code < 0 ? `process "${name}" (pid ${exit.pid}) was killed by signal ${-exit.code}`
          : `process "${name}" (pid ${exit.pid}) exited with code ${exit.code}`;
    }
    if (!this.finishedFrame) { return 'the trace ended before the program finished it (a process was killed?)'; }
    return undefined;
  }
}
