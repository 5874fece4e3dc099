/**
 * The decisions of the run's scheduler process (src/workers/scheduler.ts): who holds the print
 * lock, who waits, and whom to grant it to next. Pure (no I/O): the scheduler applies the actions
 * it returns, and tests drive it directly. A request or release that breaks the protocol throws;
 * the scheduler turns that into the run's failure, naming the process.
 *
 * Policies (see LockPolicy):
 * - fifo: every line is its own grant (workers release after each line), in request order.
 * - random: every line its own grant, to a waiter drawn by a seeded generator.
 * - manual: every line its own grant, to whichever waiter the user picks (`grantTo`).
 * - replay: every line its own grant, in the order of a recorded plan.
 * - os: decided by the kernel (a token pipe), not here; the mutex-like lease below (a holder keeps
 *   the lock until asked to hand it over) remains for the unit tests of this class only.
 */
import type { LockPolicy } from '../protocol/run';
import { PyRandom } from '../shared/pyRandom';

export type LockAction = { type: 'grant'; proc: number } | { type: 'revoke'; proc: number };

export interface LockArbiterOptions {
  policy?: LockPolicy;
  /** random: the seed of the choices. */
  seed?: number;
  /** replay: the process to grant each successive turn to. */
  plan?: readonly number[];
}

export class LockArbiter {
  readonly policy: LockPolicy;
  private holder: number | undefined;
  private revoked = false;
  private readonly waiters: number[] = [];
  private readonly rng: PyRandom | undefined;
  private readonly plan: readonly number[];
  grants = 0;

  constructor(options: LockArbiterOptions = {}) {
    this.policy = options.policy ?? 'os';
    this.rng = this.policy === 'random' ? new PyRandom(options.seed ?? 0) : undefined;
    this.plan = options.plan ?? [];
  }

  /** Whether workers keep the lock between lines (only a mutex-like policy lets them). */
  get holderKeepsLock(): boolean { return this.policy === 'os'; }

  get currentHolder(): number | undefined { return this.holder; }
  get waiting(): readonly number[] { return this.waiters; }
  /** replay: the plan is used up (further requests wait forever: the run will be stopped). */
  get planExhausted(): boolean { return this.policy === 'replay' && this.grants >= this.plan.length; }
  /** replay: who the plan says is next. */
  get plannedNext(): number | undefined { return this.plan[this.grants]; }

  request(proc: number): LockAction[] {
    if (this.holder === proc || this.waiters.includes(proc)) {
      throw new Error(`process ${proc} requested the lock it already holds or waits for`);
    }
    this.waiters.push(proc);
    if (this.holder === undefined) { return this.grantNext(); }
    return this.askHolderToHandOver();
  }

  release(proc: number): LockAction[] {
    if (this.holder !== proc) { throw new Error(`process ${proc} released a lock it does not hold`); }
    this.holder = undefined;
    this.revoked = false;
    return this.grantNext();
  }

  /** The process is gone (exited or killed): drop its hold or its place in line. */
  gone(proc: number): LockAction[] {
    const at = this.waiters.indexOf(proc);
    if (at >= 0) { this.waiters.splice(at, 1); }
    return this.holder === proc ? this.release(proc) : [];
  }

  /** manual: the user grants the free lock to a waiting process. */
  grantTo(proc: number): LockAction[] {
    if (this.policy !== 'manual') { throw new Error(`the lock is granted by the "${this.policy}" policy, not by hand`); }
    if (this.holder !== undefined) { throw new Error(`the lock is held by process ${this.holder}; grant when it is free`); }
    const at = this.waiters.indexOf(proc);
    if (at < 0) { throw new Error(`process ${proc} is not waiting for the lock`); }
    this.waiters.splice(at, 1);
    return [this.grantTo_(proc)];
  }

  /**
   * replay: the current holder also takes the next `turns` planned turns (they are its own, in a
   * row) within its present hold; the plan moves on past them.
   */
  holdPlannedTurns(turns: number): void {
    if (this.policy !== 'replay' || this.holder === undefined) { throw new Error('only a replay\'s holder can take planned turns ahead'); }
    for (let i = 0; i < turns; i++) {
      if (this.plan[this.grants] !== this.holder) { throw new Error(`turn ${this.grants} of the plan is not process ${this.holder}'s`); }
      this.grants++;
    }
  }

  private grantNext(): LockAction[] {
    if (this.waiters.length === 0) { return []; }
    let at: number;
    switch (this.policy) {
      case 'os':
      case 'fifo': at = 0; break;
      case 'random': at = Math.floor(this.rng!.random() * this.waiters.length); break;
      case 'manual': return [];
      case 'replay': {
        at = this.waiters.indexOf(this.plan[this.grants]);
        if (at < 0) { return []; } // the planned process has not asked yet
        break;
      }
    }
    const [proc] = this.waiters.splice(at, 1);
    // A mutex-like holder keeps the lock until asked; with others still waiting, ask at once,
    // or a holder that then blocks on the queue could keep them waiting forever.
    return [this.grantTo_(proc), ...this.askHolderToHandOver()];
  }

  private grantTo_(proc: number): LockAction {
    this.holder = proc;
    this.revoked = false;
    this.grants++;
    return { type: 'grant', proc };
  }

  private askHolderToHandOver(): LockAction[] {
    if (!this.holderKeepsLock || this.revoked || this.holder === undefined || this.waiters.length === 0) { return []; }
    this.revoked = true;
    return [{ type: 'revoke', proc: this.holder }];
  }
}
