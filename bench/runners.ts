/**
 * One measured run each: our engine through the real run engine (its output drained as the
 * extension does), the plain Python program, the Python engine's program run directly, and a
 * cold start. Every runner checks the run was whole (every line, exit 0) before it is counted.
 */
import { spawn } from 'child_process';
import type { Socket } from 'net';
import { performance } from 'perf_hooks';
import { startRun, type Run } from '../src/engine/run';
import type { RunConfig, RunSummary } from '../src/protocol/run';
import { TRACE_RECORD_BYTES } from '../src/protocol/wire';
import { defaultConfig } from '../src/shared/config';
import { PYTHON, PY_ENGINE, PY_FIXTURE, WORKER_DIR } from './env';

// ------------------------------------------------------------------ the host's drain
/**
 * What the extension does with output (src/views/outputView.ts): count lines, keep the text
 * of the first 20,000 for the output channel, flush every 100 ms; past that, only count.
 */
export class HostDrain {
  static readonly LIVE_LINE_LIMIT = 20_000;
  linesShown = 0;
  linesHidden = 0;
  bytes = 0;
  firstByteAt: number | undefined;
  lastByteAt: number | undefined;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  flushedChars = 0;

  readonly output = (text: string): void => {
    this.lastByteAt = performance.now();
    this.firstByteAt ??= this.lastByteAt;
    this.bytes += text.length;
    if (this.linesShown >= HostDrain.LIVE_LINE_LIMIT) { this.linesHidden += countLines(text); return; }
    const lines = countLines(text);
    const room = HostDrain.LIVE_LINE_LIMIT - this.linesShown;
    if (lines <= room) { this.linesShown += lines; this.pending.push(text); }
    else {
      let cut = -1;
      for (let i = 0; i < room; i++) { cut = text.indexOf('\n', cut + 1); }
      this.pending.push(text.slice(0, cut + 1));
      this.linesShown = HostDrain.LIVE_LINE_LIMIT;
      this.linesHidden += lines - room;
    }
    this.timer ??= setTimeout(() => this.flush(), 100);
  };

  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.flushedChars += this.pending.join('').length;
    this.pending = [];
  }

  get lines(): number { return this.linesShown + this.linesHidden; }
}

export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { n++; }
  return n;
}

// ------------------------------------------------------------------ one measured run each
export interface EngineResult {
  ms: number; summary: RunSummary; run: Run; drain: HostDrain; firstByteMs: number;
  /** From the last output byte to `done` (workers' exit, last trace frames, summary). */
  tailMs: number;
}

export function floodConfig(messageCount: number, extra: Partial<RunConfig> = {}): RunConfig {
  return { ...defaultConfig(), messageCount, napProbability: 0, napMs: 0, seed: 1, useLock: true, runTimeoutSeconds: 3600, ...extra };
}

export async function runEngine(messageCount: number, traced: boolean, extra: Partial<RunConfig> = {}): Promise<EngineResult> {
  const drain = new HostDrain();
  const t0 = performance.now();
  const run = startRun({ config: floodConfig(messageCount, extra), workerDir: WORKER_DIR, traced, onOutput: drain.output });
  const summary = await run.done;
  const ms = performance.now() - t0;
  drain.flush();
  // Untraced runs have no trace to check the invariant on: there the line count must do.
  if (summary.failure || summary.stopped || (traced && !summary.ok)) { throw new Error(`engine run failed: ${summary.failure ?? summary.invariant}`); }
  if (drain.lines !== 2 * messageCount) { throw new Error(`engine run printed ${drain.lines} lines, expected ${2 * messageCount}`); }
  return { ms, summary, run, drain, firstByteMs: (drain.firstByteAt ?? NaN) - t0, tailMs: t0 + ms - (drain.lastByteAt ?? NaN) };
}

export interface ProcResult { ms: number; lines: number; firstByteMs: number; code: number | null }

/** Spawns a process with stdout to a pipe that we drain (counting lines); wall time to close. */
export function runProcess(cmd: string, args: string[], expectLines?: number): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstByteAt: number | undefined;
    let lines = 0;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      firstByteAt ??= performance.now();
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) { lines++; }
    });
    child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) { reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`)); return; }
      if (expectLines !== undefined && lines !== expectLines) { reject(new Error(`${cmd} printed ${lines} lines, expected ${expectLines}`)); return; }
      resolve({ ms, lines, firstByteMs: (firstByteAt ?? NaN) - t0, code });
    });
  });
}

export const runPython = (n: number) => runProcess(PYTHON, [PY_FIXTURE, String(n), '0', '0', '1'], 2 * n);

/**
 * The Python engine's program (python/shout_hear.py, see python/README.md) run directly: its
 * output to a pipe we drain, its trace channel (fd 4, a unix socket) drained and closed once
 * it says Finished, as the host would. Wall time from spawn to exit.
 */
export function runPyEngine(n: number, traced: boolean): Promise<ProcResult & { records: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const config = { messageCount: n, napProbability: 0, napMs: 0, seed: 1, useLock: true, t0: process.hrtime.bigint().toString(), traced };
    const child = spawn(PYTHON, [PY_ENGINE, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'pipe'], detached: true });
    let lines = 0, firstByteAt: number | undefined, stderr = '', records = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      firstByteAt ??= performance.now();
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) { lines++; }
    });
    child.stderr!.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000); });
    const channel = child.stdio[4] as unknown as Socket;
    let pending: Buffer = Buffer.alloc(0);
    channel.on('data', (c: Buffer) => {
      pending = pending.length > 0 ? Buffer.concat([pending, c]) : c;
      while (pending.length >= 5) {
        const len = pending.readUInt32LE(1);
        if (pending.length < 5 + len) { break; }
        const type = pending[0];
        if (type === 3) { records += len / TRACE_RECORD_BYTES; }
        pending = pending.subarray(5 + len);
        if (type === 4 || type === 5) { channel.end(); }
      }
    });
    channel.on('error', () => { /* exit code tells */ });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) { reject(new Error(`python engine exited ${code}: ${stderr}`)); return; }
      if (lines !== 2 * n) { reject(new Error(`python engine printed ${lines} lines, expected ${2 * n}`)); return; }
      resolve({ ms, lines, firstByteMs: (firstByteAt ?? NaN) - t0, code, records });
    });
  });
}

/** Engine start → first output byte, then the (one-message) run is allowed to finish. */
export async function coldStartEngine(): Promise<number> {
  const r = await runEngine(1, true);
  return r.firstByteMs;
}
