"""Unit tests of shout_hear.py: run it as the host does (fd 4 = a socketpair, stdout = a pipe,
its own process group) and check its lines and its trace.

    python3 -m unittest discover -s python -p 'test_*.py'
"""
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'shout_hear.py')
START, EXIT, LOCK_WAIT, PRINT, PUT, PUT_BLOCKED, GET, GET_WAIT, NAP = range(9)
TRACE, FINISHED, FAULT = 3, 4, 5
RECORD = struct.Struct('<BBHHHiIdd')
SENTINEL = -1
MAIN_PROC = 0xFFFF


class Event(object):
    __slots__ = ('kind', 'flags', 'proc', 'obj', 'site', 'value', 'aux', 't', 'dur')

    def __init__(self, kind, flags, proc, obj, site, value, aux, t, dur):
        self.kind, self.flags, self.proc, self.obj, self.site = kind, flags, proc, obj, site
        self.value, self.aux, self.t, self.dur = value, aux, t, dur

    def __repr__(self):
        return 'Event(kind=%d proc=%d aux=%d value=%d t=%.0f dur=%.0f)' % (
            self.kind, self.proc, self.aux, self.value, self.t, self.dur)


def decode_frames(data):
    """Every frame of the stream; fails the test on any malformed byte."""
    frames = []
    at = 0
    while at < len(data):
        if len(data) - at < 5:
            raise AssertionError('truncated frame header at byte %d' % at)
        kind, length = struct.unpack_from('<BI', data, at)
        if kind not in (TRACE, FINISHED, FAULT):
            raise AssertionError('unknown frame type %d at byte %d' % (kind, at))
        payload = data[at + 5:at + 5 + length]
        if len(payload) != length:
            raise AssertionError('truncated frame payload at byte %d' % at)
        if kind == TRACE and (length == 0 or length % RECORD.size or length > 2048 * RECORD.size):
            raise AssertionError('bad trace frame of %d bytes' % length)
        frames.append((kind, payload))
        at += 5 + length
    return frames


class Result(object):
    def __init__(self, code, out, err, frames):
        self.code = code
        self.out = out
        self.err = err
        self.frames = frames
        self.events = []
        for kind, payload in frames:
            if kind == TRACE:
                for off in range(0, len(payload), RECORD.size):
                    self.events.append(Event(*RECORD.unpack_from(payload, off)))
        self.lines = out.decode('utf-8').splitlines()

    def of(self, kind, proc=None):
        return [e for e in self.events if e.kind == kind and (proc is None or e.proc == proc)]


def config(**over):
    cfg = {'messageCount': 10, 'napProbability': 0.25, 'napMs': 1, 'seed': 42, 'useLock': True,
           'queueCapacity': 0, 'shouters': 1, 'hearers': 1, 'startMethod': None,
           't0': str(time.monotonic_ns()), 'traced': True}
    cfg.update(over)
    return cfg


def start(cfg_arg, channel=True, wrap=()):
    """Starts the program as the host does; returns (process, our end of fd 4 or None)."""
    if channel:
        ours, theirs = socket.socketpair()
        fd = theirs.fileno()

        def pre():
            # Our socketpair ends are not inheritable: only fd 4 reaches the program.
            if fd == 4:
                os.set_inheritable(4, True)
            else:
                os.dup2(fd, 4)
    else:
        ours = theirs = None
        pre = None
    proc = subprocess.Popen(list(wrap) + [sys.executable, '-u', PROGRAM, cfg_arg], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=False,
                            preexec_fn=pre, start_new_session=True)
    if theirs is not None:
        theirs.close()
    return proc, ours


def read_channel(sock, sink):
    """Reads fd 4 like the host: closes our side once Finished or Fault has arrived."""
    buf = bytearray()
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
        try:
            frames = decode_frames(bytes(buf))
        except AssertionError:
            continue  # a frame still incomplete
        if frames and frames[-1][0] in (FINISHED, FAULT):
            break
    sink.append(bytes(buf))
    sock.close()


def run(timeout=25, wrap=(), **over):
    cfg = over.pop('cfg', None) or config(**over)
    proc, sock = start(json.dumps(cfg), wrap=wrap)
    sink = []
    reader = threading.Thread(target=read_channel, args=(sock, sink))
    reader.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    reader.join(5)
    return Result(proc.returncode, out, err, decode_frames(sink[0]))


def alive(pid):
    """True while pid runs (a zombie awaiting its reaper counts as gone)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (IOError, OSError):
        return False


def descendants(pid):
    """Every live descendant of pid (Linux /proc)."""
    children = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            try:
                with open('/proc/%s/stat' % name) as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            except (IOError, OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    found, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


class Checks(unittest.TestCase):
    def assert_run_ok(self, r, cfg_over=None):
        """Exit 0 after Finished; every Shout/Hear once and each Hear after its Shout; the
        trace's puts and gets exactly once, in order; Start/Exit per process."""
        self.assertEqual(r.code, 0, r.err.decode())
        self.assertEqual(r.frames[-1], (FINISHED, b''))
        self.assertEqual([k for k, _ in r.frames].count(FINISHED), 1)
        return r

    def check_lesson(self, r, n, shouters=1, hearers=1):
        several = shouters > 1 or hearers > 1
        pos = {}
        for at, line in enumerate(r.lines):
            self.assertNotIn(line, pos, 'line printed twice: %r' % line)
            pos[line] = at
        self.assertEqual(len(r.lines), 2 * n * shouters)
        heard = {}
        for k in range(shouters):
            for i in range(1, n + 1):
                shout = 'Shout[%d]: %d' % (k + 1, i) if several else 'Shout: %d' % i
                self.assertIn(shout, pos)
                hears = [h for h in range(hearers) if ('Hear[%d]: %d/%d' % (h + 1, k + 1, i) if several
                                                      else 'Hear: %d' % i) in pos]
                self.assertEqual(len(hears), 1, 'message %d of shouter %d heard %d times' % (i, k + 1, len(hears)))
                hear = 'Hear[%d]: %d/%d' % (hears[0] + 1, k + 1, i) if several else 'Hear: %d' % i
                self.assertLess(pos[shout], pos[hear], '%r before %r' % (hear, shout))
                heard[(k, i)] = hears[0]

        # The trace: Start (with the pid) and Exit once per lane.
        lanes = shouters + hearers
        for proc in range(lanes):
            self.assertEqual(len(r.of(START, proc)), 1)
            self.assertEqual(len(r.of(EXIT, proc)), 1)
        pids = [e.value for e in r.of(START)]
        self.assertEqual(len(set(pids)), lanes)
        # Puts: each shouter's own messages, in order, on its lane; gets exactly once in order.
        for k in range(shouters):
            puts = [e.value for e in sorted(r.of(PUT, k), key=lambda e: e.t) if e.value != SENTINEL]
            self.assertEqual(puts, list(range(1, n + 1)))
            self.assertTrue(all(e.aux == k for e in r.of(PUT, k)))
            gets = sorted((e for e in r.of(GET) if e.aux == k and e.value != SENTINEL), key=lambda e: e.t)
            self.assertEqual([e.value for e in gets], list(range(1, n + 1)), 'gets of shouter %d' % k)
            for e in gets:
                self.assertEqual(e.proc, shouters + heard[(k, e.value)], 'get on the lane of the hearer that printed it')
            put_t = dict((e.value, e.t) for e in r.of(PUT, k))
            for e in gets:
                self.assertLess(put_t[e.value], e.t, 'get of %d before its put' % e.value)
        sentinel_puts = [e for e in r.of(PUT) if e.value == SENTINEL]
        self.assertEqual(len(sentinel_puts), hearers)
        self.assertTrue(all(e.proc == (0 if shouters == 1 else MAIN_PROC) for e in sentinel_puts))
        sentinel_gets = [e for e in r.of(GET) if e.value == SENTINEL]
        self.assertEqual(sorted(e.proc for e in sentinel_gets), list(range(shouters, lanes)))
        # Every span and instant lies within the run.
        for e in r.events:
            self.assertGreaterEqual(e.t, 0)
            self.assertGreaterEqual(e.dur, 0)
        # Print spans never overlap while the lock is used.
        if not any(e.flags == 2 for e in r.of(PRINT)):
            spans = sorted((e.t, e.t + e.dur) for e in r.of(PRINT))
            for a, b in zip(spans, spans[1:]):
                self.assertLessEqual(a[1], b[0])
            self.assertEqual(len(spans), len(r.lines))

    def nap_values(self, seed, n, p):
        rng = random.Random(seed)
        return [i for i in range(1, n + 1) if rng.random() < p]


class TestLesson(Checks):
    def test_default_run(self):
        r = self.assert_run_ok(run(messageCount=20))
        self.check_lesson(r, 20)
        for e in r.of(PRINT):
            self.assertIn(e.flags, (0, 1))
            self.assertEqual((e.aux, e.obj, e.site), (0, 0, 0))
        self.assertFalse(r.err)

    def test_start_methods(self):
        for method in ('fork', 'spawn', 'forkserver'):
            with self.subTest(method=method):
                r = self.assert_run_ok(run(messageCount=15, startMethod=method, napProbability=0.5))
                self.check_lesson(r, 15)
                self.assertEqual(sorted(e.value for e in r.of(NAP)), self.nap_values(42, 15, 0.5))

    def test_nap_decisions_follow_random_random_seed(self):
        for seed in (0, 7, 123456789, 2 ** 40 + 3):
            with self.subTest(seed=seed):
                r = self.assert_run_ok(run(messageCount=30, napProbability=0.3, seed=seed, napMs=0))
                self.check_lesson(r, 30)
                naps = r.of(NAP, 0)
                self.assertEqual([e.value for e in naps], self.nap_values(seed, 30, 0.3))

    def test_nap_probability_0_and_1(self):
        r = self.assert_run_ok(run(messageCount=12, napProbability=0))
        self.assertEqual(r.of(NAP), [])
        r = self.assert_run_ok(run(messageCount=12, napProbability=1, napMs=2))
        self.check_lesson(r, 12)
        naps = r.of(NAP, 0)
        self.assertEqual([e.value for e in naps], list(range(1, 13)))
        for e in naps:
            self.assertGreaterEqual(e.dur, 2e6 * 0.9)
            put = [p for p in r.of(PUT, 0) if p.value == e.value][0]
            self.assertLessEqual(put.t, e.t, 'the nap follows the put')

    def test_several_shouters_and_hearers(self):
        for s, h, method in ((3, 2, 'fork'), (2, 3, 'spawn'), (1, 3, 'forkserver'), (4, 1, 'fork'), (8, 8, 'fork')):
            with self.subTest(shouters=s, hearers=h):
                r = self.assert_run_ok(run(messageCount=25, shouters=s, hearers=h, startMethod=method, napMs=1))
                self.check_lesson(r, 25, s, h)
                for k in range(s):
                    self.assertEqual([e.value for e in r.of(NAP, k)], self.nap_values(42 + k, 25, 0.25))

    def test_bounded_queue(self):
        for cap, s in ((1, 1), (3, 2)):
            with self.subTest(capacity=cap, shouters=s):
                r = self.assert_run_ok(run(messageCount=200, napProbability=0, queueCapacity=cap, shouters=s))
                self.check_lesson(r, 200, s)
                puts = sorted(e.t for e in r.of(PUT) if e.value != SENTINEL)
                gets = sorted(e.t for e in r.of(GET) if e.value != SENTINEL)
                depth = top = g = 0
                for t in puts:
                    while g < len(gets) and gets[g] < t:
                        depth -= 1
                        g += 1
                    depth += 1
                    top = max(top, depth)
                self.assertLessEqual(top, cap)
                if cap == 1:
                    self.assertTrue(r.of(PUT_BLOCKED), 'a put of a full queue waited')
                for e in r.of(PUT_BLOCKED):
                    self.assertGreater(e.dur, 0)

    def test_lock_waits_are_spans_before_their_print(self):
        r = self.assert_run_ok(run(messageCount=300, napProbability=0, shouters=2, hearers=2))
        self.check_lesson(r, 300, 2, 2)
        prints = r.of(PRINT)
        for w in r.of(LOCK_WAIT):
            after = [p for p in prints if p.proc == w.proc and p.value == w.value and abs(p.t - (w.t + w.dur)) < 1e6]
            self.assertTrue(after, 'a print follows lock wait %r' % w)
            self.assertEqual(after[0].aux, 0)

    def test_get_wait_when_queue_empty(self):
        r = self.assert_run_ok(run(messageCount=5, napProbability=1, napMs=20))
        self.assertGreaterEqual(len(r.of(GET_WAIT, 1)), 4)
        for e in r.of(GET_WAIT):
            self.assertGreater(e.dur, 0)

    def test_without_lock_lines_are_written_in_pieces(self):
        n = 300
        r = self.assert_run_ok(run(messageCount=n, useLock=False, napProbability=0, shouters=2, hearers=2))
        expected = []
        for k in range(2):
            for i in range(1, n + 1):
                expected.append('Shout[%d]: %d\n' % (k + 1, i))
        # Which hearer hears what is up to the queue; the characters of a Hear line are not.
        prints = r.of(PRINT)
        self.assertEqual(len(prints), 4 * n)
        self.assertTrue(all(e.flags == 2 for e in prints))
        self.assertEqual(r.of(LOCK_WAIT), [])
        out = r.out.decode()
        self.assertEqual(out.count('\n'), 4 * n)
        # Mixed or not, every character of every line arrived exactly once.
        for e in r.of(GET):
            if e.value != SENTINEL:
                expected.append('Hear[%d]: %d/%d\n' % (e.proc - 2 + 1, e.aux + 1, e.value))
        self.assertEqual(sorted(out), sorted(''.join(expected)))

    def test_write_syscalls(self):
        """Under strace: with the lock one write per line; without it one write per character
        (the pieces that let lines of two processes mix)."""
        if shutil.which('strace') is None:
            self.skipTest('strace is not installed')
        for use_lock in (True, False):
            with self.subTest(useLock=use_lock), tempfile.TemporaryDirectory() as tmp:
                log = os.path.join(tmp, 'strace.out')
                r = run(cfg=config(messageCount=4, useLock=use_lock, napProbability=0),
                        wrap=['strace', '-f', '-qq', '-e', 'trace=write', '-o', log])
                with open(log) as f:
                    writes = [line for line in f if re.search(r'write\(1, ', line)]
                if r.code != 0 and not writes:
                    self.skipTest('strace cannot trace here: %s' % r.err.decode()[-200:])
                self.assert_run_ok(r)
                # The count argument (a call may be logged as <unfinished ...> and resumed later).
                sizes = [int(re.search(r'write\(1, ".*", (\d+)', w).group(1)) for w in writes]
                if use_lock:
                    self.assertEqual(len(writes), 8, writes)
                    self.assertEqual(sorted(sizes), sorted(len(line) + 1 for line in r.lines))
                else:
                    self.assertEqual(sizes, [1] * len(r.out), 'one byte per write')

    def test_untraced_records_nothing(self):
        r = self.assert_run_ok(run(messageCount=20, traced=False))
        self.assertEqual(r.events, [])
        self.assertEqual([k for k, _ in r.frames], [FINISHED])
        self.assertEqual(len(r.lines), 40)

    def test_many_messages_frames_decode(self):
        r = self.assert_run_ok(run(messageCount=5000, napProbability=0, shouters=2, hearers=2))
        self.check_lesson(r, 5000, 2, 2)
        self.assertGreater(len([f for f in r.frames if f[0] == TRACE]), 3)

    def test_times_are_relative_to_t0(self):
        before = time.monotonic_ns()
        r = self.assert_run_ok(run(messageCount=3, t0=str(before)))
        after = time.monotonic_ns()
        for e in r.events:
            self.assertLessEqual(e.t + e.dur, after - before)


class TestFailures(Checks):
    def bad(self, arg, words):
        proc, sock = start(arg)
        out, err = proc.communicate(timeout=10)
        sock.close()
        self.assertEqual(proc.returncode, 2, err)
        self.assertIn('bad input', err.decode())
        for w in words:
            self.assertIn(w, err.decode())
        self.assertEqual(out, b'')

    def test_bad_config(self):
        cases = [
            ('not json', ['not valid JSON']),
            ('[1]', ['JSON object']),
            (json.dumps(config(messageCount=0)), ['messageCount', 'from 1']),
            (json.dumps(config(messageCount=2.5)), ['messageCount', 'integer']),
            (json.dumps(config(messageCount=True)), ['messageCount']),
            (json.dumps(config(napProbability=1.5)), ['napProbability']),
            (json.dumps(config(napProbability='0.5')), ['napProbability']),
            (json.dumps(config(napMs=-1)), ['napMs']),
            (json.dumps(config(seed=-3)), ['seed']),
            (json.dumps(config(useLock='yes')), ['useLock']),
            (json.dumps(config(queueCapacity=-1)), ['queueCapacity']),
            (json.dumps(config(shouters=9)), ['shouters', '1 to 8']),
            (json.dumps(config(hearers=0)), ['hearers']),
            (json.dumps(config(startMethod='thread')), ['startMethod']),
            (json.dumps(config(t0='12ab')), ['t0']),
            (json.dumps(config(traced=1)), ['traced']),
            (json.dumps(config(colour='red')), ['unknown', 'colour']),
            ('{"messageCount": 3}', ['missing', 'napProbability']),
            ('{"messageCount": 3, "napProbability": NaN}', ['NaN']),
        ]
        for arg, words in cases:
            with self.subTest(arg=arg):
                self.bad(arg, words)

    def test_no_argument(self):
        proc = subprocess.run([sys.executable, PROGRAM], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b'JSON config', proc.stderr)

    def test_no_trace_channel(self):
        proc, _ = start(json.dumps(config()), channel=False)
        out, err = proc.communicate(timeout=10)
        if os.path.exists('/proc/self/fd/4'):
            self.skipTest('this test process has an fd 4 of its own')
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b'fd 4', err)

    def test_host_gone_ends_every_process(self):
        for method in ('fork', 'spawn', 'forkserver'):
            with self.subTest(method=method):
                cfg = config(messageCount=100000, napProbability=1, napMs=50, startMethod=method,
                             shouters=2, hearers=2, queueCapacity=2)
                proc, sock = start(json.dumps(cfg))
                buf = bytearray()
                pids = []
                deadline = time.monotonic() + 15
                while len(pids) < 4 and time.monotonic() < deadline:
                    chunk = sock.recv(65536)
                    self.assertTrue(chunk, 'the program ended early')
                    buf += chunk
                    pids = [e.value for e in Result(None, b'', b'', decode_frames_prefix(bytes(buf))).of(START)]
                self.assertEqual(len(pids), 4)
                everyone = set(pids) | set(descendants(proc.pid))
                self.assertTrue(set(pids) <= everyone)
                sock.close()  # the host is gone
                proc.communicate(timeout=10)
                self.assertNotEqual(proc.returncode, 0)
                deadline = time.monotonic() + 5
                while any(alive(p) for p in everyone) and time.monotonic() < deadline:
                    time.sleep(0.02)
                self.assertEqual([p for p in everyone if alive(p)], [])

    def test_child_crash_is_a_fault(self):
        cfg = config(messageCount=100000, napProbability=1, napMs=20, startMethod='fork')
        proc, sock = start(json.dumps(cfg))
        sink = []
        reader = threading.Thread(target=read_channel, args=(sock, sink))
        buf = bytearray()
        pids = []
        while len(pids) < 2:
            chunk = sock.recv(65536)
            self.assertTrue(chunk, 'the program ended early')
            buf += chunk
            pids = [(e.proc, e.value) for e in Result(None, b'', b'', decode_frames_prefix(bytes(buf))).of(START)]
        hearer_pid = dict(pids)[1]
        reader.start()
        os.kill(hearer_pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        reader.join(5)
        frames = decode_frames(bytes(buf) + sink[0])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(frames[-1][0], FAULT)
        message = frames[-1][1].decode()
        self.assertIn('the hearer (pid %d) was killed by signal 9' % hearer_pid, message)
        time.sleep(0.2)
        self.assertFalse(alive(dict(pids)[0]), 'the shouter was killed too')


def decode_frames_prefix(data):
    """The whole frames at the start of data (the rest may still be arriving)."""
    at = 0
    while len(data) - at >= 5:
        length = struct.unpack_from('<I', data, at + 1)[0]
        if len(data) - at - 5 < length:
            break
        at += 5 + length
    return decode_frames(data[:at])


if __name__ == '__main__':
    unittest.main()
