/**
 * A worker's end of the queue. Two transports, one interface:
 * - direct: one socketpair from the shouter to the hearer (the lesson's 1 × 1, unbounded);
 * - broker: a socketpair to the queue process, which holds the items, enforces a capacity and
 *   serves several shouters and hearers (see queueBroker.ts).
 */
import * as fs from 'fs';
import * as net from 'net';
import { EventKind } from '../protocol/events';
import { EXIT_PEER_GONE, GET_REQUEST, QUEUE_ITEM_BYTES, QUEUE_REPLY_BYTES, SHOUTER_DONE, WAITED_FLAG } from '../protocol/wire';
import type { WorkerRuntime } from './runtime';

const QUEUE_FD = 3;
/** Past this many unsent bytes a shouter waits for the socket to drain (memory bound, not a queue limit). */
const SEND_BUFFER_LIMIT = 1 << 20;

/** Whole items from a socket (8 bytes, or 16 with a time), in arrival order, and a way to wait for the next. */
class ItemReader {
  private values: number[] = [];
  private args: number[] = [];
  private times: number[] = [];
  private head = 0;
  private partial = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  closed = false;

  constructor(socket: net.Socket, private readonly size: number = QUEUE_ITEM_BYTES) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const close = () => { this.closed = true; this.notify(); };
    socket.on('end', close);
    socket.on('error', close);
  }

  private onData(chunk: Buffer): void {
    const buf = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    const whole = buf.length - (buf.length % this.size);
    for (let at = 0; at < whole; at += this.size) {
      this.values.push(buf.readInt32LE(at));
      this.args.push(buf.readInt32LE(at + 4));
      this.times.push(this.size === QUEUE_REPLY_BYTES ? buf.readDoubleLE(at + 8) : NaN);
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

  take(): { value: number; arg: number; t: number } {
    const item = { value: this.values[this.head], arg: this.args[this.head], t: this.times[this.head] };
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.values.length) {
      this.values = this.values.slice(this.head);
      this.args = this.args.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The next item, or undefined if the socket closed first. */
  async next(): Promise<{ value: number; arg: number; t: number } | undefined> {
    while (!this.available && !this.closed) { await new Promise<void>((resolve) => { this.wake = resolve; }); }
    return this.available ? this.take() : undefined;
  }
}

/** Bytes of an item written into the (non-blocking) queue socket now (0: its kernel buffer is full), or the error. */
function writeNow(bytes: Buffer): number | NodeJS.ErrnoException {
  try {
    return fs.writeSync(QUEUE_FD, bytes);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EAGAIN' ? 0 : err as NodeJS.ErrnoException;
  }
}

function item(value: number, arg: number): Buffer {
  const buf = Buffer.allocUnsafe(QUEUE_ITEM_BYTES);
  buf.writeInt32LE(value, 0);
  buf.writeInt32LE(arg, 4);
  return buf;
}

export interface ShouterQueue {
  /** The lesson's `queue.put(value)`: blocks (asynchronously) while a bounded queue is full; undefined when it did not wait. */
  put(value: number): Promise<void> | undefined;
  /** Broker mode with several shouters: tell the queue this shouter is done (it puts the sentinels). */
  done(): void;
  close(): Promise<void>;
}

export function openShouterQueue(rt: WorkerRuntime): ShouterQueue {
  const { config } = rt;
  const socket = new net.Socket({ fd: QUEUE_FD, readable: true, writable: true });
  const peerGone = (err: NodeJS.ErrnoException) => rt.fail(`put failed: the queue is closed (${err.code ?? err.message}); its other end is gone`, EXIT_PEER_GONE);
  socket.on('error', (err: NodeJS.ErrnoException) => { void peerGone(err); });
  // A wait for the print lock must not strand items the socket has not sent (see runtime.ts).
  rt.unsentQueueBytes = () => socket.writableLength;
  const acks = config.queue === 'broker' && config.queueCapacity > 0 ? new ItemReader(socket, QUEUE_REPLY_BYTES) : undefined;
  if (!acks) { socket.resume(); }
  return {
    put(value) {
      if (!acks) {
        rt.record(EventKind.Put, value, rt.now(), 0, config.index);
        // Straight into the kernel while nothing waits in user space: this loop may not return
        // to the event loop for a long time, and the hearer should get each item at once.
        const bytes = item(value, config.index);
        const sent = socket.writableLength === 0 ? writeNow(bytes) : 0;
        if (typeof sent !== 'number') { return peerGone(sent); }
        if (sent === bytes.length) { return undefined; }
        // Unbounded: like Python's feeder thread, the put returns at once; only a huge unsent
        // backlog makes it wait (a memory bound, not a queue limit).
        if (!socket.write(bytes.subarray(sent)) && socket.writableLength > SEND_BUFFER_LIMIT) {
          return new Promise<void>((resolve) => socket.once('drain', () => resolve()));
        }
        return undefined;
      }
      return (async () => {
        const t = rt.now();
        socket.write(item(value, config.index));
        // A bounded queue answers when the item is in: only then has the put happened.
        const ack = await acks.next();
        if (!ack) { return void rt.fail('put failed: the queue process is gone', EXIT_PEER_GONE); }
        // The put happened when the queue took the item in (its stamp, on the shared clock).
        if (ack.arg & 1) { rt.record(EventKind.PutBlocked, value, t, ack.t - t, config.index); }
        rt.record(EventKind.Put, value, ack.t, 0, config.index);
      })();
    },
    done() { socket.write(item(SHOUTER_DONE, config.index)); },
    close: () => new Promise<void>((resolve) => socket.end(resolve)),
  };
}

type Item = { value: number; shouter: number } | undefined;

export interface HearerQueue {
  /**
   * The lesson's `queue.get()`: the next item (blocking while empty), or undefined if the queue
   * closed. An item already here comes back at once, without a promise.
   */
  get(): Item | Promise<Item>;
}

export function openHearerQueue(rt: WorkerRuntime): HearerQueue {
  const { config } = rt;
  const socket = new net.Socket({ fd: QUEUE_FD, readable: true, writable: config.queue === 'broker' });
  const reader = new ItemReader(socket, config.queue === 'broker' ? QUEUE_REPLY_BYTES : QUEUE_ITEM_BYTES);
  if (config.queue === 'direct') {
    return {
      get() {
        if (!reader.available) {
          return (async () => {
            const t = rt.now();
            const next = await reader.next();
            rt.record(EventKind.GetWait, 0, t, rt.now() - t);
            if (!next) { return undefined; }
            rt.record(EventKind.Get, next.value, rt.now(), 0, next.arg);
            return { value: next.value, shouter: next.arg };
          })();
        }
        const { value, arg } = reader.take();
        rt.record(EventKind.Get, value, rt.now(), 0, arg);
        return { value, shouter: arg };
      },
    };
  }
  socket.on('error', () => { /* the reader sees the close */ });
  return {
    async get() {
      const t = rt.now();
      socket.write(item(GET_REQUEST, config.index));
      const next = await reader.next();
      if (!next) { return undefined; }
      // The get happened when the queue handed the item out (its stamp, on the shared clock);
      // the queue also says whether the request had to wait for one: a blocked get.
      if (next.arg & WAITED_FLAG) { rt.record(EventKind.GetWait, 0, t, Math.max(0, next.t - t)); }
      const shouter = next.arg & 0xffff;
      rt.record(EventKind.Get, next.value, next.t, 0, shouter);
      return { value: next.value, shouter };
    },
  };
}
