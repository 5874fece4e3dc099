#!/usr/bin/env python3
"""Benchmark: the lesson as a learner types it (test/fixtures/scripts/lesson.py), traced by
trace_program.py versus the same file run plain, side by side in one run (alternating, median).

    python3 python/bench_trace.py [--messages 100000] [--reps 3] [--method fork]

Baselines: `plain, pipe` (python file.py > pipe: block-buffered stdout) and `plain, terminal`
(the same in a pseudo-terminal: line-buffered, one write per line, as a learner runs it and as
the traced run prints). Prints wall times and the traced ÷ plain ratios; the trace is decoded
afterwards to count its events (outside the timed part).
"""
import argparse
import os
import pty
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sh_trace_decode  # noqa: E402

LESSON = os.path.join(os.path.dirname(HERE), 'test', 'fixtures', 'scripts', 'lesson.py')


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_pipe(cmd):
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = 0
    for chunk in iter(lambda: p.stdout.read(1 << 16), b''):
        lines += chunk.count(b'\n')
    p.wait()
    return time.monotonic() - t, p.returncode, lines


def timed_pty(cmd):
    t = time.monotonic()
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    lines = 0
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        lines += chunk.count(b'\n')
    p.wait()
    os.close(master)
    return time.monotonic() - t, p.returncode, lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--messages', type=int, default=100000)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--method', default=None)
    a = ap.parse_args()
    args = [LESSON, str(a.messages), '0']
    times = {'plain, pipe': [], 'plain, terminal': [], 'traced': []}
    cpu = {k: [] for k in times}  # CPU s of the whole process tree: steadier on a busy machine
    events = None
    for rep in range(a.reps):
        plain = [sys.executable] + args
        if a.method:
            plain = [sys.executable, '-c', 'import multiprocessing as m, runpy, sys; m.set_start_method(%r); '
                     'sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")' % a.method] + args
        for name, run in (('plain, pipe', lambda: timed_pipe(plain)), ('plain, terminal', lambda: timed_pty(plain))):
            c = children_cpu()
            dt, rc, lines = run()
            cpu[name].append(children_cpu() - c)
            assert rc == 0 and lines == 2 * a.messages, (name, rc, lines)
            times[name].append(dt)
        folder = tempfile.mkdtemp(prefix='sh-trace-bench-')
        cmd = [sys.executable, os.path.join(HERE, 'trace_program.py'), '--trace-dir', folder,
               '--t0', str(time.monotonic_ns())] + (['--start-method', a.method] if a.method else []) + args
        c = children_cpu()
        dt, rc, lines = timed_pipe(cmd)
        cpu['traced'].append(children_cpu() - c)
        assert rc == 0 and lines == 2 * a.messages, ('traced', rc, lines)
        times['traced'].append(dt)
        tr = sh_trace_decode.read(os.path.join(folder, 'trace.bin'))
        events = len(tr.events)
        size = os.path.getsize(os.path.join(folder, 'trace.bin'))
        shutil.rmtree(folder)
    med = {k: statistics.median(v) for k, v in times.items()}
    mcpu = {k: statistics.median(v) for k, v in cpu.items()}
    print('lesson.py, %d messages, %s start, %d reps (median wall s): %s' % (
        a.messages, a.method or 'default', a.reps, ', '.join('%s %.2f' % kv for kv in med.items())))
    print('traced: %d events, %.1f MB of trace' % (events, size / 1e6))
    print('traced / plain, pipe = %.2fx; traced / plain, terminal = %.2fx' % (
        med['traced'] / med['plain, pipe'], med['traced'] / med['plain, terminal']))
    print('CPU s (median): %s; traced / plain, terminal = %.2fx; load average %.1f' % (
        ', '.join('%s %.2f' % kv for kv in mcpu.items()), mcpu['traced'] / mcpu['plain, terminal'],
        os.getloadavg()[0]))


if __name__ == '__main__':
    main()
