/**
 * The scheduler process of a run whose lock policy is fifo, random, manual or replay: it holds
 * the print lock's decisions, so they never wait on the extension host's event loop. Each
 * shouter and hearer talks to it directly over its own socketpair (fd 7 + lane): one byte to
 * ask (SCHED_REQUEST), one to release (SCHED_RELEASE); it answers SCHED_GRANT to the process
 * the policy picks (LockArbiter). Grants are traced on the scheduler's lane.
 *
 * The host only observes: with policy "manual" this process reports who holds and who waits
 * (LockState frames) and takes the user's choice from the host (GrantTo frames).
 * A process that breaks the protocol (asks twice, releases what it does not hold, sends a byte
 * that means nothing) fails the run: a Fault naming it and what it did, then exit EXIT_FAULT.
 */
import * as net from 'net';
import { LockArbiter, type LockAction } from '../engine/lockArbiter';
import { EventKind, SCHEDULER_PROC } from '../protocol/events';
import type { WorkerConfig } from '../protocol/run';
import type { HostToWorker } from '../protocol/wire';
import { SCHED_GRANT, SCHED_RELEASE, SCHED_REQUEST, WorkerRuntime, readWorkerConfig } from './runtime';

const FIRST_CLIENT_FD = 7;

interface SchedulerConfig extends WorkerConfig {
  policy: 'fifo' | 'random' | 'manual' | 'replay';
  /** replay: how many lock turns the plan has (the lanes arrive in Plan frames). */
  grantsLength?: number;
  /** Lane names, for messages. */
  names: string[];
}

async function main(): Promise<void> {
  const config = readWorkerConfig() as SchedulerConfig;
  const rt = new WorkerRuntime({ ...config, proc: SCHEDULER_PROC });
  let onHost: (frame: HostToWorker) => void = () => {};
  const grants = await rt.receivePlan(config.grantsLength ?? 0, (f) => onHost(f));
  const lock = new LockArbiter({ policy: config.policy, seed: config.seed, plan: Array.from(grants) });
  const lanes = config.shouters + config.hearers;
  const sockets: net.Socket[] = [];
  const grantByte = Buffer.from([SCHED_GRANT]);
  let open = lanes;
  let failed = false;
  const manual = config.policy === 'manual';

  const report = (error?: string) => {
    if (!manual) { return; }
    rt.send({ type: 'lockState', state: { holder: lock.currentHolder ?? null, waiting: [...lock.waiting], ...(error ? { error } : {}) } });
  };
  const apply = (actions: LockAction[]) => {
    for (const a of actions) {
      if (a.type !== 'grant') { continue; }
      rt.record(EventKind.Grant, 0, rt.now(), 0, a.proc);
      sockets[a.proc]?.write(grantByte);
    }
  };
  const fail = (message: string) => {
    if (failed) { return; }
    failed = true;
    for (const s of sockets) { s.destroy(); }
    void rt.fail(message);
  };
  const name = (lane: number) => config.names[lane] ?? `process ${lane}`;

  for (let lane = 0; lane < lanes; lane++) {
    const socket = new net.Socket({ fd: FIRST_CLIENT_FD + lane, readable: true, writable: true });
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (failed) { return; }
        try {
          if (byte === SCHED_REQUEST) { apply(lock.request(lane)); } else if (byte === SCHED_RELEASE) { apply(lock.release(lane)); } else {
            throw new Error(`sent byte ${byte}, which means nothing to the scheduler (1 asks for the lock, 2 releases it)`);
          }
        } catch (err) {
          const what = (err as Error).message.replace(/^process \d+ /, '');
          return fail(`the ${name(lane)} broke the lock protocol: it ${what}`);
        }
      }
      report();
    });
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', () => {
      if (failed) { return; }
      apply(lock.gone(lane));
      report();
      if (--open === 0) { void rt.finish(); }
    });
  }

  // Manual grants from the host (the user is the scheduler).
  onHost = (frame: HostToWorker) => {
    if (frame.type !== 'grantTo') { return; }
    try {
      apply(lock.grantTo(frame.proc));
      report();
    } catch (err) {
      // A grant that raced with the run (the lock was taken, the process went): said, not fatal.
      report((err as Error).message.replace(/process (\d+)/g, (_m, p: string) => `the ${name(Number(p))}`));
    }
  };
  rt.passStartGate();
}

void main();
