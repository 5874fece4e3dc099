/**
 * A hearer process: get from the queue (blocking while it is empty) and print "Hear: <msg>"
 * through the lock, until the "done" sentinel arrives (not printed).
 */
import { EventKind, SENTINEL } from '../protocol/events';
import { hearLine } from '../protocol/lines';
import { EXIT_PEER_GONE } from '../protocol/wire';
import { openHearerQueue } from './queueClient';
import { WorkerRuntime, readWorkerConfig, runProgram } from './runtime';

async function main(): Promise<void> {
  const rt = new WorkerRuntime(readWorkerConfig());
  const { config } = rt;
  const queue = openHearerQueue(rt);
  rt.passStartGate();
  rt.record(EventKind.Start, process.pid, rt.now());
  for (;;) {
    const next = queue.get();
    const msg = next instanceof Promise ? await next : next;
    if (!msg) { return void rt.fail('get failed: the queue closed before "done" arrived; the shouter is gone', EXIT_PEER_GONE); }
    if (msg.value === SENTINEL) { break; }
    const printing = rt.lprint(hearLine(config.shouters, config.hearers, config.index, msg.shouter, msg.value), msg.value);
    if (printing) { await printing; }
  }
  await rt.finish();
}

runProgram(main);
