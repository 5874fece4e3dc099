/**
 * The shouter process: for i = 1..messageCount, decide whether to nap, print "Shout: i"
 * through the lock, put i on the queue, nap if it decided to; then put the "done" sentinel.
 */
import * as net from 'net';
import { EXIT_PEER_GONE, EventKind, QUEUE_ITEM_BYTES, SENTINEL } from '../protocol';
import { PyRandom } from '../shared/pyRandom';
import { WorkerRuntime, readWorkerConfig } from './runtime';

const QUEUE_FD = 3;
/** Past this many unsent bytes the shouter waits for the pipe to drain (memory bound, not a queue limit). */
const QUEUE_BUFFER_LIMIT = 1 << 20;

async function main(): Promise<void> {
  const rt = new WorkerRuntime(readWorkerConfig());
  const { config } = rt;
  rt.record(EventKind.Start, process.pid, rt.now());
  const queue = new net.Socket({ fd: QUEUE_FD, readable: false, writable: true });
  queue.on('error', (err: NodeJS.ErrnoException) => {
    void rt.fail(`put failed: the queue is closed (${err.code ?? err.message}); the hearer is gone`, EXIT_PEER_GONE);
  });

  const put = async (value: number): Promise<void> => {
    const item = Buffer.allocUnsafe(QUEUE_ITEM_BYTES);
    item.writeInt32LE(value, 0);
    item.writeInt32LE(config.index, 4);
    rt.record(EventKind.Put, value, rt.now(), 0, config.index);
    if (!queue.write(item) && queue.writableLength > QUEUE_BUFFER_LIMIT) {
      await new Promise((resolve) => queue.once('drain', resolve));
    }
  };

  // Shouter k draws from random.Random(seed + k), exactly as the Python engine does.
  const rng = new PyRandom(config.seed + config.index);
  for (let i = 1; i <= config.messageCount; i++) {
    const nap = rng.random() < config.napProbability;
    await rt.lprint(`Shout: ${i}`, i);
    await put(i);
    if (nap) {
      const t = rt.now();
      await new Promise((resolve) => setTimeout(resolve, config.napMs));
      rt.record(EventKind.Nap, i, t, rt.now() - t);
    }
  }
  await put(SENTINEL);
  await new Promise<void>((resolve) => queue.end(resolve));
  await rt.finish();
}

void main();
