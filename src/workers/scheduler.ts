/**
 * The scheduler process of a run whose lock policy is fifo, random, manual or replay: it holds
 * the print lock's decisions, so they never wait on the extension host's event loop. It is one
 * blocking loop with no event loop: it reads request bytes from the run's request FIFO (every
 * worker writes into it; see schedulerWire.ts), applies the policy (LockArbiter) to a whole
 * batch at once, and writes each grant as one byte on the chosen lane's grant FIFO. Grants are
 * traced on the scheduler's lane.
 *
 * The host only observes: with policy "manual" this process reports who holds and who waits
 * (LockState frames) and the host relays the user's choice as a GrantTo byte in the same FIFO;
 * the host also says when a lane's process exited (Gone), so a crash frees the lock.
 * A process that breaks the protocol (asks twice, releases what it does not hold, sends a byte
 * that means nothing) fails the run: a Fault naming it and what it did, then exit EXIT_FAULT.
 */
import * as fs from 'fs';
import { LockArbiter, type LockAction } from '../engine/lockArbiter';
import { EventKind, SCHEDULER_PROC } from '../protocol/events';
import type { WorkerConfig } from '../protocol/run';
import { readWorkerConfig } from './runtime';
import {
  SCHED_FIRST_GRANT_FD, SCHED_GRANT, SCHED_GRANT_MORE, SCHED_REQUESTS_FD, SchedOp, schedLane, schedOp,
} from './schedulerWire';
import { SyncChannel, readBlocking } from './syncChannel';

/** At most this many turns granted ahead (well inside a FIFO's 64 KiB). */
const PREGRANT_MAX = 1024;

interface SchedulerConfig extends WorkerConfig {
  policy: 'fifo' | 'random' | 'manual' | 'replay';
  /** replay: how many lock turns the plan has (the lanes arrive in Plan frames). */
  grantsLength?: number;
  /** Lane names, for messages. */
  names: string[];
}

function main(): void {
  const config = readWorkerConfig() as SchedulerConfig;
  const ch = new SyncChannel({ ...config, proc: SCHEDULER_PROC });
  const grants = ch.receivePlan(config.grantsLength ?? 0);
  const lanes = config.shouters + config.hearers;
  const lock = new LockArbiter({ policy: config.policy, seed: config.seed, plan: Array.from(grants) });
  const done = new Array<boolean>(lanes).fill(false);
  let open = lanes;
  const manual = config.policy === 'manual';
  /**
   * replay: when the plan gives a lane several turns in a row (a kernel lock's releaser winning
   * it back), they are granted at once — SCHED_GRANT_MORE for each but the last, SCHED_GRANT for
   * the last: nobody else may print before they are used, and the lane takes them one a line
   * without asking or releasing in between (one hold, ended by the last turn's release).
   */
  const grantBytes = Buffer.alloc(PREGRANT_MAX + 1, SCHED_GRANT_MORE);
  const plan = Array.from(grants);
  const name = (lane: number) => config.names[lane] ?? `process ${lane}`;

  const report = (error?: string) => {
    ch.send({ type: 'lockState', state: { holder: lock.currentHolder ?? null, waiting: [...lock.waiting], ...(error ? { error } : {}) } });
  };
  const apply = (actions: LockAction[]) => {
    for (const a of actions) {
      if (a.type !== 'grant') { continue; }
      const t = ch.now();
      let extra = 0;
      if (config.policy === 'replay') {
        // lock.grants already counts this grant: plan[lock.grants] is the turn after it.
        while (extra < PREGRANT_MAX && plan[lock.grants + extra] === a.proc) { extra++; }
        lock.holdPlannedTurns(extra);
      }
      for (let i = 0; i <= extra; i++) { ch.record(EventKind.Grant, 0, t, 0, a.proc); }
      grantBytes[extra] = SCHED_GRANT;
      // EPIPE: the lane's process is gone (its Gone byte follows); nobody to grant to.
      try { fs.writeSync(SCHED_FIRST_GRANT_FD + a.proc, grantBytes, 0, 1 + extra); } catch { /* see above */ }
      grantBytes[extra] = SCHED_GRANT_MORE;
    }
  };
  const leave = (lane: number) => {
    if (done[lane]) { return; }
    done[lane] = true;
    open--;
    apply(lock.gone(lane));
  };
  /** One byte from the FIFO; a byte that breaks the protocol throws, naming the lane. */
  const handle = (byte: number): string | undefined => {
    const lane = schedLane(byte);
    if (lane >= lanes) { return `a process sent byte ${byte}, which names no process of this run`; }
    try {
      switch (schedOp(byte)) {
        case SchedOp.Request: apply(lock.request(lane)); break;
        case SchedOp.Release: apply(lock.release(lane)); break;
        case SchedOp.Done:
        case SchedOp.Gone: leave(lane); break;
        case SchedOp.GrantTo:
          try { apply(lock.grantTo(lane)); } catch (err) {
            // A grant that raced with the run (the lock was taken, the process went): said, not fatal.
            report((err as Error).message.replace(/process (\d+)/g, (_m, p: string) => `the ${name(Number(p))}`));
          }
          break;
        default: throw new Error(`sent byte ${byte}, which means nothing to the scheduler`);
      }
    } catch (err) {
      return `the ${name(lane)} broke the lock protocol: it ${(err as Error).message.replace(/^process \d+ /, '')}`;
    }
    return undefined;
  };

  ch.passStartGate();
  const buf = Buffer.alloc(4096);
  while (open > 0) {
    ch.flushIfStale();
    const n = readBlocking(SCHED_REQUESTS_FD, buf);
    if (n === 0) { break; } // every writer is gone (the host too): nothing can ask any more
    for (let i = 0; i < n; i++) {
      const broke = handle(buf[i]);
      if (broke) { ch.fail(broke); }
    }
    if (manual) { report(); }
  }
  ch.finish();
}

main();
