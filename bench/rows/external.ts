/**
 * Rows measured by the other benchmarks: the timeline's (headless Chromium, run after ours,
 * alone; its table is printed below ours) and a user's own program traced (issue 14).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { FLOOD_MESSAGES, PYTHON, ROOT, noTimeline, progress, quick } from '../env';
import { row } from '../report';
import { benchScript } from '../scriptBench';
import { fmt, median } from '../stats';

export interface TimelineResult { exitCode: number | null; seconds: number; output: string }

export function timelineRows(): TimelineResult | undefined {
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
  return timeline;
}

export async function scriptRows(): Promise<void> {
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

}
