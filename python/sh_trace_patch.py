"""Installs the tracing in one process of a traced program (main, and every child).

Patches, all by wrapping the standard library's own functions (same calls, same results):
the multiprocessing context factories (user-created queues and locks become sh_trace_objects
classes; Pool, Manager, Pipe... are reported as untraced), Process start/_bootstrap/join/
terminate (lanes, start, exit, exceptions), time.sleep (nap), print (print span + text),
input (a clear message: stdin is closed), threading.Thread.start (reported: threads share
their process's lane), and util.spawnv_passfds, so every spawn child and forkserver runs
this install first (`-c` code prefixed with CHILD_PREFIX) before multiprocessing's own.
"""
import builtins
import os
import signal
import sys
import threading
import time
import traceback

import multiprocessing
from multiprocessing import context, process, util

import sh_trace_spool as sp
from sh_trace_spool import (EXIT, EXIT_SEEN_BY_PARENT, NAP, PRINT, START, TEXT_MAX,
                            caller_site, direct_user_site)
import sh_trace_objects as objs

NO_LANE = 0xFFFF
_mono = time.monotonic_ns
_pack = sp.RECORD.pack
UNTRACED = ('Pool', 'Manager', 'Pipe', 'Event', 'Condition', 'Barrier', 'Value', 'Array',
            'RawValue', 'RawArray')
STDIN_CLOSED = ('standard input is closed in Shout/Hear: input() cannot read here; '
                'pass values as arguments (sys.argv) instead')
CHILD_PREFIX = ('import sys as _s; _s.path.insert(0, %r); import sh_trace_patch as _t; '
                '_s.path.pop(0); _t.install(%r, %r, False); del _s, _t; ')
ERROR_MAX = 8000
TRACER_FILES = ('sh_trace_patch.py', 'sh_trace_objects.py', 'sh_trace_spool.py', 'trace_program.py')

_started = []          # Process objects this process started (for exit reports)
_state = {'exiting': False, 'config': None, 'main_pid': None}


def _claim_u16(S, name, first):
    n = S.claim(name, first)
    return n if n <= sp.MAX_U16 else None


def _reported_untraced(S, what, site, _seen=set()):
    if (what, site) not in _seen:
        _seen.add((what, site))
        S.meta({'type': 'untraced', 'what': what, 'site': site})


# ------------------------------------------------------------------ factories
def _traced_factory(name, cls, kind):
    orig = getattr(context.BaseContext, name)

    def factory(self, *args, **kwargs):
        S = sp.SPOOL
        site = direct_user_site(S, sys._getframe(1))
        obj = _claim_u16(S, 'objects', 1) if site is not None else None
        if obj is None:
            return orig(self, *args, **kwargs)
        made = cls(*args, ctx=self.get_context(), **kwargs)
        made._sh_obj = obj
        if hasattr(made, '_sh_wrap'):
            made._sh_wrap()
        f = sys._getframe(1)
        meta = {'type': 'object', 'obj': obj, 'kind': kind, 'site': site,
                'label': '%s:%d' % (os.path.basename(f.f_code.co_filename), f.f_lineno)}
        if kind in ('queue', 'joinableQueue'):
            meta['capacity'] = 0 if made._maxsize >= objs.SEM_VALUE_MAX else made._maxsize
        S.meta(meta)
        return made
    factory.__name__ = name
    factory.__wrapped__ = orig
    return factory


def _untraced_factory(name):
    orig = getattr(context.BaseContext, name)

    def factory(self, *args, **kwargs):
        S = sp.SPOOL
        site = direct_user_site(S, sys._getframe(1))
        if site is not None:
            _reported_untraced(S, name, site)
        return orig(self, *args, **kwargs)
    factory.__name__ = name
    factory.__wrapped__ = orig
    return factory


# ------------------------------------------------------------------ processes
def _lane_meta(S, p, lane, parent, pid):
    S.meta({'type': 'lane', 'proc': lane, 'name': str(p.name)[:100], 'role': 'process',
            'pid': pid, 'parent': parent})


def _exception_meta(S, proc, exc):
    tb = exc.__traceback__
    site = sp.NO_SITE
    while tb is not None:
        if sp.is_user_file(tb.tb_frame.f_code.co_filename):
            site = S.site(tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    text = ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    S.meta({'type': 'error', 'proc': proc, 'site': site,
            'error': ''.join(traceback.format_exception_only(type(exc), exc)).strip()[:1000],
            'traceback': text[-ERROR_MAX:]})
    return site


def strip_tracer_frames(tb):
    """The traceback without this tracer's own frames (e.g. the input() wrapper)."""
    frames = []
    while tb is not None:
        if os.path.basename(tb.tb_frame.f_code.co_filename) not in TRACER_FILES:
            frames.append(tb)
        tb = tb.tb_next
    for a, b in zip(frames, frames[1:] + [None]):
        a.tb_next = b
    return frames[0] if frames else None


def report_exits(S):
    """An `exit` meta for each child this process started, once its exit code is known."""
    for p in list(_started):
        lane = getattr(p, '_sh_lane', None)
        try:
            code = p.exitcode
        except ValueError:  # closed before anyone read its exit code
            code = None
        if code is None or getattr(p, '_sh_reported', False):
            continue
        p._sh_reported = True
        _started.remove(p)
        popen = getattr(p, '_popen', None)
        if code < 0:  # killed by a signal: it could not record its own Exit
            S.add(EXIT, EXIT_SEEN_BY_PARENT, 0, 0, code, 0, S.now(), 0.0, proc=lane)
        S.meta({'type': 'exit', 'proc': lane, 'name': str(p.name)[:100], 'pid': p.pid or 0,
                'code': code, 'daemon': bool(p.daemon),
                'terminatedBy': getattr(popen, '_sh_terminated', None),
                'terminatedAtExit': getattr(popen, '_sh_terminated_at_exit', False)})


def _patch_process():
    BP = process.BaseProcess
    orig_start, orig_boot, orig_join = BP.start, BP._bootstrap, BP.join

    def start(self):
        S = sp.SPOOL
        lane = _claim_u16(S, 'lanes', 0) if S.proc is not None else None
        if lane is not None:
            self._sh_lane = lane
            self._sh_parent = S.proc
            self._sh_start_site = caller_site(S, 1)
        orig_start(self)
        if lane is not None:
            _started.append(self)

    def _bootstrap(self, *args, **kwargs):
        S = sp.SPOOL
        lane = getattr(self, '_sh_lane', None)
        if lane is None or S is None:
            return orig_boot(self, *args, **kwargs)
        if signal.getsignal(signal.SIGTERM) in (_on_sigterm, signal.SIG_DFL):
            # terminate() still kills it with SIGTERM (exit code -15), after a last flush.
            signal.signal(signal.SIGTERM, _flush_and_die)
            S.watch_sigterm(_flush_and_die)
        del _started[:]
        _state['exiting'] = False
        S.proc = lane
        if S.fd is None:
            S.open()
        _lane_meta(S, self, lane, self._sh_parent, os.getpid())
        S.add(START, 0, 0, self._sh_start_site, os.getpid(), self._sh_parent, S.now())
        S.flush()
        S.start_flusher()
        err = [sp.NO_SITE]
        plain_print_exc = traceback.print_exc

        def print_exc(*a, **kw):
            # _bootstrap's report of an exception in run(): note it, print it as Python does.
            exc = sys.exc_info()[1]
            if exc is None or sys._getframe(1).f_code is not orig_boot.__code__:
                return plain_print_exc(*a, **kw)  # someone else's call (e.g. another thread)
            traceback.print_exc = plain_print_exc
            err[0] = _exception_meta(S, lane, exc)
            sys.stderr.write(''.join(traceback.format_exception(type(exc), exc, strip_tracer_frames(exc.__traceback__))))
        traceback.print_exc = print_exc
        try:
            code = orig_boot(self, *args, **kwargs)
        finally:
            traceback.print_exc = plain_print_exc
        report_exits(S)
        S.add(EXIT, 0, 0, err[0], code, 0, S.now())
        S.flush()
        return code

    def join(self, timeout=None):
        orig_join(self, timeout)
        if getattr(self, '_sh_lane', None) is not None and sp.SPOOL.proc is not None:
            report_exits(sp.SPOOL)

    from multiprocessing import popen_fork
    plain_popen_term = popen_fork.Popen.terminate

    def popen_terminate(self):
        # p.terminate(), a Pool's end and multiprocessing's exit (daemons) all end here.
        f = sys._getframe(1)
        if f.f_code.co_name == 'terminate' and f.f_code.co_filename == process.__file__:
            f = f.f_back
        self._sh_terminated = 'program' if sp.is_user_file(f.f_code.co_filename) else 'multiprocessing'
        self._sh_terminated_at_exit = _state['exiting']
        plain_popen_term(self)

    BP.start, BP._bootstrap, BP.join = start, _bootstrap, join
    popen_fork.Popen.terminate = popen_terminate
    plain_exit_function = util._exit_function

    def _exit_function(*args, **kwargs):
        _state['exiting'] = True  # daemons terminated from here on were ended by the exit
        return plain_exit_function(*args, **kwargs)
    util._exit_function = _exit_function


# ------------------------------------------------------------------ builtins, time, threads
def _patch_calls():
    plain_sleep, plain_print, plain_input = time.sleep, builtins.print, builtins.input
    plain_thread_start = threading.Thread.start

    def sleep(seconds):
        S = sp.SPOOL
        site = direct_user_site(S, sys._getframe(1)) if S.proc is not None else None
        if site is None:
            return plain_sleep(seconds)
        t = _mono() - S.t0
        try:
            plain_sleep(seconds)
        finally:
            ms = int(min(max(seconds * 1000.0, 0), 2 ** 31 - 1))
            S.records.append(_pack(NAP, 0, S.proc, 0, site, ms, 0, t, _mono() - S.t0 - t))

    def print_(*args, **kwargs):
        S = sp.SPOOL
        if S.proc is None or kwargs and not _printing_to_std(kwargs):
            return plain_print(*args, **kwargs)
        site = direct_user_site(S, sys._getframe(1))
        if site is None:
            return plain_print(*args, **kwargs)
        t = _mono() - S.t0
        plain_print(*args, **kwargs)
        end_t = _mono() - S.t0
        if len(args) == 1 and type(args[0]) is str:
            text = args[0]
        else:
            try:
                sep = kwargs.get('sep')
                text = (' ' if sep is None else str(sep)).join(map(str, args))
            except Exception:
                text = '?'
        stream = 2 if kwargs and kwargs.get('file') is sys.stderr else 1
        S.records.append(_pack(PRINT, 0, S.proc, 0, site, S.string(text, TEXT_MAX), stream, t, end_t - t))

    def input_(*args):
        try:
            return plain_input(*args)
        except EOFError:
            raise EOFError(STDIN_CLOSED) from None

    def thread_start(self):
        S = sp.SPOOL
        site = direct_user_site(S, sys._getframe(1)) if S is not None and S.proc is not None else None
        if site is not None:
            _reported_untraced(S, 'Thread', site)
        return plain_thread_start(self)

    time.sleep = sleep
    builtins.print = print_
    builtins.input = input_
    threading.Thread.start = thread_start
    sp._plain_sleep = plain_sleep


def _printing_to_std(kwargs):
    f = kwargs.get('file')
    return f is None or f is sys.stdout or f is sys.stderr


def _patch_child_start(config):
    """spawn and forkserver start a new interpreter with `-c code`: run our install first."""
    plain = util.spawnv_passfds
    here = os.path.dirname(os.path.abspath(__file__))

    def spawnv_passfds(path, args, passfds):
        args = list(args)
        if '-c' in args:
            i = args.index('-c') + 1
            code = args[i] if i < len(args) else ''
            if code.startswith(('from multiprocessing.spawn import', 'from multiprocessing.forkserver import')):
                args[i] = CHILD_PREFIX % (here, config['dir'], config['t0']) + code
        return plain(path, args, passfds)
    util.spawnv_passfds = spawnv_passfds


# ------------------------------------------------------------------ stop
def _on_sigterm(signum, frame):
    """The host's Stop: end the children, then end main through normal exit, so multiprocessing
    runs its finalizers (semaphores unlinked, resource tracker told)."""
    if os.getpid() != _state['main_pid']:
        # A forked child that is not yet bootstrapped still has main's handler: a terminate()
        # that early (a daemon ended at main's exit just after it started) must end it as
        # SIGTERM ends a plain Python child. Run as Stop, it would terminate main's children
        # (its siblings) and carry on, and main would wait for it forever.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    for p in process.active_children():
        try:
            p.terminate()
        except Exception:
            pass
    for q in list(_queues_to_abandon()):
        q.cancel_join_thread()
    _state['stopped'] = True
    if not _state['exiting']:
        raise SystemExit(128 + signal.SIGTERM)


def _flush_and_die(signum, frame):
    try:
        sp.SPOOL.flush()  # its Exit is recorded by the parent that sees the signal
    finally:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _keep_sigterm_default_across_fork():
    """A forked child must start with SIGTERM's default action, as it does in plain Python.
    It would otherwise inherit our handler at the C level, and CPython drops a signal that
    lands between the fork and the child's interpreter reset (it clears tripped flags so a
    signal is not handled twice): a terminate() right after start() was lost and main waited
    for that child forever. Around each fork from the main thread, while one of our handlers
    is installed, SIGTERM is blocked and set to default; the parent gets its handler back and
    any SIGTERM that came meanwhile; the child unblocks it with the default action (a pending
    one ends it then), and its bootstrap installs its own handler."""
    saved = []

    def before():
        if threading.current_thread() is not threading.main_thread():
            return
        handler = signal.getsignal(signal.SIGTERM)
        if handler is _on_sigterm or handler is _flush_and_die:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            saved.append(handler)

    def after_in_parent():
        if saved:
            signal.signal(signal.SIGTERM, saved.pop())
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

    def after_in_child():
        if saved:
            saved.pop()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})

    os.register_at_fork(before=before, after_in_parent=after_in_parent, after_in_child=after_in_child)


def _queues_to_abandon():
    import gc
    return [o for o in gc.get_objects() if isinstance(o, objs.queues.Queue)]


def _line_buffered():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True)
        except (AttributeError, ValueError):
            pass


# ------------------------------------------------------------------ install
def install(folder, t0, is_main, start_method=None):
    """Trace this process. Main: lane 0, the SIGTERM handler, the default start method."""
    config = {'dir': folder, 't0': int(t0)}
    _state['config'] = config
    S = sp.SPOOL = sp.Spool(folder, int(t0))
    S.open()
    _line_buffered()
    for name, (cls, kind) in objs.FACTORIES.items():
        setattr(context.BaseContext, name, _traced_factory(name, cls, kind))
    for name in UNTRACED:
        setattr(context.BaseContext, name, _untraced_factory(name))
    for name in list(objs.FACTORIES) + list(UNTRACED):
        setattr(multiprocessing, name, getattr(context._default_context, name))
    _patch_process()
    _patch_calls()
    _patch_child_start(config)
    _keep_sigterm_default_across_fork()
    if is_main:
        if start_method is not None:
            # Only the default: the program's own set_start_method still works and wins.
            context._default_context._default_context = context._concrete_contexts[start_method]
        _state['main_pid'] = os.getpid()
        signal.signal(signal.SIGTERM, _on_sigterm)
        S.proc = S.claim('lanes', 0)
        S.meta({'type': 'lane', 'proc': S.proc, 'name': 'MainProcess', 'role': 'main',
                'pid': os.getpid(), 'parent': None})
        S.add(START, 0, 0, 0, os.getpid(), NO_LANE, S.now())
        S.flush()
        S.start_flusher()
    return S
