/**
 * What a worker process shares with its siblings: the control channel to the host (fd 4), the
 * start gate (fd 5), the print lock (fd 6), the trace batch (to its spool file) and `lprint`.
 * The program itself lives in shouter.ts and hearer.ts, as close to the lesson as it can be.
 *
 * The print lock is taken around each line only, as the lesson's `lprint` does, by this
 * process itself — the host is never asked:
 * - kernel (policy "os"): fd 6 is a pipe holding one token byte that every process of the run
 *   inherited (the make jobserver idiom). Acquire = a blocking read of one byte, release =
 *   writing it back; the kernel picks who wakes, the releaser winning it straight back included.
 * - scheduler (fifo, random, manual, replay): one byte into the run's request FIFO to ask, a
 *   blocking read of the grant byte on this lane's own grant FIFO, one byte to release (see
 *   schedulerWire.ts) — no event loop on either side. One case keeps the event loop running
 *   while it waits: queue items this process put that its socket has not sent yet (the kernel
 *   buffer was full); a replay may make a peer wait for exactly those items, so the wait then
 *   polls the grant and lets the socket drain (as Python's feeder thread would).
 * Either way the wait is stamped by the waiting process, and the holder holds it for one print.
 */
import * as fs from 'fs';
import * as net from 'net';
import {
  GRANT_FD, GRANT_POLL_FD, REQUEST_FD, SCHED_GRANT, SCHED_GRANT_MORE, SchedOp, schedByte, type SchedulerClientConfig,
} from './schedulerWire';
import { CONTENDED_WAIT_NS, EventKind, PrintFlags } from '../protocol/events';
import type { WorkerConfig } from '../protocol/run';
import { EXIT_FAULT, EXIT_PEER_GONE, FrameDecoder, encodeFrame, type HostToWorker, type WorkerToHost } from '../protocol/wire';
import { TraceBatch } from './traceBatch';

const CONTROL_FD = 4;
export const GATE_FD = 5;
export const LOCK_FD = 6;
/** Policy os: the same token FIFO, non-blocking, to try before waiting on LOCK_FD. */
const LOCK_TRY_FD = 8;
/** Bytes per write when printing without the lock: small enough that lines can mix mid-line. */
const PIECE_BYTES = 3;
const TRACE_FLUSH_MS = 30;
/** How long a finished worker waits for the host to close the channel before exiting anyway. */
const HOST_CLOSE_GRACE_MS = 5000;

/** Reads exactly one byte from a blocking fd (the gate, the token, a grant); throws if it closed. */
export function readOneByte(fd: number, into: Buffer): number {
  for (;;) {
    try {
      if (fs.readSync(fd, into, 0, 1, null) === 1) { return into[0]; }
      throw new Error(`fd ${fd} closed`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' && (err as NodeJS.ErrnoException).code !== 'EINTR') { throw err; }
    }
  }
}

/**
 * ns to add to `performance.now() * 1e6` for ns since `t0` (both CLOCK_MONOTONIC): from the
 * tightest of several hrtime–now–hrtime brackets, so the error is tens of ns, far below the gap
 * between one holder's release and the next one's take (a syscall at least).
 */
function clockOffsetTo(t0: bigint): number {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 50; i++) {
    const before = process.hrtime.bigint();
    const now = performance.now();
    const after = process.hrtime.bigint();
    const width = Number(after - before);
    if (width < best) {
      best = width;
      offset = Number(before - t0) + width / 2 - now * 1e6;
    }
  }
  return offset;
}

export function readWorkerConfig(): WorkerConfig {
  const arg = process.argv[2];
  if (!arg) { throw new Error('worker started without its config argument'); }
  return JSON.parse(arg) as WorkerConfig;
}

/** Thrown out of the program when it cannot go on (its lock or its trace file is gone); the runtime has already reported why. */
export class CannotGoOn extends Error {}

/** Runs a worker's program; a CannotGoOn ends it quietly (the fault is sent, the exit follows). */
export function runProgram(main: () => Promise<void>): void {
  main().catch((err: unknown) => { if (!(err instanceof CannotGoOn)) { throw err; } });
}

export class WorkerRuntime {
  private readonly control: net.Socket;
  private readonly t0: bigint;
  /** Undefined when the run is not traced (only to measure what tracing costs). */
  private readonly trace: TraceBatch | undefined;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly one = Buffer.alloc(1);
  private readonly requestByte: Buffer;
  private readonly releaseByte: Buffer;
  private hostFrame: ((frame: HostToWorker) => void) | undefined;
  /** Policy other than os: this process talks to the run's scheduler. */
  private readonly scheduled: boolean;
  /** Bytes of queue items put but not yet handed to the kernel (set by the queue client). */
  unsentQueueBytes: () => number = () => 0;
  /** replay: the turn held now was granted ahead, and the next is already on the grant FIFO. */
  private moreGranted = false;
  /** The turn held now came with SCHED_GRANT_MORE: no release after it. */
  private holdGoesOn = false;
  /** Set once the program is done: the code to exit with when the host closes the channel. */
  private exitCode: number | undefined;
  private readonly encoder = new TextEncoder();
  private readonly clockOffset: number;

  constructor(readonly config: WorkerConfig) {
    this.t0 = BigInt(config.t0);
    this.clockOffset = clockOffsetTo(this.t0);
    this.control = new net.Socket({ fd: CONTROL_FD, readable: true, writable: true });
    // Flushed by its records' stamps (the flush timer cannot run while a flood keeps us busy).
    this.trace = config.traceFd === null ? undefined : new TraceBatch(config.traceFd, config.proc, (message) => this.traceLost(message), 0, TRACE_FLUSH_MS * 1e6);
    const frames = new FrameDecoder();
    this.control.on('data', (chunk: Buffer) => {
      let got: HostToWorker[];
      try { got = frames.push(chunk) as HostToWorker[]; } catch (err) { void this.fail(`the host sent a malformed frame: ${(err as Error).message}`); return; }
      for (const f of got) { this.hostFrame?.(f); }
    });
    // The host closes its side once we said we are done (see finish); any other close means
    // the host went away: nothing left to report to, so stop at once.
    this.control.on('end', () => process.exit(this.exitCode ?? EXIT_FAULT));
    this.control.on('error', () => process.exit(this.exitCode ?? EXIT_FAULT));
    this.flushTimer = setInterval(() => this.flushTrace(), TRACE_FLUSH_MS);
    this.scheduled = config.lock === 'scheduler' && (config.role === 'shouter' || config.role === 'hearer');
    this.requestByte = Buffer.from([schedByte(SchedOp.Request, config.proc)]);
    this.releaseByte = Buffer.from([schedByte(SchedOp.Release, config.proc)]);
  }

  /**
   * The start gate: tell the host we are set up, then block until it opens the gate (one byte
   * for each process, written at once), so every process of the run starts together however
   * busy the host is. Nothing was written on the control channel before: this frame goes first.
   */
  passStartGate(): void {
    this.warmLockPath();
    fs.writeSync(CONTROL_FD, encodeFrame({ type: 'ready' }));
    // End of file: the host went away before opening the gate (it alone holds the write end).
    try { readOneByte(GATE_FD, this.one); } catch { process.exit(EXIT_FAULT); }
  }

  /**
   * Policy os: take and give back the token once before the program starts (nobody prints yet),
   * so the first line's acquire is not also the first run of this code: its wait would be the
   * runtime's cold start (tens of µs), not a wait for the lock, as the lesson's lock never is.
   */
  private warmLockPath(): void {
    if (this.config.lock !== 'kernel' || !this.config.useLock || (this.config.role !== 'shouter' && this.config.role !== 'hearer')) { return; }
    for (let i = 0; i < 3; i++) {
      this.now();
      if (!this.tryToken()) { this.acquireToken(); }
      this.now();
      this.releaseToken();
    }
  }

  /** Frames the host sends (only the scheduler and queue processes get any: plans, manual grants). */
  onHostFrame(fn: (frame: HostToWorker) => void): void { this.hostFrame = fn; }

  /**
   * A replay's plan (`length` values), sent by the host in Plan frames before the start gate
   * (too long for argv); then the frames go to `then`.
   */
  receivePlan(length: number, then: (frame: HostToWorker) => void = () => {}): Promise<Int32Array> {
    const plan = new Int32Array(length);
    let got = 0;
    return new Promise((resolve) => {
      if (length === 0) { this.hostFrame = then; resolve(plan); return; }
      this.hostFrame = (f) => {
        if (f.type !== 'plan' || got + f.values.length > length) { void this.fail('the host sent a plan that does not fit'); return; }
        plan.set(f.values, got);
        got += f.values.length;
        if (got === length) { this.hostFrame = then; resolve(plan); }
      };
    });
  }

  /** ns since the run's t0, on CLOCK_MONOTONIC like every other process of the run. */
  now(): number {
    // performance.now() reads the same monotonic clock without making a BigInt (three a line):
    // the offset to the run's t0 is taken once, at start.
    return performance.now() * 1e6 + this.clockOffset;
  }

  record(kind: EventKind, value: number, t: number, dur = 0, aux = 0, flags = 0): void {
    this.trace?.add(kind, value, t, dur, aux, flags);
  }

  flushTrace(): void { this.trace?.flush(); }

  send(message: WorkerToHost): void {
    this.control.write(encodeFrame(message));
  }

  /** Policy os: takes the token if it is in the pipe now; false if another process holds it. */
  private tryToken(): boolean {
    for (;;) {
      try {
        if (fs.readSync(LOCK_TRY_FD, this.one, 0, 1, null) === 1) { return true; }
        this.lockGone(new Error('the token pipe closed'));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { return false; }
        if (code !== 'EINTR') { this.lockGone(err); }
      }
    }
  }

  /** Policy os: takes the kernel token (blocking this process, as a real lock does). */
  private acquireToken(): void {
    try {
      readOneByte(LOCK_FD, this.one);
    } catch (err) {
      this.lockGone(err);
    }
  }

  private releaseToken(): void {
    try {
      fs.writeSync(LOCK_FD, this.one, 0, 1);
    } catch (err) {
      this.lockGone(err);
    }
  }

  /**
   * Other policies: asks the scheduler and blocks for its grant, as a lock call blocks. Returns
   * a promise only in the rare replay wait that must let this process's unsent queue items drain.
   */
  private turn(): Promise<void> | undefined {
    // A turn granted ahead is already waiting: take it without asking.
    if (!this.moreGranted) { this.writeScheduler(this.requestByte); }
    // fifo, random, manual grant only to a process that asks, and a holder gives the lock back
    // after one write whatever the queue holds: blocking here cannot starve anyone. A replay's
    // next turn may be a hearer's that waits for an item still in our send buffer.
    if ((this.config as SchedulerClientConfig).grantsByPlan && this.unsentQueueBytes() > 0) { return this.pollGrant(); }
    this.blockForGrant();
    return undefined;
  }

  private blockForGrant(): void {
    // What happened so far goes to the host before a wait, as with the kernel token: all of it
    // when a person grants (the wait may be long; a grant already here needs no flush), else
    // what is older than TRACE_FLUSH_MS (the interval timer cannot run while this blocks).
    if ((this.config as SchedulerClientConfig).grantsByHand) {
      if (this.tryGrant()) { return; }
      this.flushTrace();
    } else { this.trace?.flushIfOlderThan(TRACE_FLUSH_MS); }
    let byte: number;
    try { byte = readOneByte(GRANT_FD, this.one); } catch (err) { this.lockGone(err); }
    this.took(byte);
  }

  /** A grant byte taken: whether more of this lane's turns follow it on the FIFO. */
  private took(byte: number): void {
    if (byte !== SCHED_GRANT && byte !== SCHED_GRANT_MORE) { this.lockGone(new Error(`the scheduler sent byte ${byte}`)); }
    this.holdGoesOn = this.moreGranted = byte === SCHED_GRANT_MORE;
  }

  /** A grant already waiting on this lane's FIFO (a non-blocking read), or false. */
  private tryGrant(): boolean {
    try {
      if (fs.readSync(GRANT_POLL_FD, this.one, 0, 1, null) !== 1) { this.lockGone(new Error('the scheduler closed its grant pipe')); }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') { return false; }
      this.lockGone(err);
    }
    this.took(this.one[0]);
    return true;
  }

  private async pollGrant(): Promise<void> {
    this.flushTrace();
    while (this.unsentQueueBytes() > 0) {
      if (this.tryGrant()) { return; }
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
    this.blockForGrant();
  }

  private releaseTurn(): void {
    if (this.holdGoesOn) { this.holdGoesOn = false; return; }
    this.writeScheduler(this.releaseByte);
  }

  private writeScheduler(byte: Buffer): void {
    try { fs.writeSync(REQUEST_FD, byte); } catch (err) { this.lockGone(err); }
  }

  /** The spool file could not take a batch (a full disk): the trace cannot be whole, so the program stops. */
  private traceLost(message: string): never {
    void this.fail(message);
    throw new CannotGoOn();
  }

  /** The kernel token is gone (cannot happen unless the run is torn down): report, then stop. */
  private lockGone(err: unknown): never {
    void this.fail(`the print lock is gone: ${(err as Error).message}`, EXIT_PEER_GONE);
    throw new CannotGoOn();
  }

  /**
   * The lesson's `lprint(lock, text)`: take the lock, write one whole line, release. With the
   * kernel token all synchronous, like the lesson's blocking calls. Without the lock the line
   * goes out in small pieces, so lines of two processes can mix as they really do (with a
   * scheduler policy, each piece is a turn it grants). `value` is the message (for the trace).
   */
  lprint(text: string, value: number): Promise<void> | undefined {
    const line = text + '\n';
    if (!this.config.useLock) { return this.printInPieces(this.encoder.encode(line), value); }
    if (this.config.lock === 'scheduler') { return this.lprintGranted(line, value); }
    // Try first, as the lesson's lock does (sem_trywait before sem_wait): a wait is recorded
    // only when the lock was taken, so the count of waits is the program's, not how slow a first
    // syscall after a nap is (tens of µs at times, with nobody holding the lock).
    let blocked = !this.tryToken();
    // A wait may be endless (a holder killed mid-print) and no timer runs while we block: what
    // happened so far goes to the host first, then we try again (the holder may have let go).
    if (blocked && this.trace?.flushIfOlderThan(TRACE_FLUSH_MS)) { blocked = !this.tryToken(); }
    const asked = this.now();
    let got = asked;
    if (blocked) {
      this.acquireToken();
      got = this.now();
    }
    fs.writeSync(1, line);
    // Stamped before the release, so two holders' Print spans never overlap.
    const end = this.now();
    this.releaseToken();
    this.recordLine(value, asked, got, end, blocked);
    return undefined;
  }

  private lprintGranted(line: string, value: number): Promise<void> | undefined {
    const asked = this.now();
    const waiting = this.turn();
    if (waiting) { return waiting.then(() => this.printGranted(line, value, asked)); }
    this.printGranted(line, value, asked);
    return undefined;
  }

  private printGranted(line: string, value: number, asked: number): void {
    const got = this.now();
    // One write of a whole line (under PIPE_BUF: the kernel never splits it).
    fs.writeSync(1, line);
    const end = this.now();
    this.releaseTurn();
    // A turn always goes through the scheduler: one that came later than a round trip waited.
    this.recordLine(value, asked, got, end, got - asked > CONTENDED_WAIT_NS);
  }

  private recordLine(value: number, asked: number, got: number, end: number, contended: boolean): void {
    if (contended) { this.record(EventKind.LockWait, value, asked, got - asked); }
    this.record(EventKind.Print, value, got, end - got, 0, contended ? 0 : PrintFlags.FastAcquire);
  }

  private async printInPieces(bytes: Uint8Array, value: number): Promise<void> {
    const turns = this.config.lock === 'scheduler';
    for (let piece = 0, at = 0; at < bytes.length; piece++, at += PIECE_BYTES) {
      if (piece > 0) { await new Promise<void>((resolve) => setImmediate(resolve)); }
      if (turns) { const waiting = this.turn(); if (waiting) { await waiting; } }
      const t = this.now();
      fs.writeSync(1, bytes, at, Math.min(PIECE_BYTES, bytes.length - at));
      const end = this.now();
      if (turns) { this.releaseTurn(); }
      this.record(EventKind.Print, value, t, end - t, piece, PrintFlags.NoLock);
    }
  }

  /** Sends what is left, tells the host we are done, and exits when the host closes the channel. */
  finish(): Promise<never> {
    this.record(EventKind.Exit, 0, this.now());
    return this.closeChannel({ type: 'finished' }, 0);
  }
  /** Reports a problem the host should name in the run's failure, then exits non-zero. */
  fail(message: string, code = EXIT_FAULT): Promise<never> {
    return this.closeChannel({ type: 'fault', message }, code);
  }

  /**
   * Exits only after the host has closed its side: a process that exits with unread messages
   * from the host makes the host's socket fail with ECONNRESET, which can drop our last frame.
   */
  private closeChannel(last: WorkerToHost, code: number): Promise<never> {
    if (this.exitCode !== undefined) { return new Promise(() => {}); }
    this.exitCode = code;
    clearInterval(this.flushTimer);
    // The scheduler hears it is done from us (a crash it hears from the host: Gone).
    if (this.scheduled) { try { fs.writeSync(REQUEST_FD, Buffer.from([schedByte(SchedOp.Done, this.config.proc)])); } catch { /* gone already */ } }
    this.flushTrace();
    this.send(last);
    this.control.end();
    setTimeout(() => process.exit(code), HOST_CLOSE_GRACE_MS).unref();
    return new Promise(() => {});
  }
}
