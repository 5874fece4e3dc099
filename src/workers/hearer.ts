/**
 * The hearer process: get from the queue (blocking while it is empty) and print
 * "Hear: <msg>" through the lock, until the "done" sentinel arrives (not printed).
 */
import * as net from 'net';
import { EXIT_PEER_GONE, EventKind, QUEUE_ITEM_BYTES, SENTINEL } from '../protocol';
import { WorkerRuntime, readWorkerConfig } from './runtime';

const QUEUE_FD = 3;

/** The receiving end of the queue: whole items in arrival order, and a way to wait for more. */
class QueueReader {
  private values: number[] = [];
  private shouters: number[] = [];
  private head = 0;
  private partial = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  closed = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const close = () => { this.closed = true; this.notify(); };
    socket.on('end', close);
    socket.on('error', close);
  }

  private onData(chunk: Buffer): void {
    const buf = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    const whole = buf.length - (buf.length % QUEUE_ITEM_BYTES);
    for (let at = 0; at < whole; at += QUEUE_ITEM_BYTES) {
      this.values.push(buf.readInt32LE(at));
      this.shouters.push(buf.readInt32LE(at + 4));
    }
    this.partial = Buffer.from(buf.subarray(whole));
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  get available(): boolean { return this.head < this.values.length; }

  take(): { value: number; shouter: number } {
    const item = { value: this.values[this.head], shouter: this.shouters[this.head] };
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.values.length) {
      this.values = this.values.slice(this.head);
      this.shouters = this.shouters.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }
}

async function main(): Promise<void> {
  const rt = new WorkerRuntime(readWorkerConfig());
  rt.record(EventKind.Start, process.pid, rt.now());
  const queue = new QueueReader(new net.Socket({ fd: QUEUE_FD, readable: true, writable: false }));

  for (;;) {
    if (!queue.available) {
      const t = rt.now();
      while (!queue.available && !queue.closed) { await queue.wait(); }
      rt.record(EventKind.GetWait, 0, t, rt.now() - t);
      if (!queue.available) { return rt.fail('get failed: the queue closed before "done" arrived; the shouter is gone', EXIT_PEER_GONE); }
    }
    const { value, shouter } = queue.take();
    rt.record(EventKind.Get, value, rt.now(), 0, shouter);
    if (value === SENTINEL) { break; }
    await rt.lprint(`Hear: ${value}`, value);
  }
  await rt.finish();
}

void main();
