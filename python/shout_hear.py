#!/usr/bin/env python3
"""The lesson's Shout/Hear program with real multiprocessing, traced for the Shout/Hear host.

    python3 [-u] shout_hear.py '<json config>'

fd 1: the printed lines (the real output). fd 2: errors. fd 4: a unix socket to the host, the
trace channel (frames `[u8 type][u32 LE length][payload]`; see README.md). Only the main
process ever writes to fd 4: the children hand their trace batches to main over a Pipe of
their own, so frames can never interleave. Python >= 3.8, POSIX only.
"""
import collections
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.synchronize
import os
import queue as queue_mod
import random
import socket
import struct
import sys
import threading
import time

CHANNEL_FD = 4
FRAME_TRACE = 3
FRAME_FINISHED = 4
FRAME_FAULT = 5
_HEADER = struct.Struct('<BI')
# Trace format v2 (docs/trace-format.md), 32 bytes: kind u8, flags u8, proc u16, obj u16,
# site u16, value i32, aux u32, t f64 (ns since t0), dur f64 (ns)
_RECORD = struct.Struct('<BBHHHiIdd')

# EventKind (src/protocol/events.ts)
START, EXIT, LOCK_WAIT, PRINT, PUT, PUT_BLOCKED, GET, GET_WAIT, NAP = range(9)
# PrintFlags (the record's flags byte)
FAST_ACQUIRE = 1
NO_LOCK = 2
SENTINEL = -1
DONE = 'done'
# Lane of events recorded by the main process (the sentinels it puts with several shouters);
# the lane the format keeps for events of no program process (0xFFFF).
MAIN_PROC = 0xFFFF

BATCH_RECORDS = 2048
FLUSH_S = 0.030
# After Finished, how long main waits for the host to close its side before exiting anyway
# (exiting first could make the host's socket fail with ECONNRESET and drop the last frames).
HOST_CLOSE_GRACE_S = 5.0
EXIT_BAD_CONFIG = 2
EXIT_CHILD_FAILED = 1
EXIT_HOST_GONE = 3
try:
    from _multiprocessing import SemLock
    SEM_VALUE_MAX = min(SemLock.SEM_VALUE_MAX, 2 ** 31 - 1)  # mp.Queue's maxsize is a semaphore
except (ImportError, AttributeError):
    SEM_VALUE_MAX = 2 ** 31 - 1

# The trace channel, in main only. A forked child inherits it and closes its copy first thing.
_channel = None


class ConfigError(Exception):
    pass


# ------------------------------------------------------------------------------ config

def _int(cfg, key, lo, hi):
    v = cfg[key]
    # bool is an int in Python; a JSON true is not a count.
    if isinstance(v, bool) or not isinstance(v, int):
        raise ConfigError('%s must be an integer; got %s' % (key, json.dumps(v)))
    if v < lo or (hi is not None and v > hi):
        where = 'at least %d' % lo if hi is None else 'from %d to %d' % (lo, hi)
        raise ConfigError('%s must be %s; got %d' % (key, where, v))
    return v


def _bool(cfg, key):
    v = cfg[key]
    if not isinstance(v, bool):
        raise ConfigError('%s must be true or false; got %s' % (key, json.dumps(v)))
    return v


REQUIRED = ('messageCount', 'napProbability', 'napMs', 'seed', 'useLock', 't0')
DEFAULTS = {'queueCapacity': 0, 'shouters': 1, 'hearers': 1, 'startMethod': None, 'traced': True}


def parse_config(argv):
    """The validated config as a plain dict; raises ConfigError naming what is wrong."""
    if len(argv) != 1:
        raise ConfigError('expected exactly one argument, the JSON config; got %d' % len(argv))
    try:
        # NaN/Infinity are not JSON: refuse them instead of letting them through as floats.
        cfg = json.loads(argv[0], parse_constant=lambda c: _raise(ConfigError('%s is not a valid JSON value' % c)))
    except ValueError as e:
        raise ConfigError('the config is not valid JSON: %s' % e)
    if not isinstance(cfg, dict):
        raise ConfigError('the config must be a JSON object')
    unknown = sorted(set(cfg) - set(REQUIRED) - set(DEFAULTS))
    if unknown:
        raise ConfigError('unknown config key(s): %s' % ', '.join(unknown))
    missing = [k for k in REQUIRED if k not in cfg]
    if missing:
        raise ConfigError('missing config key(s): %s' % ', '.join(missing))
    for k, v in DEFAULTS.items():
        cfg.setdefault(k, v)

    _int(cfg, 'messageCount', 1, 2 ** 31 - 1)  # messages travel as i32 in the trace
    p = cfg['napProbability']
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ConfigError('napProbability must be a number from 0 to 1; got %s' % json.dumps(p))
    cfg['napProbability'] = float(p)
    _int(cfg, 'napMs', 0, 3600 * 1000)
    _int(cfg, 'seed', 0, None)
    _bool(cfg, 'useLock')
    _bool(cfg, 'traced')
    _int(cfg, 'queueCapacity', 0, SEM_VALUE_MAX)
    _int(cfg, 'shouters', 1, 8)
    _int(cfg, 'hearers', 1, 8)
    method = cfg['startMethod']
    if method is not None:
        if method not in ('fork', 'spawn', 'forkserver'):
            raise ConfigError('startMethod must be "fork", "spawn", "forkserver" or null; got %s' % json.dumps(method))
        if method not in multiprocessing.get_all_start_methods():
            raise ConfigError('startMethod "%s" is not available on this platform (available: %s)'
                              % (method, ', '.join(multiprocessing.get_all_start_methods())))
    t0 = cfg['t0']
    if isinstance(t0, bool) or not (isinstance(t0, int) and t0 >= 0
                                     or isinstance(t0, str) and t0.isdigit() and t0.isascii()):
        raise ConfigError('t0 must be a decimal string of non-negative nanoseconds; got %s' % json.dumps(t0))
    cfg['t0'] = int(t0)
    return cfg


def _raise(e):
    raise e


# ------------------------------------------------------------------------------ tracing

class Recorder:
    """Trace records buffered in memory (a deque: appends and pops are atomic, so the lesson's
    thread and the flusher need no lock between them). In a child, a flusher thread sends
    batches to main over the child's own Pipe every FLUSH_S; main drains its own recorder."""

    def __init__(self, t0, proc, traced):
        self.t0 = t0
        self.proc = proc
        self.traced = traced
        self.records = collections.deque()

    def now(self):
        return float(time.monotonic_ns() - self.t0)

    def add(self, kind, value, t, dur=0.0, aux=0, flags=0):
        self.records.append(_RECORD.pack(kind, flags, self.proc, 0, 0, value, aux, t, dur))

    def take_batch(self):
        """Up to BATCH_RECORDS records as one payload, or b'' if none."""
        out = []
        pop = self.records.popleft
        try:
            while len(out) < BATCH_RECORDS:
                out.append(pop())
        except IndexError:
            pass
        return b''.join(out)


class ChildHelper(threading.Thread):
    """A child's background thread: flushes its trace to main every FLUSH_S, and ends the
    child if main is gone (the child was re-parented), so no child outlives main."""

    def __init__(self, rec, conn):
        super().__init__(daemon=True)
        self.rec = rec
        self.conn = conn
        self.parent = os.getppid()
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(FLUSH_S):
            if os.getppid() != self.parent:
                os._exit(EXIT_HOST_GONE)
            self.flush()

    def flush(self):
        while True:
            batch = self.rec.take_batch()
            if not batch:
                return
            self.conn.send_bytes(batch)

    def close(self):
        self.stopping.set()
        self.join()
        self.flush()
        self.conn.close()


# ------------------------------------------------------------------------------ the lesson

class Lesson:
    """The lesson's operations exactly as the lesson writes them (untraced)."""

    def __init__(self, cfg, q, lock, rec):
        self.q = q
        self.lock = lock
        self.rec = rec
        self.nap_s = cfg['napMs'] / 1000.0

    def lprint(self, text, value):
        if self.lock is None:
            write_in_pieces(text)
            return
        with self.lock:
            sys.stdout.write(text + '\n')
            sys.stdout.flush()

    def put(self, item, value, shouter):
        self.q.put(item)

    def get(self):
        return self.q.get()

    def nap(self, value):
        time.sleep(self.nap_s)


def write_in_pieces(text):
    """Without the lock: one character per write, so lines of two processes can mix mid-line."""
    for ch in (text + '\n').encode('utf-8'):
        os.write(1, bytes((ch,)))


class QueueMoments:
    """When exactly a put took its slot in the queue and a get took its item.

    Stamping only around `put()`/`get()` is not exact enough to be true on a timeline:
    `get()` frees the item's slot (the queue's capacity semaphore) and, with several hearers,
    its turn at the pipe (the queue's reader lock) *before* it returns, so a blocked put or
    another hearer's get can happen, and be stamped, before the get that made it possible.
    The depth computed from the stamps then exceeds the capacity, and gets look out of order.

    So in each process this wraps the queue's own semaphore and reader lock (CPython's
    `_sem` and `_rlock`, present from 3.4 to 3.13) in proxies that note the time: a put's slot
    when its `_sem.acquire` succeeds (before the item goes to the feeder thread, so before any
    get of it); a get's moment at the first `_sem`/`_rlock` release after the item was read
    (before anyone else can use what it frees). Same calls, same order, no extra lock: just a
    clock read. Without those attributes it falls back to stamping after the call returns.
    """

    def __init__(self, q, rec):
        self.t = None
        self.exact = False
        sem = getattr(q, '_sem', None)
        rlock = getattr(q, '_rlock', None)
        if all(hasattr(x, 'acquire') and hasattr(x, 'release') for x in (sem, rlock)):
            q._sem = _Stamped(sem, self, rec, on_acquire=True)
            q._rlock = _Stamped(rlock, self, rec, on_acquire=False)
            self.exact = True

    def reset(self):
        self.t = None

    def taken(self, rec):
        """The moment noted since reset(), or now if none was (the fallback)."""
        t = self.t
        return rec.now() if t is None else t


class _Stamped:
    """A lock or semaphore that notes (once per reset) when it was released, and for the
    semaphore also when it was acquired (only a put acquires it: the slot is ours from then)."""

    def __init__(self, inner, moments, rec, on_acquire):
        self.inner = inner
        self.moments = moments
        self.rec = rec
        self.on_acquire = on_acquire

    def acquire(self, *args, **kwargs):
        ok = self.inner.acquire(*args, **kwargs)
        if ok and self.on_acquire and self.moments.t is None:
            self.moments.t = self.rec.now()
        return ok

    def release(self):
        if self.moments.t is None:
            self.moments.t = self.rec.now()
        self.inner.release()

    def __enter__(self):
        self.inner.acquire()
        return self

    def __exit__(self, *exc):
        self.release()

    def __getattr__(self, name):
        return getattr(self.inner, name)


class TracedLesson(Lesson):
    """The same operations, stamping events around them. Nothing here takes a lock the lesson
    does not: records go to an in-memory buffer. Non-blocking attempts come first only to know
    whether the blocking call had to wait."""

    def lprint(self, text, value):
        rec = self.rec
        if self.lock is None:
            t = rec.now()
            write_in_pieces(text)
            rec.add(PRINT, value, t, rec.now() - t, 0, NO_LOCK)
            return
        lock = self.lock
        if lock.acquire(False):
            t = rec.now()
            flags = FAST_ACQUIRE
        else:
            w = rec.now()
            lock.acquire()
            t = rec.now()
            rec.add(LOCK_WAIT, value, w, t - w)
            flags = 0
        try:
            sys.stdout.write(text + '\n')
            sys.stdout.flush()
            # Stamped before the release, so two holders' Print spans never overlap.
            end = rec.now()
        finally:
            lock.release()
        rec.add(PRINT, value, t, end - t, 0, flags)

    def __init__(self, cfg, q, lock, rec):
        super().__init__(cfg, q, lock, rec)
        self.moment = QueueMoments(q, rec)

    def put(self, item, value, shouter):
        rec = self.rec
        moment = self.moment
        t = rec.now()
        moment.reset()
        try:
            self.q.put_nowait(item)
            blocked = False
        except queue_mod.Full:
            self.q.put(item)
            blocked = True
        slot = moment.taken(rec)
        if blocked:
            rec.add(PUT_BLOCKED, value, t, slot - t, shouter)
        rec.add(PUT, value, slot, 0.0, shouter)

    def get(self):
        rec = self.rec
        moment = self.moment
        moment.reset()
        try:
            item = self.q.get_nowait()
            t = moment.taken(rec)
        except queue_mod.Empty:
            # Also when an item is still in the putter's feeder thread: then it counts as a wait.
            w = rec.now()
            moment.reset()
            item = self.q.get()
            t = moment.taken(rec)
            rec.add(GET_WAIT, 0, w, t - w)
        if item == DONE:
            rec.add(GET, SENTINEL, t, 0.0, 0)
        else:
            rec.add(GET, item[1], t, 0.0, item[0])
        return item

    def nap(self, value):
        t = self.rec.now()
        time.sleep(self.nap_s)
        self.rec.add(NAP, value, t, self.rec.now() - t)


def shouter(k, cfg, ops):
    """Shouter k (0-based): random.Random(seed + k) decides the naps, as in the Node engine."""
    n = cfg['messageCount']
    p = cfg['napProbability']
    rng = random.Random(cfg['seed'] + k)
    several = cfg['shouters'] > 1 or cfg['hearers'] > 1
    for i in range(1, n + 1):
        nap = rng.random() < p
        ops.lprint('Shout[%d]: %d' % (k + 1, i) if several else 'Shout: %d' % i, i)
        ops.put((k, i), i, k)
        if nap:
            ops.nap(i)
    if cfg['shouters'] == 1:
        # As in the lesson, the only shouter says "done" itself: once per hearer.
        for _ in range(cfg['hearers']):
            ops.put(DONE, SENTINEL, k)


def hearer(j, cfg, ops):
    several = cfg['shouters'] > 1 or cfg['hearers'] > 1
    while True:
        item = ops.get()
        if item == DONE:
            return
        k, i = item
        ops.lprint('Hear[%d]: %d/%d' % (j + 1, k + 1, i) if several else 'Hear: %d' % i, i)


def child_main(role, index, cfg, q, lock, conn):
    """Entry point of every child process (importable at top level for spawn/forkserver)."""
    global _channel
    if _channel is not None:
        # Forked from main: drop our copy of fd 4, so main stays its only writer and the
        # host sees the channel close when main exits.
        _channel.close()
        _channel = None
    proc = index if role == 'shouter' else cfg['shouters'] + index
    rec = Recorder(cfg['t0'], proc, cfg['traced'])
    helper = ChildHelper(rec, conn)
    helper.start()
    ops = (TracedLesson if cfg['traced'] else Lesson)(cfg, q, lock if cfg['useLock'] else None, rec)
    if cfg['traced']:
        rec.add(START, os.getpid(), rec.now())
    try:
        (shouter if role == 'shouter' else hearer)(index, cfg, ops)
        if cfg['traced']:
            rec.add(EXIT, 0, rec.now())
    finally:
        # Even after an error: what happened up to it still reaches the timeline.
        helper.close()


# ------------------------------------------------------------------------------ main

_children = []


def send_frame(kind, payload=b''):
    try:
        _channel.sendall(_HEADER.pack(kind, len(payload)) + payload)
    except OSError:
        host_gone()


def host_gone():
    """The host is gone: nothing may live on. Kill every child and exit at once. (A forkserver,
    if used, exits by itself when main is gone: its "alive" pipe reaches EOF.)"""
    kill_children(_children)
    release_semaphores()
    os._exit(EXIT_HOST_GONE)


_semaphores = []


def release_semaphores():
    """With spawn and forkserver the queue's and the lock's semaphores are named (in /dev/shm)
    and only the resource tracker unlinks them, at a normal exit; a killed process group leaves
    them behind. Unlink ours now. (With fork they were unlinked at creation: no name.)"""
    for sem in _semaphores:
        name = getattr(getattr(sem, '_semlock', None), 'name', None)
        if not name:
            continue
        try:
            multiprocessing.synchronize.SemLock._cleanup(name)  # sem_unlink + tell the tracker
        except Exception:
            pass


class Child:
    def __init__(self, role, index, several, process, conn):
        self.role = role
        self.index = index
        self.name = '%s %d' % (role, index + 1) if several else 'the ' + role
        self.process = process
        self.conn = conn  # the read end of its trace pipe; None once at EOF
        self.exited = False


def describe_exit(child):
    code = child.process.exitcode
    how = 'was killed by signal %d' % -code if code < 0 else 'exited with code %d' % code
    return '%s (pid %d) %s' % (child.name, child.process.pid, how)


def kill_children(children):
    for c in children:
        try:
            c.process.kill()
        except Exception:
            pass


def watch_channel(finishing, host_closed):
    """Main's watcher thread: the host closing fd 4 means it is gone (or, after Finished, done
    with us)."""
    try:
        while _channel.recv(4096):
            pass  # the host sends nothing we act on
    except OSError:
        pass
    if finishing.is_set():
        host_closed.set()
        return
    host_gone()


def put_sentinels(cfg, q, rec):
    """With several shouters, once main has joined them all: one "done" per hearer. A thread,
    so that main keeps forwarding the trace while a bounded queue makes these puts wait."""
    ops = (TracedLesson if cfg['traced'] else Lesson)(cfg, q, None, rec)
    for _ in range(cfg['hearers']):
        ops.put(DONE, SENTINEL, 0)


def run(cfg):
    ctx = multiprocessing.get_context(cfg['startMethod'])
    q = ctx.Queue(cfg['queueCapacity'])
    lock = ctx.Lock()
    for sem in (getattr(q, '_rlock', None), getattr(q, '_wlock', None), getattr(q, '_sem', None), lock):
        if sem is not None:
            _semaphores.append(sem)
    several = cfg['shouters'] > 1 or cfg['hearers'] > 1
    children = _children
    roles = [('shouter', k) for k in range(cfg['shouters'])] + [('hearer', j) for j in range(cfg['hearers'])]
    # Start every child before main starts any thread (forking a threaded process is unsafe).
    for role, index in roles:
        r, w = ctx.Pipe(duplex=False)
        p = ctx.Process(target=child_main, args=(role, index, cfg, q, lock, w),
                        name='shout_hear-%s-%d' % (role, index + 1), daemon=True)
        p.start()
        w.close()  # the child has its own copy; EOF on r then means the child is done sending
        children.append(Child(role, index, several, p, r))

    finishing = threading.Event()
    host_closed = threading.Event()
    threading.Thread(target=watch_channel, args=(finishing, host_closed), daemon=True).start()
    rec = Recorder(cfg['t0'], MAIN_PROC, cfg['traced'])
    sentinels_due = cfg['shouters'] > 1
    sentinel_thread = None

    # Main's loop: forward each child's trace batches as frames (main is fd 4's only writer),
    # and watch for children exiting.
    failure = None
    while failure is None and not all(c.exited and c.conn is None for c in children):
        waitables = [c.conn for c in children if c.conn is not None]
        waitables += [c.process.sentinel for c in children if not c.exited]
        ready = multiprocessing.connection.wait(waitables, FLUSH_S)
        for c in children:
            if c.conn is not None and c.conn in ready:
                try:
                    send_frame(FRAME_TRACE, c.conn.recv_bytes())
                except EOFError:
                    c.conn.close()
                    c.conn = None
            if not c.exited and c.process.sentinel in ready:
                c.process.join()
                c.exited = True
                if c.process.exitcode != 0:
                    failure = describe_exit(c)
                    break
        if failure is None and sentinels_due and all(c.exited for c in children if c.role == 'shouter'):
            sentinels_due = False
            sentinel_thread = threading.Thread(target=put_sentinels, args=(cfg, q, rec), daemon=True)
            sentinel_thread.start()
        if sentinel_thread is not None and failure is None and all(c.exited for c in children):
            sentinel_thread.join()  # its last Put record may come after the hearer got that "done"
        send_main_records(rec)

    if failure is not None:
        kill_children(children)
        release_semaphores()
        finishing.set()  # before the last frame: the host closes fd 4 as soon as it reads it
        send_frame(FRAME_FAULT, failure.encode('utf-8'))
        _close_channel(finishing, host_closed)
        sys.stderr.write('shout_hear: %s\n' % failure)
        sys.stderr.flush()
        # Not a normal exit: the queue's feeder may never drain with the hearers dead.
        os._exit(EXIT_CHILD_FAILED)

    finishing.set()
    send_frame(FRAME_FINISHED)
    _close_channel(finishing, host_closed)
    return 0


def send_main_records(rec):
    while True:
        batch = rec.take_batch()
        if not batch:
            return
        send_frame(FRAME_TRACE, batch)


def _close_channel(finishing, host_closed):
    try:
        _channel.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    host_closed.wait(HOST_CLOSE_GRACE_S)


def open_channel():
    try:
        os.fstat(CHANNEL_FD)
    except OSError:
        raise ConfigError('fd %d (the trace channel) is not open: this program is run by the Shout/Hear host'
                          % CHANNEL_FD)
    try:
        s = socket.socket(fileno=CHANNEL_FD)
    except OSError as e:
        raise ConfigError('fd %d (the trace channel) is not a socket: %s' % (CHANNEL_FD, e))
    s.setblocking(True)
    os.set_inheritable(CHANNEL_FD, False)  # spawned programs (forkserver, spawn) never get it
    return s


def main(argv):
    global _channel
    try:
        cfg = parse_config(argv)
        _channel = open_channel()
    except ConfigError as e:
        sys.stderr.write('shout_hear: bad input: %s\n' % e)
        return EXIT_BAD_CONFIG
    return run(cfg)


if __name__ == '__main__':
    if sys.version_info < (3, 8):
        sys.stderr.write('shout_hear: bad input: Python 3.8 or newer is needed; this is %s (%s)\n'
                         % (sys.version.split()[0], sys.executable))
        sys.exit(EXIT_BAD_CONFIG)
    sys.exit(main(sys.argv[1:]))
