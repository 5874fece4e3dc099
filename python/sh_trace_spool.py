"""The traced program's recorder: every process of the run appends its trace to one spool file.

Each process buffers 32-byte records (docs/trace-format.md, v2) in memory and appends them, with
the meta frames they depend on, as whole frames in ONE os.write to `<dir>/trace.bin`, opened
O_APPEND (so writes of different processes never interleave and nobody waits on the host).
A daemon thread flushes every FLUSH_S; a full batch, a fork and the end of a process flush too.
Run-wide numbers (lanes, objects, sites) are claimed from counter files in the same folder: one
byte appended to `<dir>/<name>` with a private fd; the offset after the write is the number.
"""
import itertools
import json
import os
import select
import struct
import signal
import sys
import threading
import time

FRAME_TRACE, FRAME_FINISHED, FRAME_FAULT, FRAME_META = 3, 4, 5, 6
_HEADER = struct.Struct('<BI')
# kind u8, flags u8, proc u16, obj u16, site u16, value i32, aux u32, t f64, dur f64
RECORD = struct.Struct('<BBHHHiIdd')
BATCH_RECORDS = 2048
FLUSH_S = 0.05
# 512 texts of <= 200 characters stay < 1 MiB as JSON even when every character is escaped.
MAX_STRINGS_BATCH = 512
PATH_MAX = 1024
REPR_MAX = 80
TEXT_MAX = 200
NO_SITE = 0
MAX_U16 = 0xFFFE

# EventKind (docs/trace-format.md)
START, EXIT, LOCK_WAIT, PRINT, PUT, PUT_BLOCKED, GET, GET_WAIT, NAP = range(9)
LOCK_HELD, TASK_DONE, JOIN_WAIT = 11, 12, 13
# Exit flags: recorded by the parent that saw the child end (it could not record its own exit).
EXIT_SEEN_BY_PARENT = 1

# This process's Spool (set by sh_trace_patch.install).
SPOOL = None


class Spool:
    """This process's recorder. `proc` is None until the process has a lane (e.g. a forkserver,
    or a spawn child importing the main module): then nothing is recorded."""

    def __init__(self, folder, t0):
        self.folder = folder
        self.t0 = t0
        self.proc = None
        self.records = []
        self.metas = []
        self.sites = {}
        self.tags = itertools.count(1)
        self.strings = []
        self.fd = None
        # Re-entrant: the host's SIGTERM may raise in main while it is flushing; _finish flushes again.
        self.lock = threading.RLock()
        self.flusher = None
        self.sigterm_watch = None  # (read fd, write fd, handler, main thread id): watch_sigterm
        os.register_at_fork(before=self._before_fork, after_in_parent=self._after_fork_parent,
                            after_in_child=self._after_fork_child)

    # -------------------------------------------------------------- run-wide numbers
    def claim(self, name, first):
        """The next number of counter `name` (from `first`), unique in the whole run."""
        fd = os.open(os.path.join(self.folder, name), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, b'.')
            return os.lseek(fd, 0, os.SEEK_CUR) - 1 + first
        finally:
            os.close(fd)

    # -------------------------------------------------------------- recording
    def now(self):
        return time.monotonic_ns() - self.t0

    def add(self, kind, flags, obj, site, value, aux, t, dur=0.0, proc=None):
        """One record (the hot paths in sh_trace_objects/patch append to `records` inline).
        The flusher thread writes them: no syscall on the program's own path."""
        if proc is None:
            proc = self.proc
            if proc is None:
                return
        self.records.append(RECORD.pack(kind, flags, proc, obj, site, value, aux, t, dur))

    def meta(self, obj):
        if self.proc is not None:
            self.metas.append(json.dumps(obj, separators=(',', ':')).encode('utf-8'))

    def string(self, text, limit):
        """A new tag of this lane, naming `text` (a put's repr or a print's text). The counter
        is atomic, so threads of one process never share a tag."""
        if len(text) > limit:
            text = text[:limit - 1] + '\u2026'
        tag = next(self.tags)
        self.strings.append((tag, text))
        return tag

    def _strings_meta(self):
        """The pending strings as meta objects, one per run of consecutive tags."""
        n = len(self.strings)
        if not n:
            return
        pairs = sorted(self.strings[:n])
        del self.strings[:n]
        start = 0
        for i in range(1, n + 1):
            if i == n or pairs[i][0] != pairs[i - 1][0] + 1 or i - start >= MAX_STRINGS_BATCH:
                self.meta({'type': 'strings', 'proc': self.proc, 'first': pairs[start][0],
                           'texts': [t for _, t in pairs[start:i]]})
                start = i

    def site(self, filename, line):
        key = (filename, line)
        s = self.sites.get(key)
        if s is None:
            s = self.claim('sites', 1) if len(filename) <= PATH_MAX else MAX_U16 + 1
            if s > MAX_U16:
                s = NO_SITE
            else:
                self.meta({'type': 'site', 'site': s, 'file': filename, 'line': line})
            self.sites[key] = s
        return s

    # -------------------------------------------------------------- writing
    def open(self):
        self.fd = os.open(os.path.join(self.folder, 'trace.bin'), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.set_inheritable(self.fd, False)

    def start_flusher(self):
        if self.flusher is None:
            self.flusher = threading.Thread(target=self._flush_loop, name='shout-hear-trace', daemon=True)
            # The thread starts with every signal blocked (a new thread inherits its creator's
            # mask), so the kernel delivers SIGTERM and SIGINT to the program's own main thread.
            # Delivered to this thread instead, a signal would only set Python's flag while the
            # main thread stays blocked in a read (a worker in queue.get()): multiprocessing's
            # terminate() at exit would then never end that worker, and main would wait forever.
            old = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            try:
                self.flusher.start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def watch_sigterm(self, handler):
        """Closes CPython's signal race for `handler`, a SIGTERM handler that ends the process
        (call from the main thread). A signal that lands just as the main thread enters a
        blocking wait (a semaphore in queue.get()) only sets Python's flag, and the handler
        then waits for a wake-up that never comes: multiprocessing's terminate() of a daemon
        at exit left main joining it forever (gdb showed SIGTERM tripped, main in sem_wait).
        Python's wakeup fd tells the flusher thread that SIGTERM came; while `handler` is
        still installed, the flusher sends SIGTERM to the main thread itself, which
        interrupts the wait so the handler runs."""
        r, w = os.pipe()
        os.set_blocking(w, False)
        try:
            signal.set_wakeup_fd(w, warn_on_full_buffer=False)
        except ValueError:  # not the main thread: no watch, the race stays
            os.close(r)
            os.close(w)
            return
        self.sigterm_watch = (r, w, handler, threading.get_ident())

    def _flush_loop(self):
        sigterm = False
        while True:
            watch = self.sigterm_watch
            if watch is None:
                _plain_sleep(FLUSH_S)
            elif select.select([watch[0]], [], [], FLUSH_S)[0]:
                sigterm |= signal.SIGTERM in os.read(watch[0], 256)
            if self.records or self.metas or self.strings:
                self.flush()
            if sigterm and watch is not None and signal.getsignal(signal.SIGTERM) is watch[2]:
                signal.pthread_kill(watch[3], signal.SIGTERM)  # its handler has not run: wake main

    def flush(self, extra=b''):
        with self.lock:
            self._flush_locked(extra)

    def _flush_locked(self, extra=b''):
        if self.fd is None:
            return
        if self.strings and self.proc is not None:
            self._strings_meta()
        parts = []
        n = len(self.metas)
        if n:
            for m in self.metas[:n]:
                parts.append(_HEADER.pack(FRAME_META, len(m)) + m)
            del self.metas[:n]
        n = len(self.records)
        while n:
            k = min(n, 32768)  # a frame's payload stays <= 1 MiB
            body = b''.join(self.records[:k])
            del self.records[:k]
            parts.append(_HEADER.pack(FRAME_TRACE, len(body)) + body)
            n -= k
        if extra:
            parts.append(extra)
        if parts:
            _write_all(self.fd, b''.join(parts))

    def frame(self, kind, payload=b''):
        return _HEADER.pack(kind, len(payload)) + payload

    # -------------------------------------------------------------- fork
    def _before_fork(self):
        self.lock.acquire()
        try:
            self._flush_locked()
        except OSError:
            pass

    def _after_fork_parent(self):
        self.lock.release()

    def _after_fork_child(self):
        self.lock = threading.RLock()
        self.records = []
        self.metas = []
        self.strings = []
        self.tags = itertools.count(1)
        self.flusher = None
        if self.sigterm_watch is not None:  # the parent's pipe: a traced child makes its own
            try:
                signal.set_wakeup_fd(-1)
                os.close(self.sigterm_watch[0])
                os.close(self.sigterm_watch[1])
            except (ValueError, OSError):  # forked from another thread: leave them
                pass
            self.sigterm_watch = None
        self.proc = None  # the child's lane is set by Process._bootstrap (none in a forkserver)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


_plain_sleep = time.sleep


def is_user_file(filename, cache={}, _skip=[]):
    """True for the user's own code: not the standard library, site-packages or this tracer."""
    u = cache.get(filename)
    if u is None:
        if not _skip:
            import sysconfig
            paths = sysconfig.get_paths()
            dirs = {os.path.dirname(os.__file__), os.path.dirname(os.path.abspath(__file__))}
            for key in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
                if paths.get(key):
                    dirs.add(paths[key])
            _skip.extend(os.path.join(d, '') for d in dirs)
            _skip.extend(os.path.join(os.path.realpath(d), '') for d in dirs)
        u = not filename.startswith('<') and not any(filename.startswith(d) for d in _skip)
        cache[filename] = u
    return u


# (id of code object, line) -> (code, site of a user frame or None for a frame that is not the
# user's). Keyed by id: hashing a code object is slow; the code kept in the value guards
# against a reused id. Per process; a forked child inherits it with the site table it refers to.
_code_sites = {}
_getframe = sys._getframe


def caller_site(spool, depth):
    """The site of the first user frame from `depth` frames up (NO_SITE if none): where the
    user's code called the operation, even through library code (e.g. `with lock:` inside
    a Condition)."""
    f = _getframe(depth + 1)
    code = f.f_code
    hit = _code_sites.get((id(code), f.f_lineno))
    if hit is not None and hit[0] is code and hit[1] is not None:
        return hit[1]
    while f is not None:
        s = direct_user_site(spool, f)
        if s is not None:
            return s
        f = f.f_back
    return NO_SITE


def direct_user_site(spool, f):
    """The site of frame `f` if it is the user's code, else None."""
    code = f.f_code
    key = (id(code), f.f_lineno)
    hit = _code_sites.get(key)
    if hit is not None and hit[0] is code:
        return hit[1]
    s = spool.site(code.co_filename, f.f_lineno) if is_user_file(code.co_filename) else None
    _code_sites[key] = (code, s)
    return s
