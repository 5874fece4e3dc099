/**
 * The queue process: one shared FIFO for several shouters and hearers, or for a bounded queue
 * (the role of multiprocessing's queue machinery). Shouter k talks to it on fd 7 + k, hearer j
 * on fd 7 + shouters + j (socketpairs). It answers get requests in request order — or, when
 * replaying, in the recorded order of hearers — and holds puts while a bounded queue is full.
 * When every shouter is done it puts one "done" sentinel per hearer, like the lesson's main.
 */
import * as net from 'net';
import { EventKind, SENTINEL } from '../protocol/events';
import { QUEUE_ITEM_BYTES, QUEUE_REPLY_BYTES, SHOUTER_DONE, WAITED_FLAG } from '../protocol/wire';
import { WorkerRuntime, readWorkerConfig } from './runtime';

/** Client sockets follow the fds every process has (0-4, the start gate 5, the lock 6). */
export const FIRST_CLIENT_FD = 7;

interface Item { value: number; shouter: number }

function reply(value: number, arg: number, t: number): Buffer {
  const buf = Buffer.allocUnsafe(QUEUE_REPLY_BYTES);
  buf.writeInt32LE(value, 0);
  buf.writeInt32LE(arg, 4);
  buf.writeDoubleLE(t, 8);
  return buf;
}

/** Calls onItem for every whole 8-byte item arriving on the socket. */
function readItems(socket: net.Socket, onItem: (value: number, arg: number) => void): void {
  let partial = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const buf = partial.length > 0 ? Buffer.concat([partial, chunk]) : chunk;
    const whole = buf.length - (buf.length % QUEUE_ITEM_BYTES);
    for (let at = 0; at < whole; at += QUEUE_ITEM_BYTES) { onItem(buf.readInt32LE(at), buf.readInt32LE(at + 4)); }
    partial = Buffer.from(buf.subarray(whole));
  });
}

async function main(): Promise<void> {
  const rt = new WorkerRuntime(readWorkerConfig());
  const { config } = rt;
  const plan = await rt.receivePlan(config.getOrderLength ?? 0);
  const getOrder = config.getOrderLength ? plan : undefined;
  const capacity = config.queueCapacity;
  const items: Item[] = [];
  let head = 0;
  const blockedPuts: { item: Item; from: number | undefined; waited: boolean }[] = [];
  const getters: number[] = [];
  let served = 0;
  let shoutersDone = 0;
  let open = config.shouters + config.hearers;

  const shouterSockets: net.Socket[] = [];
  const hearerSockets: net.Socket[] = [];
  const depth = () => items.length - head;
  // The queue's own moments, strictly increasing, so that its order is the trace's order.
  let lastStamp = -1;
  const stamp = () => { lastStamp = Math.max(rt.now(), lastStamp + 1); return lastStamp; };

  const admit = (item: Item, from: number | undefined, waited: boolean) => {
    items.push(item);
    const t = stamp();
    if (from !== undefined && capacity > 0) { shouterSockets[from].write(reply(0, waited ? 1 : 0, t)); }
    if (from === undefined) { rt.record(EventKind.Put, SENTINEL, t, 0, 0); }
  };
  const put = (item: Item, from: number | undefined) => {
    if (capacity > 0 && depth() >= capacity) { blockedPuts.push({ item, from, waited: true }); return; }
    admit(item, from, false);
  };
  const serve = () => {
    for (;;) {
      while (blockedPuts.length > 0 && depth() < capacity) {
        const b = blockedPuts.shift()!;
        admit(b.item, b.from, b.waited);
      }
      if (depth() === 0 || getters.length === 0) { return; }
      // Replay gives each message to the hearer that got it before; else the first who asked.
      const at = getOrder && served < getOrder.length ? getters.indexOf(getOrder[served]) : 0;
      if (at < 0) { return; }
      const [hearer] = getters.splice(at, 1);
      const item = items[head++];
      if (head > 4096 && head * 2 > items.length) { items.splice(0, head); head = 0; }
      served++;
      hearerSockets[hearer].write(reply(item.value, item.shouter | (pendingSince.get(hearer) ? WAITED_FLAG : 0), stamp()));
      pendingSince.delete(hearer);
    }
  };
  /** Hearers whose request found the queue empty (their get blocked). */
  const pendingSince = new Map<number, boolean>();

  const closed = () => {
    if (--open === 0) { void rt.finish(); }
  };
  for (let k = 0; k < config.shouters; k++) {
    const socket = new net.Socket({ fd: FIRST_CLIENT_FD + k, readable: true, writable: true });
    shouterSockets.push(socket);
    readItems(socket, (value, shouter) => {
      if (value === SHOUTER_DONE) {
        if (++shoutersDone === config.shouters) {
          for (let j = 0; j < config.hearers; j++) { put({ value: SENTINEL, shouter: 0 }, undefined); }
        }
      } else {
        put({ value, shouter }, k);
      }
      serve();
    });
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', closed);
  }
  for (let j = 0; j < config.hearers; j++) {
    const socket = new net.Socket({ fd: FIRST_CLIENT_FD + config.shouters + j, readable: true, writable: true });
    hearerSockets.push(socket);
    readItems(socket, () => {
      pendingSince.set(j, depth() === 0);
      getters.push(j);
      serve();
    });
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', closed);
  }
  rt.passStartGate();
  rt.record(EventKind.Start, process.pid, rt.now());
}

void main();
