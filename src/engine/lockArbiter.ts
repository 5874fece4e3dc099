/**
 * The host's side of the print lock: who holds it, who waits, and what to tell whom.
 * Pure (no I/O): the run engine applies the actions it returns, and tests drive it directly.
 *
 * Policy "os", like a real mutex: a holder keeps the lock between its lines while nobody
 * waits; when someone requests it, the holder is asked (once) to hand it over, and on release
 * the lock goes to the waiters in request order.
 */
export type LockAction = { type: 'grant'; proc: number } | { type: 'revoke'; proc: number };

export class LockArbiter {
  private holder: number | undefined;
  private revoked = false;
  private readonly waiters: number[] = [];
  grants = 0;

  get currentHolder(): number | undefined { return this.holder; }
  get waiting(): readonly number[] { return this.waiters; }

  request(proc: number): LockAction[] {
    if (this.holder === proc || this.waiters.includes(proc)) {
      throw new Error(`process ${proc} requested the lock it already holds or waits for`);
    }
    if (this.holder === undefined) { return [this.grantTo(proc)]; }
    this.waiters.push(proc);
    return this.askHolderToHandOver();
  }

  release(proc: number): LockAction[] {
    if (this.holder !== proc) { throw new Error(`process ${proc} released a lock it does not hold`); }
    this.holder = undefined;
    this.revoked = false;
    const next = this.waiters.shift();
    return next === undefined ? [] : [this.grantTo(next)];
  }

  /** The process is gone (exited or killed): drop its hold or its place in line. */
  gone(proc: number): LockAction[] {
    const at = this.waiters.indexOf(proc);
    if (at >= 0) { this.waiters.splice(at, 1); }
    return this.holder === proc ? this.release(proc) : [];
  }

  private grantTo(proc: number): LockAction {
    this.holder = proc;
    this.revoked = false;
    this.grants++;
    return { type: 'grant', proc };
  }

  private askHolderToHandOver(): LockAction[] {
    if (this.revoked || this.holder === undefined) { return []; }
    this.revoked = true;
    return [{ type: 'revoke', proc: this.holder }];
  }
}
