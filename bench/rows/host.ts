/**
 * Rows: what the host feels — cold start beside a bare Node and a Python start, the host's
 * event-loop delay and memory during one big run, and the memory of kept runs through the
 * extension's own run store (its count limit and budget).
 */
import { monitorEventLoopDelay } from 'perf_hooks';
import { KEEP_RUNS, KEPT_BYTES_BUDGET, RunStore } from '../../src/host/runStore';
import { sourceOfRun } from '../../src/views/timeline/source';
import { BIG_MESSAGES, COLD_REPS, progress, quick } from '../env';
import { row } from '../report';
import { coldStartEngine, runEngine, runProcess, runPython } from '../runners';
import { fmt, median, min, percentile } from '../stats';

export async function hostRows(): Promise<void> {
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

}
