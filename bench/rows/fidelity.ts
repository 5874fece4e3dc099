/**
 * Rows of issue 9 (the program, not the editor): replay of a traced flood, the host stalled
 * mid-run and during the spawn, and contended lock acquisitions beside the Python engine.
 */
import { performance } from 'perf_hooks';
import { replayPlanOf } from '../../src/engine/replay';
import { startRun, type Run } from '../../src/engine/run';
import { CONTENDED_WAIT_NS, EventKind } from '../../src/protocol/events';
import type { RunConfig } from '../../src/protocol/run';
import { defaultConfig } from '../../src/shared/config';
import { FLOOD_MESSAGES, HAVE_PY_ENGINE, PYTHON, PY_ENGINE, WORKER_DIR, progress, quick } from '../env';
import { row } from '../report';
import { runEngine } from '../runners';
import { max, median, min } from '../stats';

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

export async function fidelityRows(): Promise<void> {
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
