/**
 * A shouter process: for i = 1..messageCount, decide whether to nap, print "Shout: i" through
 * the lock, put i on the queue, nap if it decided to; then put the "done" sentinel (or, with
 * several shouters or hearers, tell the queue process it is done: it puts one per hearer).
 */
import { EventKind, SENTINEL } from '../protocol/events';
import { shoutLine } from '../protocol/lines';
import { PyRandom } from '../shared/pyRandom';
import { openShouterQueue } from './queueClient';
import { WorkerRuntime, readWorkerConfig, runProgram } from './runtime';

async function main(): Promise<void> {
  const rt = new WorkerRuntime(readWorkerConfig());
  const { config } = rt;
  const queue = openShouterQueue(rt);
  rt.passStartGate();
  rt.record(EventKind.Start, process.pid, rt.now());
  // Shouter k draws from random.Random(seed + k), exactly as the Python engine does.
  const rng = new PyRandom(config.seed + config.index);
  for (let i = 1; i <= config.messageCount; i++) {
    const nap = rng.random() < config.napProbability;
    const printing = rt.lprint(shoutLine(config.shouters, config.hearers, config.index, i), i);
    if (printing) { await printing; }
    const putting = queue.put(i);
    if (putting) { await putting; }
    if (nap) {
      const t = rt.now();
      await new Promise((resolve) => setTimeout(resolve, config.napMs));
      rt.record(EventKind.Nap, i, t, rt.now() - t);
    }
  }
  if (config.queue === 'broker' && (config.shouters > 1 || config.hearers > 1)) { queue.done(); } else { await queue.put(SENTINEL); }
  await queue.close();
  await rt.finish();
}

runProgram(main);
