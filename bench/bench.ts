/**
 * `npm run bench` (never part of `npm test`): compares side by side in one invocation,
 * interleaved (A B A B…), medians over several repetitions, and prints a table with the
 * target beside every figure. Flags: `--json` (one JSON object on the last line), `--quick`
 * (fewer repetitions, smaller responsiveness run, no timeline), `--reps N`, `--no-vsix` (skip
 * packaging), `--no-timeline` (skip running the timeline benchmark if it is built).
 *
 * Run it after `node scripts/build.mjs` (the npm script does that): it uses the bundled
 * workers in dist/workers and the plain Python program in bench/fixtures. The rows live in
 * bench/rows/, one group per file; this file runs them in order and prints the report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { liveWorkerCount } from '../src/engine/run';
import { BIG_MESSAGES, COLD_REPS, FLOOD_MESSAGES, REPS, WORKER_DIR, json, progress, quick } from './env';
import { machine, printTable, rows } from './report';
import { runEngine, runPython } from './runners';
import { scriptRows, timelineRows } from './rows/external';
import { fidelityRows } from './rows/fidelity';
import { floodRows } from './rows/flood';
import { hostRows } from './rows/host';
import { sizeRows } from './rows/sizes';

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

  await floodRows();
  await fidelityRows();
  await hostRows();
  const timeline = timelineRows();
  await scriptRows();
  await sizeRows();

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

main().then(
  () => { process.exitCode = 0; },
  (err: Error) => { process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`); process.exitCode = 1; },
);
