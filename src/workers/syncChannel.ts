/**
 * The control channel (fd 4) of a process that never runs an event loop (the scheduler): frames
 * out with blocking writes, the replay plan in with blocking reads; its trace batched into its
 * spool file. Nothing is left in a user-space buffer when it blocks or exits: what it wrote is
 * in the kernel, and a busy host only reads it later.
 */
import * as fs from 'fs';
import { EventKind } from '../protocol/events';
import type { WorkerConfig } from '../protocol/run';
import { EXIT_FAULT, FrameDecoder, encodeFrame, type HostToWorker, type WorkerToHost } from '../protocol/wire';
import { TraceBatch } from './traceBatch';

const CONTROL_FD = 4;
const GATE_FD = 5;
/** Pending trace records older than this go to the host before the next blocking read. */
export const SYNC_FLUSH_MS = 30;

/** Sleeps without an event loop (a full channel: the host is behind). */
function nap(ms: number): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/** Reads into `into` from a blocking fd, retrying EAGAIN/EINTR; 0 = end of file. */
export function readBlocking(fd: number, into: Buffer): number {
  for (;;) {
    try { return fs.readSync(fd, into, 0, into.length, null); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { nap(1); continue; }
      if (code !== 'EINTR') { throw err; }
    }
  }
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) {
    try { at += fs.writeSync(fd, bytes, at, bytes.length - at); } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { nap(1); continue; }
      if (code !== 'EINTR') { throw err; }
    }
  }
}

export class SyncChannel {
  private readonly t0: bigint;
  /** Undefined when the run is not traced. */
  private readonly trace: TraceBatch | undefined;

  constructor(config: WorkerConfig) {
    this.t0 = BigInt(config.t0);
    this.trace = config.traceFd === null ? undefined : new TraceBatch(config.traceFd, config.proc, (message) => this.fail(message));
  }

  now(): number { return Number(process.hrtime.bigint() - this.t0); }

  send(frame: WorkerToHost): void {
    try { writeAll(CONTROL_FD, encodeFrame(frame)); } catch { process.exit(EXIT_FAULT); }
  }

  /** The replay's plan (`length` values) from Plan frames, read blocking before the start gate. */
  receivePlan(length: number): Int32Array {
    const plan = new Int32Array(length);
    const frames = new FrameDecoder();
    const buf = Buffer.alloc(1 << 16);
    for (let got = 0; got < length;) {
      const n = readBlocking(CONTROL_FD, buf);
      if (n === 0) { process.exit(EXIT_FAULT); }
      for (const f of frames.push(buf.subarray(0, n)) as HostToWorker[]) {
        if (f.type !== 'plan' || got + f.values.length > length) { this.fail('the host sent a plan that does not fit'); }
        plan.set(f.values, got);
        got += f.values.length;
      }
    }
    return plan;
  }

  /** Ready, then block at the start gate until the host opens it for everyone. */
  passStartGate(): void {
    this.send({ type: 'ready' });
    const one = Buffer.alloc(1);
    try { if (readBlocking(GATE_FD, one) !== 1) { process.exit(EXIT_FAULT); } } catch { process.exit(EXIT_FAULT); }
  }

  record(kind: EventKind, value: number, t: number, dur = 0, aux = 0): void {
    this.trace?.add(kind, value, t, dur, aux);
  }

  /** Before a blocking read: what is older than SYNC_FLUSH_MS goes out (bounded delay, few writes). */
  flushIfStale(): void { this.trace?.flushIfOlderThan(SYNC_FLUSH_MS); }

  flushTrace(): void { this.trace?.flush(); }

  /** Everything out, then Finished, then exit 0 (the host sends nothing more: nothing unread). */
  finish(): never {
    this.record(EventKind.Exit, 0, this.now());
    this.flushTrace();
    this.send({ type: 'finished' });
    process.exit(0);
  }

  fail(message: string): never {
    this.flushTrace();
    this.send({ type: 'fault', message });
    process.exit(EXIT_FAULT);
  }
}
