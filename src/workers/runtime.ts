/**
 * What a worker process shares with its sibling: the control channel to the host (fd 4),
 * the trace buffer, the print lock and `lprint`. The program itself lives in shouter.ts and
 * hearer.ts, written as close to the lesson as the runtime allows.
 *
 * The print lock behaves like an OS mutex: the first acquire asks the host; after that the
 * process keeps the lock between its lines while nobody else waits (a mutex's uncontended
 * fast path), and hands it over when the host says someone is waiting. The process yields to
 * its event loop at least every `yieldEveryLines` lines so that such a request is heard.
 */
import * as fs from 'fs';
import * as net from 'net';
import {
  EXIT_FAULT, EventKind, FrameDecoder, PRINT_PIECE_SHIFT, PrintFlags, TRACE_RECORD_BYTES, encodeFrame,
  type HostToWorker, type WorkerConfig, type WorkerToHost,
} from '../protocol';

const CONTROL_FD = 4;
/** Bytes per write when printing without the lock: small enough that lines can mix mid-line. */
const PIECE_BYTES = 3;
const TRACE_BATCH_RECORDS = 2048;
const TRACE_FLUSH_MS = 30;
/** How long a finished worker waits for the host to close the channel before exiting anyway. */
const HOST_CLOSE_GRACE_MS = 5000;

export function readWorkerConfig(): WorkerConfig {
  const arg = process.argv[2];
  if (!arg) { throw new Error('worker started without its config argument'); }
  return JSON.parse(arg) as WorkerConfig;
}

export class WorkerRuntime {
  private readonly control: net.Socket;
  private readonly t0: bigint;
  private readonly trace = new DataView(new ArrayBuffer(TRACE_BATCH_RECORDS * TRACE_RECORD_BYTES));
  private traceCount = 0;
  private readonly flushTimer: NodeJS.Timeout;

  private lockHeld = false;
  private handOverAsked = false;
  /** A grant arrived for a line that has not been written yet. */
  private grantPending = false;
  private grantWaiter: (() => void) | undefined;
  private linesSinceYield = 0;
  /** Set once the program is done: the code to exit with when the host closes the channel. */
  private exitCode: number | undefined;
  private readonly encoder = new TextEncoder();

  constructor(readonly config: WorkerConfig) {
    this.t0 = BigInt(config.t0);
    this.control = new net.Socket({ fd: CONTROL_FD, readable: true, writable: true });
    const decoder = new FrameDecoder();
    this.control.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) { this.onHostMessage(frame as HostToWorker); }
    });
    // The host closes its side once we said we are done (see finish); any other close means
    // the host went away: nothing left to report to, so stop at once.
    this.control.on('end', () => process.exit(this.exitCode ?? EXIT_FAULT));
    this.control.on('error', () => process.exit(this.exitCode ?? EXIT_FAULT));
    this.flushTimer = setInterval(() => this.flushTrace(), TRACE_FLUSH_MS);
  }

  /** ns since the run's t0, on CLOCK_MONOTONIC like every other process of the run. */
  now(): number {
    return Number(process.hrtime.bigint() - this.t0);
  }

  record(kind: EventKind, value: number, t: number, dur = 0, aux = 0): void {
    if (!this.config.traced) { return; }
    const at = this.traceCount * TRACE_RECORD_BYTES;
    const v = this.trace;
    v.setUint8(at, kind);
    v.setUint8(at + 1, this.config.proc);
    v.setUint16(at + 2, aux, true);
    v.setInt32(at + 4, value, true);
    v.setFloat64(at + 8, t, true);
    v.setFloat64(at + 16, dur, true);
    if (++this.traceCount === TRACE_BATCH_RECORDS) { this.flushTrace(); }
  }

  private flushTrace(): void {
    if (this.traceCount === 0) { return; }
    const bytes = new Uint8Array(this.trace.buffer.slice(0, this.traceCount * TRACE_RECORD_BYTES));
    this.traceCount = 0;
    this.send({ type: 'trace', records: bytes });
  }

  private send(message: WorkerToHost): void {
    this.control.write(encodeFrame(message));
  }

  private onHostMessage(message: HostToWorker): void {
    switch (message.type) {
      case 'lockGrant': {
        this.lockHeld = true;
        this.handOverAsked = false;
        const wake = this.grantWaiter;
        this.grantWaiter = undefined;
        // Granted to a line that waits for it: that line is printed before any hand-over.
        this.grantPending = wake !== undefined;
        wake?.();
        break;
      }
      case 'lockRevoke':
        // Lines are written synchronously once the lock is in hand, so unless a granted line
        // has yet to run, no line is half printed now: hand over at once; else after that line.
        if (this.lockHeld && !this.grantPending) { this.releaseLock(); } else { this.handOverAsked = true; }
        break;
    }
  }

  private releaseLock(): void {
    this.lockHeld = false;
    this.handOverAsked = false;
    this.send({ type: 'lockRelease' });
  }

  /**
   * The lesson's `lprint(lock, text)`: take the lock, write one whole line, release.
   * Without the lock the line goes out in small pieces, so lines of two processes can mix as
   * they really do. `value` is the message the line is about (for the trace).
   */
  lprint(text: string, value: number): Promise<void> | undefined {
    const bytes = this.encoder.encode(text + '\n');
    // The uncontended fast path stays synchronous: no promise unless we must wait.
    if (this.config.useLock && this.lockHeld) {
      this.writeLine(bytes, value, PrintFlags.FastAcquire);
      return this.maybeYield();
    }
    return this.lprintSlowly(bytes, value);
  }

  private writeLine(bytes: Uint8Array, value: number, flags: number): void {
    const t = this.now();
    fs.writeSync(1, bytes);
    this.record(EventKind.Print, value, t, this.now() - t, flags);
    this.afterTurn();
  }

  private async lprintSlowly(bytes: Uint8Array, value: number): Promise<void> {
    if (this.config.useLock) {
      this.writeLine(bytes, value, await this.acquire(value));
    } else {
      for (let piece = 0, at = 0; at < bytes.length; piece++, at += PIECE_BYTES) {
        if (piece > 0) { await new Promise<void>((resolve) => setImmediate(resolve)); }
        if (this.config.arbitrateWrites) { await this.acquire(value, false); }
        const t = this.now();
        fs.writeSync(1, bytes, at, Math.min(PIECE_BYTES, bytes.length - at));
        this.record(EventKind.Print, value, t, this.now() - t, PrintFlags.NoLock | (piece << PRINT_PIECE_SHIFT));
        if (this.config.arbitrateWrites) { this.afterTurn(); }
      }
    }
    const pause = this.maybeYield();
    if (pause) { await pause; }
  }

  /** Takes the lock (or a write turn); returns the Print flags that say how. */
  private async acquire(value: number, recordWait = true): Promise<number> {
    if (this.lockHeld) { return PrintFlags.FastAcquire; }
    const t = this.now();
    await new Promise<void>((resolve) => {
      this.grantWaiter = resolve;
      this.send({ type: 'lockRequest' });
    });
    if (recordWait) { this.record(EventKind.LockWait, value, t, this.now() - t); }
    return 0;
  }

  /**
   * After a line (or piece): keep the lock only if the policy lets us. Asked to hand it over,
   * a mutex-like holder does so when it next yields to its event loop (at most yieldEveryLines
   * lines later), as it would have had the request arrived then.
   */
  private afterTurn(): void {
    this.grantPending = false;
    if (!this.config.keepLock) { this.releaseLock(); return; }
    if (this.handOverAsked) {
      setImmediate(() => { if (this.handOverAsked && this.lockHeld && !this.grantPending) { this.releaseLock(); } });
    }
  }

  /** Lets the event loop run now and then, so a hand-over request is heard while printing fast. */
  private maybeYield(): Promise<void> | undefined {
    if (++this.linesSinceYield < this.config.yieldEveryLines) { return undefined; }
    this.linesSinceYield = 0;
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Sends what is left, tells the host we are done, and exits when the host closes the channel. */
  finish(): Promise<never> {
    this.record(EventKind.Exit, 0, this.now());
    if (this.lockHeld) { this.releaseLock(); }
    return this.closeChannel({ type: 'finished' }, 0);
  }

  /** Reports a problem the host should name in the run's failure, then exits non-zero. */
  fail(message: string, code = EXIT_FAULT): Promise<never> {
    return this.closeChannel({ type: 'fault', message }, code);
  }

  /**
   * Exits only after the host has closed its side: a process that exits with unread messages
   * from the host makes the host's socket fail with ECONNRESET, which can drop our last trace.
   */
  private closeChannel(last: WorkerToHost, code: number): Promise<never> {
    if (this.exitCode !== undefined) { return new Promise(() => {}); }
    this.exitCode = code;
    clearInterval(this.flushTimer);
    this.flushTrace();
    this.send(last);
    this.control.end();
    setTimeout(() => process.exit(code), HOST_CLOSE_GRACE_MS).unref();
    return new Promise(() => {});
  }
}
