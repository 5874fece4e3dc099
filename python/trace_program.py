#!/usr/bin/env python3
"""Runs a user's own Python file as `python file.py` would, traced for the Shout/Hear host.

    python3 trace_program.py --trace-dir DIR --t0 NS [--start-method M] [--] FILE [ARGS...]

The contract for the host is in README.md ("Tracing a user's program"); the records and meta
frames in ../docs/trace-format.md. Every process of the program appends its frames to
DIR/trace.bin; this file only sets up main, runs the user's code and reports how it ended.
"""
import atexit
import os
import sys

EXIT_BAD_INPUT = 2
USAGE = 'usage: trace_program.py --trace-dir DIR --t0 NS [--start-method fork|spawn|forkserver] [--] FILE [ARGS...]'
_end = {'code': None, 'started': False}


def _finish():
    """Last at exit (registered before multiprocessing is imported, so after its own exit
    handler has joined or terminated the children): exit reports, main's Exit, Finished."""
    if not _end['started']:
        return
    import sh_trace_patch as patch
    import sh_trace_spool as sp
    S = sp.SPOOL
    patch.report_exits(S)
    code = _end['code'] if _end['code'] is not None else 0
    S.add(sp.EXIT, 0, 0, _end.get('site', 0), code, 0, S.now())
    S.meta({'type': 'exit', 'proc': S.proc, 'name': 'MainProcess', 'pid': os.getpid(),
            'code': code, 'daemon': False, 'terminatedBy': None, 'terminatedAtExit': False,
            'stopped': bool(patch._state.get('stopped'))})
    S.flush(S.frame(sp.FRAME_FINISHED))
    S.proc = None  # nothing more is recorded (e.g. the user's own exit handlers)


atexit.register(_finish)  # before anything imports multiprocessing: runs after its handler


def parse_args(argv):
    opts = {'dir': None, 't0': None, 'start_method': None}
    i = 0
    while i < len(argv) and argv[i].startswith('--'):
        a = argv[i]
        if a == '--':
            i += 1
            break
        if a not in ('--trace-dir', '--t0', '--start-method') or i + 1 >= len(argv):
            raise ValueError('unknown option or missing value: %s' % a)
        v = argv[i + 1]
        if a == '--trace-dir':
            if not os.path.isabs(v) or not os.path.isdir(v):
                raise ValueError('--trace-dir must be an existing absolute folder; got %r' % v)
            opts['dir'] = v
        elif a == '--t0':
            if not (v.isascii() and v.isdigit()) or len(v) > 20:
                raise ValueError('--t0 must be a decimal number of nanoseconds; got %r' % v)
            opts['t0'] = int(v)
        else:
            import multiprocessing
            if v not in multiprocessing.get_all_start_methods():
                raise ValueError('--start-method must be one of %s; got %r'
                                 % (', '.join(multiprocessing.get_all_start_methods()), v))
            opts['start_method'] = v
        i += 2
    if opts['dir'] is None or opts['t0'] is None:
        raise ValueError('--trace-dir and --t0 are required')
    if i >= len(argv):
        raise ValueError('the Python file to run is missing')
    path = os.path.abspath(argv[i])
    if not os.path.isfile(path):
        raise ValueError('no such file: %s' % argv[i])
    return opts, path, argv[i + 1:]


def _print_exception(exc, user_file):
    """As Python prints it: the traceback from the user's first frame (none for a SyntaxError
    in the file itself), never this launcher's own frames."""
    import traceback
    import sh_trace_patch
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != user_file:
        tb = tb.tb_next
    tb = sh_trace_patch.strip_tracer_frames(tb)
    sys.stderr.write(''.join(traceback.format_exception(type(exc), exc, tb)))
    sys.stderr.flush()


def run_user_file(path, args):
    """`python path args...`: a fresh __main__, argv, sys.path[0] = the file's folder."""
    import types
    here = os.path.dirname(os.path.abspath(__file__))
    sys.argv = [path] + list(args)
    folder = os.path.dirname(os.path.realpath(path))
    sys.path[:] = [folder] + [p for p in sys.path[1:] if os.path.abspath(p or '.') != here]
    main = types.ModuleType('__main__')
    main.__file__ = path
    main.__builtins__ = __builtins__
    main.__cached__ = None
    sys.modules['_shout_hear_launcher'] = sys.modules[__name__]
    sys.modules['__main__'] = main
    with open(path, 'rb') as f:
        source = f.read()
    code = compile(source, path, 'exec', dont_inherit=True)
    exec(code, main.__dict__)


def _exit_code(e):
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    sys.stderr.write(str(e.code) + '\n')
    return 1


def main(argv):
    if sys.version_info < (3, 8):
        sys.stderr.write('trace_program: bad input: Python 3.8 or newer is needed; this is %s\n'
                         % sys.version.split()[0])
        return EXIT_BAD_INPUT
    try:
        opts, path, args = parse_args(argv)
    except ValueError as e:
        sys.stderr.write('trace_program: bad input: %s\n%s\n' % (e, USAGE))
        return EXIT_BAD_INPUT
    import sh_trace_patch as patch
    import sh_trace_spool as sp
    S = patch.install(opts['dir'], opts['t0'], True, opts['start_method'])
    _end['started'] = True
    try:
        run_user_file(path, args)
        code = 0
    except SystemExit as e:
        code = _exit_code(e)
    except BaseException as e:
        try:
            _end['site'] = patch._exception_meta(S, S.proc, e)
        except Exception:
            pass
        _print_exception(e, path)
        code = 1
    patch._state['exiting'] = True
    _end['code'] = code
    sys.stdout.flush()
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
