/**
 * `npm run bench` (never part of `npm test`): compares side by side in one invocation,
 * interleaved (A B A B…), medians over several repetitions, and prints a table with the
 * target beside every figure. Flags: `--json` (one JSON object on the last line), `--quick`
 * (fewer repetitions, smaller responsiveness run, no timeline), `--reps N`, `--no-vsix` (skip
 * packaging), `--no-timeline` (skip running the timeline benchmark if it is built).
 *
 * Run it after `node scripts/build.mjs` (the npm script does that): it uses the bundled
 * workers in dist/workers and the plain Python program in bench/fixtures.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import type { Socket } from 'net';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { defaultConfig } from '../src/shared/config';
import { replayPlanOf } from '../src/engine/replay';
import { startRun, liveWorkerCount, type Run } from '../src/engine/run';
import { CONTENDED_WAIT_NS, EventKind } from '../src/protocol/events';
import type { RunConfig, RunSummary } from '../src/protocol/run';
import { TRACE_RECORD_BYTES } from '../src/protocol/wire';
import { computeMetrics } from '../src/trace/metrics';
import { KEEP_RUNS, KEPT_BYTES_BUDGET, RunStore } from '../src/host/runStore';
import { sourceOfRun } from '../src/views/timeline/source';
import { benchScript } from './scriptBench';
import { fmt, max, median, min, percentile } from './stats';

// ------------------------------------------------------------------ options and paths
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const noVsix = argv.includes('--no-vsix');
const noTimeline = argv.includes('--no-timeline') || quick;
const repsArg = argv.indexOf('--reps');
const REPS = repsArg >= 0 ? Math.max(1, Number(argv[repsArg + 1]) | 0) : quick ? 3 : 5;
const COLD_REPS = quick ? 8 : 20;
const FLOOD_MESSAGES = 100_000;
const BIG_MESSAGES = quick ? 200_000 : 1_000_000;

const ROOT = findRoot();
const WORKER_DIR = path.join(ROOT, 'dist', 'workers');
const PY_FIXTURE = path.join(ROOT, 'bench', 'fixtures', 'lesson_plain.py');
const PYTHON = process.env.PYTHON ?? 'python3';
const PY_ENGINE = path.join(ROOT, 'python', 'shout_hear.py');
const HAVE_PY_ENGINE = fs.existsSync(PY_ENGINE);

function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bench', 'fixtures'))) { return dir; }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** Progress goes to stderr so that stdout holds only the table (or the JSON). */
function progress(msg: string): void { process.stderr.write(`[bench] ${msg}\n`); }

// ------------------------------------------------------------------ the host's drain
/**
 * What the extension does with output (src/views/outputView.ts): count lines, keep the text
 * of the first 20,000 for the output channel, flush every 100 ms; past that, only count.
 */
class HostDrain {
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

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { n++; }
  return n;
}

// ------------------------------------------------------------------ one measured run each
interface EngineResult {
  ms: number; summary: RunSummary; run: Run; drain: HostDrain; firstByteMs: number;
  /** From the last output byte to `done` (workers' exit, last trace frames, summary). */
  tailMs: number;
}

function floodConfig(messageCount: number, extra: Partial<RunConfig> = {}): RunConfig {
  return { ...defaultConfig(), messageCount, napProbability: 0, napMs: 0, seed: 1, useLock: true, runTimeoutSeconds: 3600, ...extra };
}

async function runEngine(messageCount: number, traced: boolean, extra: Partial<RunConfig> = {}): Promise<EngineResult> {
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

interface ProcResult { ms: number; lines: number; firstByteMs: number; code: number | null }

/** Spawns a process with stdout to a pipe that we drain (counting lines); wall time to close. */
function runProcess(cmd: string, args: string[], expectLines?: number): Promise<ProcResult> {
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

const runPython = (n: number) => runProcess(PYTHON, [PY_FIXTURE, String(n), '0', '0', '1'], 2 * n);

/**
 * The Python engine's program (python/shout_hear.py, see python/README.md) run directly: its
 * output to a pipe we drain, its trace channel (fd 4, a unix socket) drained and closed once
 * it says Finished, as the host would. Wall time from spawn to exit.
 */
function runPyEngine(n: number, traced: boolean): Promise<ProcResult & { records: number }> {
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
async function coldStartEngine(): Promise<number> {
  const r = await runEngine(1, true);
  return r.firstByteMs;
}

// ------------------------------------------------------------------ report rows
type Cmp = '>=' | '<=';
interface Row {
  id: string;
  name: string;
  value: number | null;
  unit: string;
  target?: { cmp: Cmp; value: number };
  pass: boolean | null;
  /** How a miss compares with the target, e.g. "1.4x over". */
  note?: string;
  samples?: number[];
  /** What to show instead of a figure when there is none. */
  shown?: string;
}

const rows: Row[] = [];

function row(id: string, name: string, value: number | null, unit: string, target?: { cmp: Cmp; value: number }, note?: string, samples?: number[]): Row {
  const pass = value === null || !target ? null : target.cmp === '>=' ? value >= target.value : value <= target.value;
  const r: Row = { id, name, value, unit, ...(target ? { target } : {}), pass, ...(note ? { note } : {}), ...(samples ? { samples } : {}) };
  rows.push(r);
  return r;
}

function showValue(r: Row): string {
  if (r.value === null) { return r.shown ?? 'not measured yet'; }
  const v = r.value;
  switch (r.unit) {
    case 'msgs/s': return `${fmt(v)} msgs/s`;
    case 'x': return `${v.toFixed(2)}×`;
    case 'ms': return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
    case 'B': return `${fmt(v, v < 100 ? 1 : 0)} B`;
    case 'KB': return `${v.toFixed(1)} KB`;
    case 'MB': return `${v.toFixed(1)} MB`;
    default: return `${fmt(v, 2)} ${r.unit}`;
  }
}

function showTarget(r: Row): string {
  if (!r.target) { return '—'; }
  const t = r.target.value;
  const unit = r.unit === 'x' ? '×' : r.unit === 'msgs/s' ? ' msgs/s' : ` ${r.unit}`;
  return `${r.target.cmp === '>=' ? '≥' : '≤'} ${r.unit === 'x' ? t.toFixed(2) : fmt(t)}${unit}`;
}

function showResult(r: Row): string {
  if (r.value === null) { return '—'; }
  if (r.pass === null) { return 'info'; }
  return r.pass ? 'PASS' : 'MISS';
}

// ------------------------------------------------------------------ machine
function machine() {
  const cpus = os.cpus();
  const py = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
  const load: number[] = os.loadavg();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    python: (py.stdout || py.stderr || 'not found').trim().replace(/^Python /, ''),
    loadavgAtStart: load.map((x) => Math.round(x * 100) / 100),
  };
}

// ------------------------------------------------------------------ sizes
function sizeOf(file: string): number | null {
  try { return fs.statSync(file).size; } catch { return null; }
}

/** The production (minified) extension bundle, built into a temp dir without touching dist/. */
async function productionExtensionSize(tmp: string): Promise<number | null> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const outfile = path.join(tmp, 'extension.js');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', target: 'node20',
      format: 'cjs', minify: true, sourcemap: false, external: ['vscode'], outfile, logLevel: 'silent',
    });
    return sizeOf(outfile);
  } catch (err) {
    progress(`production bundle failed: ${(err as Error).message}`);
    return null;
  }
}

/**
 * Packages the extension as `npm run package` would (production build, then vsce), but in a
 * temp copy of the tree, so dist/, out/ and shout-hear.vsix are not touched. If vsce refuses
 * (e.g. relative README images and no repository URL), it retries with placeholder base URLs,
 * which only rewrite links, and says so.
 */
function packageVsix(tmp: string): { size: number | null; ms: number; error?: string; retried?: string; maps?: number } {
  const t0 = performance.now();
  const stage = path.join(tmp, 'stage');
  const skip = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
  fs.mkdirSync(stage);
  for (const name of fs.readdirSync(ROOT)) {
    if (skip.has(name) || name.endsWith('.vsix')) { continue; }
    fs.cpSync(path.join(ROOT, name), path.join(stage, name), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  const why = (r: { stderr: string; stdout: string; error?: Error }) => (r.stderr || r.stdout || String(r.error)).replace(/\s+/g, ' ').trim().slice(0, 240);
  if (build.status !== 0) { return { size: null, ms: performance.now() - t0, error: `production build failed: ${why(build)}` }; }
  const out = path.join(tmp, 'bench.vsix');
  const attempt = (extra: string[]) => spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--out', out, ...extra], {
    cwd: stage, encoding: 'utf8', timeout: 120_000,
  });
  // The same flags as `npm run package` (the project has no public repository URL yet).
  const r = attempt(['--allow-missing-repository', '--no-rewrite-relative-links']);
  const retried: string | undefined = undefined;
  const ms = performance.now() - t0;
  if (r.status !== 0) { return { size: null, ms, error: why(r), retried }; }
  const maps = (fs.readdirSync(path.join(stage, 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.map')).length;
  return { size: sizeOf(out), ms, retried, maps };
}

// ------------------------------------------------------------------ fidelity (issue 9)
/** Blocks this process's event loop (the host's) for `ms`: what a busy extension host does. */
function stallHost(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}

const contended = (run: Run) => {
  let n = 0;
  run.trace.scan((kind, _p, _v, _t, dur) => { if (kind === EventKind.LockWait && dur > CONTENDED_WAIT_NS) { n++; } });
  return n;
};

function sumLockWaitMs(run: Run): number {
  let ns = 0;
  run.trace.scan((kind, _p, _v, _t, dur) => { if (kind === EventKind.LockWait) { ns += dur; } });
  return ns / 1e6;
}

async function probe(extra: Partial<RunConfig>, stall?: { afterMs: number; ms: number }): Promise<Run> {
  const run = startRun({ config: { ...defaultConfig(), messageCount: 30, napMs: 20, seed: 11, runTimeoutSeconds: 600, ...extra }, workerDir: WORKER_DIR,
    ...(extra.engine === 'python' ? { python: { executable: PYTHON, script: PY_ENGINE } } : {}) });
  if (stall) { setTimeout(() => stallHost(stall.ms), stall.afterMs); }
  const s = await run.done;
  if (!s.ok) { throw new Error(`probe run failed: ${s.failure ?? s.invariant}`); }
  return run;
}

/** First program event of each shouter and hearer (its Start): the spread between the first and the last. */
function startSkewMs(run: Run): number {
  const starts: number[] = [];
  run.trace.scan((kind, proc, _v, t) => { if (kind === EventKind.Start && proc < run.processes.length && run.processes[proc].role !== 'queue') { starts.push(t); } });
  return (max(starts) - min(starts)) / 1e6;
}

async function fidelityRows(): Promise<void> {
  const reps = quick ? 3 : 5;
  // Replay of a traced 100k os flood: its wall time ÷ the original's.
  const replayRatios: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const orig = await runEngine(FLOOD_MESSAGES, true);
    const plan = replayPlanOf(orig.run.id, orig.run.config, orig.run.trace);
    const t0 = performance.now();
    const again = startRun({ config: { ...orig.run.config, seed: orig.run.seed, lockPolicy: 'replay' }, workerDir: WORKER_DIR, replay: plan });
    const s = await again.done;
    const ms = performance.now() - t0;
    if (!s.ok) { throw new Error(`replay failed: ${s.failure ?? s.invariant}`); }
    replayRatios.push(ms / orig.ms);
    progress(`replay of a 100k os flood: ${ms.toFixed(0)} ms vs ${orig.ms.toFixed(0)} ms original`);
  }
  row('replay.ratio', 'Replay of a traced 100k "os" flood: wall time ÷ the original run\'s', median(replayRatios), 'x', { cmp: '<=', value: 2 },
    `${replayRatios.length} pairs; the scheduler process enforces the kernel's order of 200,000 lock turns`, replayRatios);

  // Host stall: the bench process is the host; it blocks its own event loop for 400 ms mid-run.
  for (const policy of ['os', 'fifo', 'random'] as const) {
    const extra: number[] = [];
    for (let i = 0; i < reps; i++) {
      const calm = await probe({ lockPolicy: policy });
      const stalled = await probe({ lockPolicy: policy }, { afterMs: 100, ms: 400 });
      extra.push(sumLockWaitMs(stalled) - sumLockWaitMs(calm));
    }
    progress(`host stall, ${policy}: extra lock wait ${extra.map((x) => x.toFixed(1)).join(', ')} ms`);
    row(`stall.lockWait.${policy}`, `Host stall 400 ms mid-run (30 msgs, napMs 20): extra total lock wait, policy "${policy}"`, median(extra), 'ms', { cmp: '<=', value: 10 },
      `${reps} pairs (calm, stalled): ${extra.map((x) => x.toFixed(1)).join(', ')} ms`, extra);
  }

  // Start skew with the host stalled during the spawn (the ready frames arrive while it is blocked).
  const skews: number[] = [];
  for (let i = 0; i < reps; i++) {
    const run = startRun({ config: { ...defaultConfig(), messageCount: 30, napMs: 20, seed: 11 }, workerDir: WORKER_DIR });
    stallHost(300);
    const s = await run.done;
    if (!s.ok) { throw new Error(`skew run failed: ${s.failure ?? s.invariant}`); }
    skews.push(startSkewMs(run));
  }
  progress(`start skew: ${skews.map((x) => x.toFixed(2)).join(', ')} ms`);
  row('start.skew', 'Start skew: first program event of the first and last process, host stalled 300 ms during the spawn', median(skews), 'ms', { cmp: '<=', value: 10 },
    `${reps} runs: ${skews.map((x) => x.toFixed(2)).join(', ')} ms (the start gate opens for all at once)`, skews);

  // Contended acquisitions (a wait over 50 µs, counted alike in both engines), 10 seeds.
  if (HAVE_PY_ENGINE) {
    const node: number[] = [], py: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      node.push(contended(await probe({ seed })));
      py.push(contended(await probe({ seed, engine: 'python' })));
    }
    progress(`contended acquisitions: node ${node.join(' ')}, python ${py.join(' ')}`);
    row('lock.contended', 'Contended acquisitions per 30-msg run (wait > 50 µs): Node median − Python median', median(node) - median(py), '', { cmp: '<=', value: 3 },
      `10 seeds; Node ${node.join(' ')} (median ${median(node)}); Python ${py.join(' ')} (median ${median(py)})`, node);
  }
}

// ------------------------------------------------------------------ report rows
async function main(): Promise<void> {
  if (!fs.existsSync(path.join(WORKER_DIR, 'shouter.js'))) {
    throw new Error(`no workers in ${WORKER_DIR}: run \`node scripts/build.mjs\` first (npm run bench does).`);
  }
  const mach = machine();
  const started = Date.now();
  progress(`machine: ${mach.cpu}, ${mach.cores} cores, ${mach.ramGB} GB, node ${mach.node}, python ${mach.python}; reps ${REPS}${quick ? ' (quick)' : ''}`);

  // Warm-up (page cache, JIT of the host side), not counted.
  progress('warm-up');
  await runEngine(10_000, true);
  await runPython(10_000);

  // 1 + 2. Flood: ours traced, Python plain, ours untraced — interleaved, rotating who goes first.
  const ours: number[] = [], py: number[] = [], untraced: number[] = [], events: number[] = [];
  const tailTraced: number[] = [], tailUntraced: number[] = [];
  let lastTraced: Run | undefined;
  const pyEngine: number[] = [], pyEngineUntraced: number[] = [], pyEngineRecords: number[] = [];
  const kinds = HAVE_PY_ENGINE ? ['traced', 'python', 'untraced', 'pyEngine', 'pyEngineUntraced'] as const : ['traced', 'python', 'untraced'] as const;
  for (let rep = 0; rep < REPS; rep++) {
    for (let k = 0; k < kinds.length; k++) {
      const what = kinds[(k + rep) % kinds.length];
      if (what === 'python') { py.push((await runPython(FLOOD_MESSAGES)).ms); }
      else if (what === 'pyEngine') { const r = await runPyEngine(FLOOD_MESSAGES, true); pyEngine.push(r.ms); pyEngineRecords.push(r.records); }
      else if (what === 'pyEngineUntraced') { pyEngineUntraced.push((await runPyEngine(FLOOD_MESSAGES, false)).ms); }
      else {
        const r = await runEngine(FLOOD_MESSAGES, what === 'traced');
        (what === 'traced' ? ours : untraced).push(r.ms);
        (what === 'traced' ? tailTraced : tailUntraced).push(r.tailMs);
        if (what === 'traced') { events.push(r.run.trace.length); lastTraced = r.run; }
      }
    }
    progress(`flood rep ${rep + 1}/${REPS}: ours ${ours[rep].toFixed(0)} ms, python ${py[rep].toFixed(0)} ms, untraced ${untraced[rep].toFixed(0)} ms`
      + (HAVE_PY_ENGINE ? `, python engine ${pyEngine[rep].toFixed(0)} ms (untraced ${pyEngineUntraced[rep].toFixed(0)} ms)` : ''));
  }
  // What the end-of-run summary's scan of the trace costs (it runs after the last process exits).
  const metricsMs: number[] = [];
  for (let i = 0; lastTraced && i < 5; i++) {
    const t = performance.now();
    computeMetrics(lastTraced.trace, { shouters: 1, hearers: 1, messageCount: FLOOD_MESSAGES });
    metricsMs.push(performance.now() - t);
  }
  const rate = (ms: number) => FLOOD_MESSAGES / (ms / 1000);
  const oursRate = rate(median(ours));
  const pyRate = rate(median(py));
  // Ratio per interleaved pair, then the median: robust against drifting machine load.
  const pairRatios = ours.map((o, i) => py[i] / o);
  const traceRatios = ours.map((o, i) => o / untraced[i]);
  row('flood.ours', 'Flood 100k, our engine (traced, lock on)', oursRate, 'msgs/s', undefined,
    `median of ${REPS}: ${median(ours).toFixed(0)} ms (min ${min(ours).toFixed(0)}, max ${max(ours).toFixed(0)})`, ours);
  row('flood.python', 'Flood 100k, plain Python (multiprocessing)', pyRate, 'msgs/s', undefined,
    `median of ${REPS}: ${median(py).toFixed(0)} ms (min ${min(py).toFixed(0)}, max ${max(py).toFixed(0)})`, py);
  row('flood.ratio', 'Flood: ours ÷ Python (msgs/s), lock policy "os" (default)', median(pairRatios), 'x', { cmp: '>=', value: 1.5 },
    `median of the ${REPS} interleaved pairs' ratios, range ${min(pairRatios).toFixed(2)}–${max(pairRatios).toFixed(2)}; ratio of medians ${(oursRate / pyRate).toFixed(2)}×`, pairRatios);
  row('flood.untraced', 'Flood 100k, our engine untraced', rate(median(untraced)), 'msgs/s', undefined,
    `median of ${REPS}: ${median(untraced).toFixed(0)} ms`, untraced);
  row('trace.overhead', 'Tracing overhead: traced ÷ untraced time', median(traceRatios), 'x', { cmp: '<=', value: 1.10 },
    `median of per-pair ratios ${traceRatios.map((x) => x.toFixed(2)).join(', ')}; ratio of medians ${(median(ours) / median(untraced)).toFixed(2)}×; ${fmt(median(events))} events per 100k run; last output byte → done: ${median(tailTraced).toFixed(0)} ms traced, ${median(tailUntraced).toFixed(0)} ms untraced; computeMetrics over one traced run's trace: ${median(metricsMs).toFixed(0)} ms`, traceRatios);

  // 1b. The other lock policies that run unattended (manual and replay need a person or a
  // recording), each interleaved with the plain Python program; fewer repetitions (slow).
  const policies = (((defaultConfig() as unknown as Record<string, unknown>).lockPolicy !== undefined) ? ['fifo', 'random'] : []);
  const POLICY_REPS = quick ? 1 : 3;
  for (const policy of policies) {
    const mine: number[] = [], theirs: number[] = [];
    for (let rep = 0; rep < POLICY_REPS; rep++) {
      const pair = [async () => { mine.push((await runEngine(FLOOD_MESSAGES, true, { lockPolicy: policy } as Partial<RunConfig>)).ms); },
        async () => { theirs.push((await runPython(FLOOD_MESSAGES)).ms); }];
      if (rep % 2 === 1) { pair.reverse(); }
      for (const f of pair) { await f(); }
    }
    const ratios = mine.map((m, i) => theirs[i] / m);
    progress(`lock policy ${policy}: ${mine.map((x) => x.toFixed(0)).join(', ')} ms vs python ${theirs.map((x) => x.toFixed(0)).join(', ')} ms`);
    row(`flood.ratio.${policy}`, `Flood: ours ÷ Python, lock policy "${policy}"`, median(ratios), 'x', { cmp: '>=', value: 0.5 },
      `${POLICY_REPS} interleaved pairs; ours ${fmt(rate(median(mine)))} msgs/s (${median(mine).toFixed(0)} ms), Python ${median(theirs).toFixed(0)} ms; every line is its own grant from the run's scheduler process`, ratios);
  }

  await fidelityRows();

  // 3. Cold start: engine → first output byte, interleaved with a bare Node and a Python start.
  const cold: number[] = [], bareNode: number[] = [], pyCold: number[] = [];
  for (let i = 0; i < COLD_REPS; i++) {
    const order = i % 3;
    for (let k = 0; k < 3; k++) {
      const what = (k + order) % 3;
      if (what === 0) { cold.push(await coldStartEngine()); }
      else if (what === 1) { bareNode.push((await runProcess(process.execPath, ['-e', ''])).ms); }
      else { pyCold.push((await runPython(1)).firstByteMs); }
    }
  }
  progress(`cold start: engine ${median(cold).toFixed(1)} ms, bare node ${median(bareNode).toFixed(1)} ms, python ${median(pyCold).toFixed(1)} ms`);
  row('cold.engine', `Cold start: engine start → first output byte (median of ${COLD_REPS})`, median(cold), 'ms', { cmp: '<=', value: 100 },
    `min ${min(cold).toFixed(1)}, p90 ${percentile(cold, 90).toFixed(1)}`, cold);
  row('cold.node', 'Reference: bare `node -e ""` spawn → exit', median(bareNode), 'ms', undefined, undefined, bareNode);
  row('cold.python', 'Reference: plain Python program start → first output byte', median(pyCold), 'ms', undefined, undefined, pyCold);

  // 4 + 5. Host responsiveness and memory during one big run. The histogram records the
  // interval between 1 ms timer ticks, so the delay is that interval minus 1 ms. An idle
  // window of the same kind first shows what the machine alone does to the loop.
  const RES_MS = 1;
  const delay = (h: ReturnType<typeof monitorEventLoopDelay>, p: number) => Math.max(0, h.percentile(p) / 1e6 - RES_MS);
  const idle = monitorEventLoopDelay({ resolution: RES_MS });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  idle.disable();
  progress(`idle loop delay (2 s, no run): p50 ${delay(idle, 50).toFixed(1)} p99 ${delay(idle, 99).toFixed(1)} ms`);
  progress(`responsiveness: one ${fmt(BIG_MESSAGES)}-message run`);
  const h = monitorEventLoopDelay({ resolution: RES_MS });
  const heapBefore = process.memoryUsage();
  h.enable();
  const big = await runEngine(BIG_MESSAGES, true);
  h.disable();
  const heapAfter = process.memoryUsage();
  const p99 = delay(h, 99);
  const hmax = h.max / 1e6 - RES_MS;
  progress(`${fmt(BIG_MESSAGES)} run: ${big.ms.toFixed(0)} ms, loop delay p50 ${delay(h, 50).toFixed(1)} p99 ${p99.toFixed(1)} max ${hmax.toFixed(1)} ms`);
  row('host.p99', `Host event-loop delay p99 during a ${fmt(BIG_MESSAGES)}-message run`, p99, 'ms', { cmp: '<=', value: 20 },
    `p50 ${delay(h, 50).toFixed(1)} ms, p99.9 ${delay(h, 99.9).toFixed(1)} ms, max ${hmax.toFixed(1)} ms; run took ${(big.ms / 1000).toFixed(1)} s (${fmt(BIG_MESSAGES / (big.ms / 1000))} msgs/s)`);
  row('host.idle', 'Reference: same, 2 s idle (no run)', delay(idle, 99), 'ms', undefined,
    `p50 ${delay(idle, 50).toFixed(1)} ms, max ${(idle.max / 1e6 - RES_MS).toFixed(1)} ms: what other load on the machine does`);
  const trace = big.run.trace;
  row('mem.perEvent', 'Trace store bytes per event', trace.byteSize / trace.length, 'B', { cmp: '<=', value: 32 },
    `${fmt(trace.length)} events (${(trace.length / BIG_MESSAGES).toFixed(2)} per message) in ${(trace.byteSize / 2 ** 20).toFixed(1)} MB`);
  row('mem.transcript', `Transcript bytes (${fmt(BIG_MESSAGES)} messages)`, big.run.transcript.byteLength / 2 ** 20, 'MB', undefined,
    `${(big.run.transcript.byteLength / (2 * BIG_MESSAGES)).toFixed(1)} B per line + 4 B per line of index; host RSS ${(heapBefore.rss / 2 ** 20).toFixed(0)} → ${(heapAfter.rss / 2 ** 20).toFixed(0)} MB`);

  // 5b. Memory the host keeps: 25 large runs one after another through the extension's own
  // run store (its count limit and memory budget), measured after the last. Quick mode runs
  // smaller runs against a smaller budget, so that the budget is reached there too.
  const KEPT_MESSAGES = BIG_MESSAGES;
  const budget = quick ? 64 * 2 ** 20 : KEPT_BYTES_BUDGET;
  progress(`kept runs: 25 runs of ${fmt(KEPT_MESSAGES)} messages through the run store (budget ${(budget / 2 ** 20).toFixed(0)} MiB)`);
  const store = new RunStore(KEEP_RUNS, budget);
  let droppedForBudget = 0;
  store.onDidChange((c) => { droppedForBudget += c.dropped.filter((d) => d.reason === 'budget').length; });
  let largest = 0;
  for (let i = 0; i < 25; i++) {
    const r = await runEngine(KEPT_MESSAGES, true);
    store.add(sourceOfRun(r.run), r.run);
    store.ended(r.run.id, r.summary);
    largest = Math.max(largest, r.run.trace.byteSize + r.run.transcript.byteLength);
  }
  global.gc?.();
  const keptBytes = store.keptBytes();
  row('mem.keptRuns', `Host memory of kept runs (trace + transcript) after 25 runs of ${fmt(KEPT_MESSAGES)} messages`, keptBytes / 2 ** 20, 'MB',
    { cmp: '<=', value: budget / 2 ** 20 },
    `${store.all().length} runs kept, ${droppedForBudget} dropped for the budget (largest run ${(largest / 2 ** 20).toFixed(0)} MB); host RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);

  // 6. Timeline: its own benchmark (headless Chromium, out/bench/timelineBench.js) if it is
  // built; it runs after ours, alone, and its table is printed below ours.
  const timelineJs = path.join(ROOT, 'out', 'bench', 'timelineBench.js');
  let timeline: { exitCode: number | null; seconds: number; output: string } | undefined;
  if (fs.existsSync(timelineJs) && !noTimeline) {
    progress('timeline benchmark (out/bench/timelineBench.js --sizes 1e6,5e6)');
    const t = performance.now();
    const r = spawnSync(process.execPath, [timelineJs, '--sizes', '1e6,5e6'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    timeline = { exitCode: r.status, seconds: Math.round((performance.now() - t) / 1000), output: `${r.stdout}${r.status === 0 ? '' : r.stderr}`.trim() };
  }
  const timelineNote = timeline ? (timeline.exitCode === 0 ? 'see the timeline table below' : `timeline benchmark failed (exit ${timeline.exitCode}), see below`)
    : fs.existsSync(timelineJs) ? 'run `npm run bench:timeline`' : 'no timeline benchmark yet';
  for (const n of ['1e6', '5e6']) {
    for (const what of ['load', 'frame']) {
      const r = row(`timeline.${what}.${n}`, `Timeline ${what}, ${n} events`, null, 'ms', undefined, timelineNote);
      if (timeline?.exitCode === 0) { r.shown = 'below'; }
    }
  }
  if (HAVE_PY_ENGINE) {
    const r = pyEngine.map((x, i) => x / py[i]);
    const ru = pyEngineUntraced.map((x, i) => x / py[i]);
    row('python.engine', 'Python engine (python/shout_hear.py) traced ÷ plain program, flood 100k', median(r), 'x', undefined,
      `no target in issue 6 (ours: ≤ 1.10× for tracing); per-pair ratios ${r.map((x) => x.toFixed(2)).join(', ')}; engine traced ${median(pyEngine).toFixed(0)} ms, `
      + `untraced ${median(pyEngineUntraced).toFixed(0)} ms (${median(ru).toFixed(2)}× plain); ${fmt(median(pyEngineRecords))} events; run directly, not through the host`, r);
  } else {
    row('python.engine', 'Python engine traced ÷ plain program', null, 'x', undefined, 'no Python engine yet');
  }

  // 6b. A user's own program traced through traceFile's engine (issue 14), ÷ the same file plain.
  try {
    progress('traced user program (test/fixtures/scripts/lesson.py, 100k messages)');
    const sb = await benchScript(ROOT, PYTHON, FLOOD_MESSAGES, quick ? 1 : 3, progress);
    row('script.traced', 'Your own program: lesson.py traced via traceFile ÷ run plain, 100k', sb.ratio, 'x', { cmp: '<=', value: 1.3 },
      `per-rep ratios ${sb.tracedMs.map((t, i) => (t / sb.plainMs[i]).toFixed(2)).join(', ')}; traced ${median(sb.tracedMs).toFixed(0)} ms, plain (pipe) `
      + `${median(sb.plainMs).toFixed(0)} ms; ÷ plain line-buffered (as in a terminal, ${median(sb.lineBufferedMs).toFixed(0)} ms): ${sb.ratioLineBuffered.toFixed(2)}×; `
      + `tracer alone (spool written, nobody reading) ${median(sb.tracerOnlyMs).toFixed(0)} ms; ${fmt(sb.events)} events; host CPU per traced run ${sb.hostCpuMs.toFixed(0)} ms; last output → result ${sb.tailMs.toFixed(0)} ms (the program's own exit)`, sb.tracedMs.map((t, i) => t / sb.plainMs[i]));
  } catch (err) {
    row('script.traced', 'Your own program traced ÷ plain, 100k', null, 'x', { cmp: '<=', value: 1.3 }, `failed: ${(err as Error).message}`);
  }

  // 7. Sizes.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-bench-'));
  try {
    const devExt = sizeOf(path.join(ROOT, 'dist', 'extension.js'));
    const prodExt = await productionExtensionSize(tmp);
    row('size.extension', 'Extension bundle, production (minified)', prodExt === null ? null : prodExt / 1024, 'KB', { cmp: '<=', value: 150 },
      `dist/extension.js as built for development: ${devExt === null ? 'missing' : `${(devExt / 1024).toFixed(1)} KB`}`);
    let vsix: number | null = null;
    let vsixNote = '';
    if (!noVsix) {
      progress('packaging a production .vsix in a temp copy of the tree');
      const p = packageVsix(tmp);
      vsix = p.size;
      vsixNote = p.error ? `vsce failed: ${p.error}` : `production build + vsce in a temp copy of the tree, ${(p.ms / 1000).toFixed(1)} s; ${p.maps} source maps in its dist/`;
      if (p.retried) { vsixNote += `; plain \`vsce package\` failed (${p.retried}), measured with placeholder --baseContentUrl/--baseImagesUrl`; }
    }
    const existing = path.join(ROOT, 'shout-hear.vsix');
    if (vsix === null && sizeOf(existing) !== null) {
      vsix = sizeOf(existing);
      vsixNote = `${vsixNote ? `${vsixNote}; ` : ''}existing shout-hear.vsix of ${fs.statSync(existing).mtime.toISOString()}`;
    }
    row('size.vsix', '.vsix package', vsix === null ? null : vsix / 1024, 'KB', { cmp: '<=', value: 600 }, vsixNote || 'not packaged');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Report.
  const result = {
    machine: { ...mach, loadavgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    quick, reps: REPS, coldReps: COLD_REPS, floodMessages: FLOOD_MESSAGES, bigMessages: BIG_MESSAGES,
    date: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000),
    rows,
    ...(timeline ? { timeline } : {}),
    liveWorkersAfter: liveWorkerCount(),
  };
  printTable(result);
  if (timeline) { process.stdout.write(`\nTimeline benchmark (out/bench/timelineBench.js --sizes 1e6,5e6, ${timeline.seconds} s, exit ${timeline.exitCode}):\n${timeline.output}\n`); }
  if (json) { process.stdout.write(`${JSON.stringify(result)}\n`); }
}

function printTable(result: { machine: ReturnType<typeof machine> & { loadavgAtEnd: number[] }; quick: boolean; reps: number; date: string; seconds: number }): void {
  const m = result.machine;
  const out: string[] = [];
  out.push(`Shout/Hear benchmark — ${result.date}${result.quick ? ' (--quick)' : ''}, ${result.reps} interleaved repetitions, ${result.seconds} s`);
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM, ${m.os}; Node ${m.node}; Python ${m.python}; load average ${m.loadavgAtStart.join('/')} → ${m.loadavgAtEnd.join('/')}`);
  out.push('');
  const header = ['Benchmark', 'Measured', 'Target', 'Result', 'Notes'];
  const body = rows.map((r) => [r.name, showValue(r), showTarget(r), showResult(r), r.note ?? '']);
  out.push(`| ${header.join(' | ')} |`);
  out.push(`|${header.map((_, i) => (i === 1 || i === 2 ? '---:' : '---')).join('|')}|`);
  for (const b of body) { out.push(`| ${b.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`); }
  const missed = rows.filter((r) => r.pass === false);
  out.push('');
  out.push(missed.length === 0 ? 'All measured targets met.' : `Missed: ${missed.map((r) => `${r.id} (${showValue(r)} vs ${showTarget(r)})`).join('; ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().then(
  () => { process.exitCode = 0; },
  (err: Error) => { process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`); process.exitCode = 1; },
);
