/**
 * The benchmark's options (command-line flags) and paths, and its progress line on stderr:
 * shared by every group of rows.
 */
import * as fs from 'fs';
import * as path from 'path';

export const argv = process.argv.slice(2);
export const json = argv.includes('--json');
export const quick = argv.includes('--quick');
export const noVsix = argv.includes('--no-vsix');
export const noTimeline = argv.includes('--no-timeline') || quick;
export const repsArg = argv.indexOf('--reps');
export const REPS = repsArg >= 0 ? Math.max(1, Number(argv[repsArg + 1]) | 0) : quick ? 3 : 5;
export const COLD_REPS = quick ? 8 : 20;
export const FLOOD_MESSAGES = 100_000;
export const BIG_MESSAGES = quick ? 200_000 : 1_000_000;

export const ROOT = findRoot();
export const WORKER_DIR = path.join(ROOT, 'dist', 'workers');
export const PY_FIXTURE = path.join(ROOT, 'bench', 'fixtures', 'lesson_plain.py');
export const PYTHON = process.env.PYTHON ?? 'python3';
export const PY_ENGINE = path.join(ROOT, 'python', 'shout_hear.py');
export const HAVE_PY_ENGINE = fs.existsSync(PY_ENGINE);

function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'bench', 'fixtures'))) { return dir; }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** Progress goes to stderr so that stdout holds only the table (or the JSON). */
export function progress(msg: string): void { process.stderr.write(`[bench] ${msg}\n`); }
