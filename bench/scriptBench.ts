/**
 * Issue 14's benchmark: the lesson's program as a learner types it (test/fixtures/scripts/lesson.py,
 * `print` without flush, `random.choice` naps of 0 s), 100,000 messages, wall time traced through
 * the host's traceFile path (ScriptRun: the bootstrap, the spool tailed and decoded into the trace
 * store, the output drained as the host does) ÷ the same file run plain (stdout to a pipe), and
 * ÷ the same file run plain but line-buffered as in a terminal (what tracing also guarantees).
 * Interleaved A B C, medians. Run by `npm run bench`; alone: `node out/bench/scriptBench.js [--reps N] [--messages N]`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { spawn } from 'child_process';
import { ScriptRun } from '../src/engine/scriptRun';
import { median } from './stats';

export interface ScriptBenchResult {
  messages: number;
  reps: number;
  tracedMs: number[];
  plainMs: number[];
  lineBufferedMs: number[];
  /** The tracer alone: trace_program.py writing its spool, nobody reading it (no host). */
  tracerOnlyMs: number[];
  events: number;
  /** Median of per-rep ratios traced ÷ plain (pipe) and traced ÷ plain line-buffered. */
  ratio: number;
  ratioLineBuffered: number;
  /** Traced run: from the program's last output to the result (its processes' exit, the last spool reads, the summary). */
  tailMs: number;
  /** CPU the host (this process: tailing and decoding the spool, draining the output, summarizing) spent per traced run. */
  hostCpuMs: number;
}

function plain(python: string, args: string[], cwd: string, expectLines: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let lines = 0;
    const child = spawn(python, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => { for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) { lines++; } });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || lines !== expectLines) { reject(new Error(`plain run: exit ${code}, ${lines} lines (expected ${expectLines})`)); return; }
      resolve(performance.now() - t0);
    });
  });
}

export async function benchScript(root: string, python: string, messages: number, reps: number, progress: (m: string) => void): Promise<ScriptBenchResult> {
  const file = path.join(root, 'test', 'fixtures', 'scripts', 'lesson.py');
  const cwd = path.dirname(file);
  const lineBuffered = ['-c', 'import runpy, sys; sys.stdout.reconfigure(line_buffering=True); '
    + `sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")`, file, String(messages), '0'];
  const out: ScriptBenchResult = { messages, reps, tracedMs: [], plainMs: [], lineBufferedMs: [], tracerOnlyMs: [], events: 0, ratio: NaN, ratioLineBuffered: NaN, tailMs: NaN, hostCpuMs: NaN };
  const hostCpu: number[] = [];
  const tails: number[] = [];
  for (let i = 0; i < reps; i++) {
    let lines = 0;
    let lastByte = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const run = new ScriptRun({
      python, bootstrap: path.join(root, 'python', 'trace_program.py'), file, args: [String(messages), '0'], runTimeoutSeconds: 3600,
      onOutput: (text) => { lastByte = performance.now(); for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) { lines++; } },
    });
    const r = await run.done;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    hostCpu.push((cpu.user + cpu.system) / 1000);
    if (!r.ok || lines !== 2 * messages || !r.queues[0]?.exactlyOnce) { throw new Error(`traced run: ${r.failure ?? 'not ok'}, ${lines} lines`); }
    out.tracedMs.push(ms);
    out.events = r.events;
    tails.push(t0 + ms - lastByte);
    out.plainMs.push(await plain(python, [file, String(messages), '0'], cwd, 2 * messages));
    out.lineBufferedMs.push(await plain(python, lineBuffered, cwd, 2 * messages));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-bench-spool-'));
    try {
      out.tracerOnlyMs.push(await plain(python, [path.join(root, 'python', 'trace_program.py'), '--trace-dir', dir, '--t0', '0', '--', file, String(messages), '0'], cwd, 2 * messages));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    progress(`script ${i + 1}/${reps}: traced ${ms.toFixed(0)} ms, plain ${out.plainMs[i].toFixed(0)} ms, line-buffered ${out.lineBufferedMs[i].toFixed(0)} ms, tracer alone ${out.tracerOnlyMs[i].toFixed(0)} ms`);
  }
  out.ratio = median(out.tracedMs.map((t, i) => t / out.plainMs[i]));
  out.ratioLineBuffered = median(out.tracedMs.map((t, i) => t / out.lineBufferedMs[i]));
  out.tailMs = median(tails);
  out.hostCpuMs = median(hostCpu);
  return out;
}

// Alone only: bench.ts bundles this file too (there `module` is bench.js's own).
if (path.basename(process.argv[1] ?? '') === 'scriptBench.js') {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
  const root = path.resolve(__dirname, '..', '..');
  benchScript(root, process.env.PYTHON ?? 'python3', opt('--messages', 100_000), opt('--reps', 3), (m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => { console.log(JSON.stringify(r)); },
    (err: unknown) => { console.error(err); process.exitCode = 1; },
  );
}
