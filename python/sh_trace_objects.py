"""Traced versions of the user's queues and locks (subclasses of multiprocessing's own).

Only objects the user's code creates become these (the factories in sh_trace_patch.py look at
the caller); the locks and pipes inside a Queue stay plain. Each carries its run-wide object
number through pickling, so every process records it under the same number. Every put is
tagged `(lane, tag, item)` on the wire and unwrapped by the get: equal values are told apart
and each get names the put it took (docs/trace-format.md, "Traced scripts").
"""
import queue as queue_mod
import time
from multiprocessing import queues, synchronize

import sh_trace_spool as sp
from sh_trace_spool import (RECORD, caller_site, GET, GET_WAIT, JOIN_WAIT, LOCK_HELD,
                            LOCK_WAIT, PUT, PUT_BLOCKED, REPR_MAX, TASK_DONE)

NO_LANE = 0xFFFF
_mono = time.monotonic_ns
_pack = RECORD.pack
HELD_STACK_MAX = 64
# A get that took longer than this from its call to its item is drawn as a wait (getWait):
# shorter is the cost of the call itself (taking the reader lock, reading the pipe).
GET_WAIT_MIN_NS = 50000
_SIMPLE = (int, float, bool, type(None))
_reprlib = None
try:
    from _multiprocessing import SemLock as _SemLock
    SEM_VALUE_MAX = _SemLock.SEM_VALUE_MAX  # what Queue(maxsize=0) means
except (ImportError, AttributeError):
    SEM_VALUE_MAX = 2 ** 31 - 1


def short_repr(x):
    t = type(x)
    if t in _SIMPLE or (t is str and len(x) <= REPR_MAX):
        return repr(x)
    global _reprlib
    if _reprlib is None:
        import reprlib
        _reprlib = reprlib.Repr()
        _reprlib.maxstring = _reprlib.maxother = REPR_MAX
    try:
        return _reprlib.repr(x)
    except Exception:
        return '<%s>' % t.__name__


class _Stamp:
    """The queue's capacity semaphore, noting when a put got its slot (acquire) and when a get
    took its item (the release right after reading it): exact Put/Get moments, so a Get never
    precedes its Put and the depth never exceeds the capacity. Same calls, just a clock read."""
    __slots__ = ('inner', 'q')

    def __init__(self, inner, q):
        self.inner = inner
        self.q = q

    def acquire(self, *args, **kwargs):
        ok = self.inner.acquire(*args, **kwargs)
        if ok and self.q._sh_t is None:
            self.q._sh_t = _mono() - sp.SPOOL.t0
        return ok

    def release(self):
        if self.q._sh_t is None:
            self.q._sh_t = _mono() - sp.SPOOL.t0
        self.inner.release()

    def __getattr__(self, name):
        return getattr(self.inner, name)


class _QueueTracing:
    """Mixin over queues.Queue / queues.JoinableQueue."""
    _sh_obj = 0
    _sh_t = None

    def _sh_wrap(self):
        # Bounded queues only: there a get frees a slot that a blocked put takes at once, so
        # both moments must be read inside the queue. Unbounded: a put is stamped before the
        # call and a get after it, which already keeps every Get after its Put, at no cost.
        if self._maxsize < SEM_VALUE_MAX:
            self._sem = _Stamp(self._sem, self)

    def __getstate__(self):
        state = list(super().__getstate__())
        if isinstance(state[6], _Stamp):
            state[6] = state[6].inner
        return tuple(state) + (self._sh_obj,)

    def __setstate__(self, state):
        super().__setstate__(state[:-1])
        self._sh_obj = state[-1]
        self._sh_wrap()

    def put(self, obj, block=True, timeout=None):
        S = sp.SPOOL
        proc = S.proc
        if proc is None:
            return super().put((NO_LANE, 0, obj), block, timeout)
        site = caller_site(S, 1)
        tag = S.string(short_repr(obj), REPR_MAX)
        item = (proc, tag, obj)
        self._sh_t = None
        t = (_mono() - S.t0)
        try:
            super().put(item, False)
        except queue_mod.Full:
            if not block:
                raise
            try:
                super().put(item, True, timeout)
            finally:
                slot = self._sh_t if self._sh_t is not None else (_mono() - S.t0)
                S.add(PUT_BLOCKED, 0, self._sh_obj, site, tag, proc, t, slot - t)
        slot = self._sh_t if self._sh_t is not None else t
        S.records.append(_pack(PUT, 0, proc, self._sh_obj, site, tag, proc, slot, 0))

    def get(self, block=True, timeout=None):
        """No non-blocking attempt first (multiprocessing polls through a selector for it, ~3 µs):
        the wait is the time from the call to the item, recorded when longer than GET_WAIT_MIN_NS."""
        S = sp.SPOOL
        if S.proc is None:
            return super().get(block, timeout)[2]
        site = caller_site(S, 1)
        self._sh_t = None
        w = _mono() - S.t0
        try:
            item = super().get(block, timeout)
        finally:
            t = self._sh_t if self._sh_t is not None else _mono() - S.t0
            if t - w > GET_WAIT_MIN_NS:
                S.records.append(_pack(GET_WAIT, 0, S.proc, self._sh_obj, site, 0, 0, w, t - w))
        proc, tag, value = item
        S.records.append(_pack(GET, 0, S.proc, self._sh_obj, site, tag, proc, t, 0))
        return value


class TracedQueue(_QueueTracing, queues.Queue):
    pass


class TracedJoinableQueue(_QueueTracing, queues.JoinableQueue):
    def task_done(self):
        S = sp.SPOOL
        if S.proc is not None:
            # Recorded first: once it returns, a join() may end the program at once.
            S.add(TASK_DONE, 0, self._sh_obj, caller_site(S, 1), 0, 0, (_mono() - S.t0))
        super().task_done()

    def join(self):
        S = sp.SPOOL
        if S.proc is None:
            return super().join()
        site = caller_site(S, 1)
        t = (_mono() - S.t0)
        try:
            super().join()
        finally:
            S.add(JOIN_WAIT, 0, self._sh_obj, site, 0, 0, t, (_mono() - S.t0) - t)


class TracedSimpleQueue(queues.SimpleQueue):
    _sh_obj = 0

    def __getstate__(self):
        return super().__getstate__() + (self._sh_obj,)

    def __setstate__(self, state):
        super().__setstate__(state[:-1])
        self._sh_obj = state[-1]

    def put(self, obj):
        S = sp.SPOOL
        proc = S.proc
        if proc is None:
            return super().put((NO_LANE, 0, obj))
        site = caller_site(S, 1)
        tag = S.string(short_repr(obj), REPR_MAX)
        t = (_mono() - S.t0)  # before the write: its get cannot come earlier
        super().put((proc, tag, obj))
        S.add(PUT, 0, self._sh_obj, site, tag, proc, t)

    def get(self):
        S = sp.SPOOL
        if S.proc is None:
            return super().get()[2]
        site = caller_site(S, 1)
        w = (_mono() - S.t0) if self.empty() else None
        proc, tag, value = super().get()
        t = (_mono() - S.t0)
        if w is not None:
            S.add(GET_WAIT, 0, self._sh_obj, site, 0, 0, w, t - w)
        S.add(GET, 0, self._sh_obj, site, tag, proc, t)
        return value


class _LockTracing:
    """Mixin over synchronize.Lock / RLock / Semaphore: acquire wait and held spans."""
    _sh_obj = 0
    _sh_recursive = False

    def _make_methods(self):
        super()._make_methods()
        self._sh_acq = self._semlock.acquire
        self._sh_rel = self._semlock.release
        self._sh_held = []
        self.acquire = self._sh_acquire
        self.release = self._sh_release

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        return self.release()

    def __getstate__(self):
        return tuple(super().__getstate__()) + (self._sh_obj,)

    def __setstate__(self, state):
        super().__setstate__(state[:-1])
        self._sh_obj = state[-1]

    def _sh_acquire(self, block=True, timeout=None):
        S = sp.SPOOL
        if S.proc is None:
            return self._sh_acq(block, timeout)
        if self._sh_acq(False):
            t = (_mono() - S.t0)
            site = caller_site(S, 1)
        elif not block:
            return False
        else:
            site = caller_site(S, 1)
            w = (_mono() - S.t0)
            ok = self._sh_acq(True, timeout)
            t = (_mono() - S.t0)
            S.records.append(_pack(LOCK_WAIT, 0, S.proc, self._sh_obj, site, 0, 0, w, t - w))
            if not ok:
                return False
        held = self._sh_held
        if len(held) >= HELD_STACK_MAX:  # acquired here, released elsewhere: keep it bounded
            del held[0]
        held.append((t, site))
        return True

    def _sh_release(self):
        S = sp.SPOOL
        held = self._sh_held
        if not held or S.proc is None:
            return self._sh_rel()
        end = (_mono() - S.t0)  # before the release: two holders' spans never overlap
        self._sh_rel()
        if self._sh_recursive and len(held) > 1:
            held.pop()
            return
        t, site = held.pop()
        S.records.append(_pack(LOCK_HELD, 0, S.proc, self._sh_obj, site, 0, 0, t, end - t))


class TracedLock(_LockTracing, synchronize.Lock):
    pass


class TracedRLock(_LockTracing, synchronize.RLock):
    _sh_recursive = True


class TracedSemaphore(_LockTracing, synchronize.Semaphore):
    pass


class TracedBoundedSemaphore(_LockTracing, synchronize.BoundedSemaphore):
    pass


# context method name -> (class, kind in the object meta)
FACTORIES = {
    'Queue': (TracedQueue, 'queue'),
    'JoinableQueue': (TracedJoinableQueue, 'joinableQueue'),
    'SimpleQueue': (TracedSimpleQueue, 'simpleQueue'),
    'Lock': (TracedLock, 'lock'),
    'RLock': (TracedRLock, 'rlock'),
    'Semaphore': (TracedSemaphore, 'semaphore'),
    'BoundedSemaphore': (TracedBoundedSemaphore, 'semaphore'),
}
assert RECORD.size == 32
