"""Tests of trace_program.py, the tracer of a user's own Python file, with real processes.

Each test runs a user-style fixture (test/fixtures/scripts/) the way the host will: stdin
closed, stdout and stderr on one pipe, a private trace folder, then decodes DIR/trace.bin
(sh_trace_decode) and checks lanes, events, sites (line numbers in the fixture) and that every
put on every queue was got exactly once (tags). Run: python3 -m unittest python/test_trace_program.py
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sh_trace_decode  # noqa: E402

LAUNCHER = os.path.join(HERE, 'trace_program.py')
SCRIPTS = os.path.join(os.path.dirname(HERE), 'test', 'fixtures', 'scripts')
METHODS = ('fork', 'spawn', 'forkserver')


def line_of(fixture, text):
    """The (first) line number of `text` in a fixture: sites must point at it."""
    with open(os.path.join(SCRIPTS, fixture)) as f:
        for n, line in enumerate(f, 1):
            if text in line:
                return n
    raise AssertionError('%r not in %s' % (text, fixture))


class Run:
    def __init__(self, fixture, *args, method=None, timeout=120):
        self.folder = tempfile.mkdtemp(prefix='sh-trace-test-')
        self.path = os.path.join(SCRIPTS, fixture)
        cmd = [sys.executable, LAUNCHER, '--trace-dir', self.folder, '--t0', str(time.monotonic_ns())]
        if method:
            cmd += ['--start-method', method]
        proc = subprocess.run(cmd + ['--', self.path] + list(args), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              cwd=SCRIPTS)
        self.rc = proc.returncode
        self.out = proc.stdout.decode()
        self.lines = self.out.splitlines()
        self.trace = sh_trace_decode.read(os.path.join(self.folder, 'trace.bin'))
        shutil.rmtree(self.folder)

    def lane(self, name):
        return [p for p, m in self.trace.lanes.items() if m['name'] == name][0]


class Checks(unittest.TestCase):
    def assert_exactly_once(self, tr, obj):
        puts = sorted((e['aux'], e['value']) for e in tr.of('put', obj=obj))
        gets = sorted((e['aux'], e['value']) for e in tr.of('get', obj=obj))
        self.assertTrue(puts, 'no puts on object %d' % obj)
        self.assertEqual(len(set(puts)), len(puts), 'tags are unique')
        self.assertEqual(puts, gets, 'every put on object %d got exactly once' % obj)
        by_tag = {(e['aux'], e['value']): e['t'] for e in tr.of('put', obj=obj)}
        for g in tr.of('get', obj=obj):
            self.assertLessEqual(by_tag[(g['aux'], g['value'])], g['t'], 'a get after its put')

    def assert_sites(self, run, kind, fixture, *texts):
        """Every `kind` event points at the fixture's line holding one of `texts`."""
        lines = {(run.path, line_of(fixture, text)) for text in texts}
        events = run.trace.of(kind)
        self.assertTrue(events, 'no %s events' % kind)
        for e in events:
            self.assertIn(run.trace.site_line(e), lines, '%s site' % kind)

    def assert_clean_end(self, run):
        self.assertEqual(run.trace.finished, 1, run.out)
        self.assertEqual(run.trace.faults, [])


class TestLesson(Checks):
    def check_lesson(self, run, n):
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        self.assert_clean_end(run)
        self.assertEqual(sorted(m['name'] for m in tr.lanes.values()), ['MainProcess', 'Process-1', 'Process-2'])
        self.assertEqual({m['code'] for m in tr.exits.values()}, {0})
        self.assertEqual(sorted((m['kind'], m['label']) for m in tr.objects.values()),
                         [('lock', 'lesson.py:%d' % line_of('lesson.py', 'lock = multiprocessing.Lock()')),
                          ('queue', 'lesson.py:%d' % line_of('lesson.py', 'q = multiprocessing.Queue()'))])
        q = [o for o, m in tr.objects.items() if m['kind'] == 'queue'][0]
        lock = [o for o, m in tr.objects.items() if m['kind'] == 'lock'][0]
        self.assert_exactly_once(tr, q)
        self.assertEqual(len(tr.of('put', obj=q)), n + 1)
        self.assertEqual(sorted(tr.text(e) for e in tr.of('get', obj=q)),
                         sorted([repr(i) for i in range(1, n + 1)] + ["'done'"]))
        self.assert_sites(run, 'put', 'lesson.py', 'q.put(i)', 'q.put("done")')
        self.assert_sites(run, 'get', 'lesson.py', 'msg = q.get()')
        self.assert_sites(run, 'print', 'lesson.py', 'print(text)')
        self.assert_sites(run, 'lockHeld', 'lesson.py', 'lock.acquire()')
        held = sorted((e['t'], e['t'] + e['dur']) for e in tr.of('lockHeld', obj=lock))
        self.assertEqual(len(held), 2 * n)
        for (a0, a1), (b0, b1) in zip(held, held[1:]):
            self.assertLessEqual(a1, b0, 'two holders of one lock never overlap')
        # Line-buffered, one write per line: the lines come out in the order they were printed.
        prints = sorted(tr.of('print'), key=lambda e: e['t'])
        self.assertEqual([tr.text(e) for e in prints], run.lines)
        self.assertEqual(len(run.lines), 2 * n)

    def test_lesson_each_start_method(self):
        for method in METHODS:
            with self.subTest(method=method):
                self.check_lesson(Run('lesson.py', '30', '0.001', method=method), 30)

    def test_naps_are_traced_with_their_line(self):
        run = Run('lesson.py', '40', '0.002')
        self.assertEqual(run.rc, 0, run.out)
        naps = run.trace.of('nap')
        self.assertTrue(naps, 'random.choice napped at least once in 40 messages')
        self.assert_sites(run, 'nap', 'lesson.py', 'time.sleep(nap_s)')
        self.assertTrue(all(e['value'] == 2 and e['dur'] >= 1.5e6 for e in naps))


class TestPrograms(Checks):
    def test_pipeline_two_queues(self):
        for method in ('fork', 'spawn'):
            with self.subTest(method=method):
                run = Run('pipeline.py', method=method)
                tr = run.trace
                self.assertEqual(run.rc, 0, run.out)
                self.assertIn('total 2470', run.lines)
                self.assert_clean_end(run)
                self.assertEqual(len(tr.objects), 2)
                for obj, m in tr.objects.items():
                    self.assert_exactly_once(tr, obj)
                self.assertEqual(sorted(m.get('capacity') for m in tr.objects.values()), [0, 2])
                names = {p: m['name'] for p, m in tr.lanes.items()}
                squares = [o for o, m in tr.objects.items() if m['capacity'] == 2][0]
                self.assertEqual({names[e['proc']] for e in tr.of('put', obj=squares)}, {'squarer'})
                self.assertEqual({names[e['proc']] for e in tr.of('get', obj=squares)}, {'collector'})
                for e in tr.of('putBlocked'):
                    self.assertEqual(e['obj'], squares)

    def test_joinable_queue(self):
        run = Run('joinable.py')
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        self.assert_clean_end(run)
        (obj, m), = tr.objects.items()
        self.assertEqual(m['kind'], 'joinableQueue')
        self.assert_exactly_once(tr, obj)
        self.assertEqual(len(tr.of('taskDone', obj=obj)), 4)
        self.assertEqual(len(tr.of('joinWait', obj=obj)), 1)
        self.assert_sites(run, 'taskDone', 'joinable.py', 'tasks.task_done()')
        self.assert_sites(run, 'joinWait', 'joinable.py', 'tasks.join()')
        self.assertEqual(sorted(tr.text(e) for e in tr.of('get')), ["'a'", "'a'", "'b'", "'c'"])
        # The daemon workers were terminated by multiprocessing at main's exit: that is ok.
        workers = [m for p, m in tr.exits.items() if p != 0]
        self.assertEqual([(m['code'], m['daemon'], m['terminatedBy'], m['terminatedAtExit']) for m in workers],
                         [(-signal.SIGTERM, True, 'multiprocessing', True)] * 2)

    @unittest.skipUnless(os.path.exists('/proc/self/task'), 'reads thread signal masks from /proc')
    def test_tracer_thread_leaves_signals_to_main(self):
        # SIGTERM taken by the tracer's thread while main sat in a read left a daemon worker
        # unterminated at exit (1 run in ~300 hung): that thread must block every signal.
        for method in METHODS:
            run = Run('signal_mask.py', method=method)
            self.assertEqual(run.rc, 0, run.out)
            self.assertEqual(sorted(run.lines), ['child tracer thread blocks SIGTERM: True',
                                                 'main tracer thread blocks SIGTERM: True'], method)

    def test_terminate_right_after_start(self):
        # A forked child inherited main's SIGTERM handler at the C level, and CPython drops a
        # signal that lands before the child's interpreter reset: main then waited forever.
        for method in METHODS:
            run = Run('terminate_at_once.py', method=method, timeout=60)
            self.assertEqual((run.rc, run.lines), (0, ['exit codes: [-15]']), method)

    def test_child_raises(self):
        run = Run('child_raises.py')
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        bomber = run.lane('bomber')
        self.assertEqual(tr.exits[bomber]['code'], 1)
        self.assertEqual(tr.errors[bomber]['error'], 'ValueError: boom 7')
        self.assertEqual(tr.sites[tr.errors[bomber]['site']]['line'], line_of('child_raises.py', 'raise ValueError'))
        self.assertIn('Process bomber:', run.lines)
        self.assertIn('ValueError: boom 7', run.lines)
        self.assertNotIn('sh_trace', run.out)
        self.assertIn('child exit code 1', run.lines)

    def test_program_sets_spawn_itself_nested(self):
        run = Run('sets_spawn.py', method='fork')  # our default loses to the program's own call
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        self.assertIn('start method spawn', run.lines)
        self.assertIn('from the grandchild', run.lines)
        child, grand = run.lane('child'), run.lane('grandchild')
        self.assertEqual(tr.lanes[grand]['parent'], child)
        self.assertEqual(tr.lanes[child]['parent'], 0)
        kinds = {m['kind']: o for o, m in tr.objects.items()}
        self.assertEqual(set(kinds), {'simpleQueue', 'rlock'})
        self.assert_exactly_once(tr, kinds['simpleQueue'])
        self.assertEqual([e['proc'] for e in tr.of('put')], [grand])
        held = tr.of('lockHeld', obj=kinds['rlock'])
        self.assertEqual(len(held), 1, 'a re-entered RLock is one held span')
        self.assertEqual(tr.site_line(held[0])[1], line_of('sets_spawn.py', 'with rlock:'))
        self.assertEqual({m['code'] for m in tr.exits.values()}, {0})

    def test_semaphore(self):
        run = Run('semaphore.py')
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        (obj, m), = tr.objects.items()
        self.assertEqual((m['kind'], m['label']), ('semaphore', 'semaphore.py:%d' % line_of('semaphore.py', 'sem = multiprocessing.Semaphore(2)')))
        held = tr.of('lockHeld', obj=obj)
        self.assertEqual(len(held), 3)
        self.assert_sites(run, 'lockHeld', 'semaphore.py', 'with sem:')
        self.assert_sites(run, 'nap', 'semaphore.py', 'time.sleep(0.02)')
        # never more than two holders at once
        edges = sorted([(e['t'], 1) for e in held] + [(e['t'] + e['dur'], -1) for e in held])
        depth = peak = 0
        for _, d in edges:
            depth += d
            peak = max(peak, depth)
        self.assertLessEqual(peak, 2)

    def test_untraced_pool_manager_event_are_reported(self):
        run = Run('uses_pool.py', method='spawn')
        tr = run.trace
        self.assertEqual(run.rc, 0, run.out)
        self.assertIn('[0, 1, 4, 9, 16]', run.lines)
        self.assertEqual(sorted((m['what'], tr.sites[m['site']]['line']) for m in tr.untraced),
                         [('Event', line_of('uses_pool.py', 'mp.Event()')),
                          ('Manager', line_of('uses_pool.py', 'mp.Manager()')),
                          ('Pool', line_of('uses_pool.py', 'mp.Pool(2)'))])
        self.assertEqual(tr.objects, {}, "the pool's and manager's own queues and locks are not the user's")
        for proc, m in tr.exits.items():  # pool workers ended by the pool itself: normal
            self.assertTrue(m['code'] == 0 or m['terminatedBy'] == 'multiprocessing', m)

    def test_runs_as_python_file_py(self):
        run = Run('argv_and_path.py', 'one', 'two')
        self.assertEqual(run.rc, 0, run.out)
        for where in ('main', 'child'):
            self.assertIn("%s name %s" % (where, '__main__' if where == 'main' else '__mp_main__'), run.lines)
            self.assertIn("%s argv %r" % (where, [run.path, 'one', 'two']), run.lines)
            self.assertIn('%s path0 %s' % (where, SCRIPTS), run.lines)
            self.assertIn('%s tracer visible False' % where, run.lines)
            self.assertIn('%s helper hello from a sibling module' % where, run.lines)
        self.assertIn('main pipe over a pipe', run.lines)
        self.assertEqual(sorted(m['what'] for m in run.trace.untraced), ['Pipe', 'Thread'])


class TestEndings(Checks):
    def test_syntax_error_in_main(self):
        run = Run('syntax_error.py')
        self.assertEqual(run.rc, 1)
        self.assertIn('SyntaxError: invalid syntax', run.out)
        self.assertIn('syntax_error.py", line 3', run.out)
        self.assertNotIn('never', run.lines)
        self.assertNotIn('trace_program', run.out)
        self.assertEqual(run.trace.exits[0]['code'], 1)
        self.assertIn('SyntaxError', run.trace.errors[0]['error'])
        self.assert_clean_end(run)

    def test_input_says_stdin_is_closed(self):
        run = Run('asks_input.py')
        self.assertEqual(run.rc, 1)
        self.assertIn('EOFError: standard input is closed in Shout/Hear', run.out)
        self.assertNotIn('sh_trace', run.out)
        self.assertEqual(run.trace.sites[run.trace.errors[0]['site']]['line'], line_of('asks_input.py', 'input('))

    def test_bad_arguments(self):
        for args in ([], ['--t0', '1', 'x.py'], ['--trace-dir', '/nonexistent', '--t0', '1', 'x.py'],
                     ['--trace-dir', tempfile.gettempdir(), '--t0', 'soon', 'x.py']):
            with self.subTest(args=args):
                p = subprocess.run([sys.executable, LAUNCHER] + args, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=60)
                self.assertEqual(p.returncode, 2)
                self.assertIn(b'trace_program: bad input:', p.stderr)

    def test_never_ending_program_stops_gracefully(self):
        for method in METHODS:
            with self.subTest(method=method):
                self.check_stop(method)

    def check_stop(self, method):
        folder = tempfile.mkdtemp(prefix='sh-trace-test-')
        spool = os.path.join(folder, 'trace.bin')
        cmd = [sys.executable, LAUNCHER, '--trace-dir', folder, '--t0', str(time.monotonic_ns()),
               '--start-method', method, os.path.join(SCRIPTS, 'never_ends.py'), '--show-semaphores']
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # until main got something from its child
                if os.path.exists(spool) and sh_trace_decode.read_tolerant(spool).of('get'):
                    break
                time.sleep(0.05)
            os.kill(p.pid, signal.SIGTERM)
            out, _ = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
        tr = sh_trace_decode.read(spool)
        shutil.rmtree(folder)
        self.assertEqual(p.returncode, 128 + signal.SIGTERM, out)
        self.assertEqual(tr.exits[0]['stopped'], True)
        self.assertEqual(tr.finished, 1)
        child = [m for q, m in tr.exits.items() if q != 0]
        self.assertEqual([m['code'] for m in child], [-signal.SIGTERM])
        self.assertTrue(tr.of('put') and tr.of('get'))
        self.assertEqual(living_in_group(p.pid), [], 'nothing left running')
        names = [line.split()[1:] for line in out.decode().splitlines() if line.startswith('semaphores')][0]
        if method != 'fork':  # fork: multiprocessing unlinks them at once, there are no names
            self.assertEqual(len(names), 3, out)
        left = [n for n in names if os.path.exists('/dev/shm/sem.' + n.lstrip('/'))]
        self.assertEqual(left, [], 'no semaphores of the program left in /dev/shm')


def living_in_group(pgid, wait_s=10):
    """Pids (not zombies) still in process group `pgid`, after up to wait_s for them to go."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = []
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open('/proc/%s/stat' % pid) as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rindex(')') + 2:].split()
            if fields[0] != 'Z' and int(fields[2]) == pgid:
                alive.append(int(pid))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


if __name__ == '__main__':
    unittest.main()
