"""Reads a traced program's spool (DIR/trace.bin) back: frames, records, meta objects.

For the tests and the benchmark (the host has its own TypeScript reader); checks the framing
strictly, so a torn or interleaved write shows up as an error rather than as odd events.
Also usable by hand: `python3 sh_trace_decode.py DIR/trace.bin` prints a summary.
"""
import json
import struct
import sys

KIND_NAMES = ['start', 'exit', 'lockWait', 'print', 'put', 'putBlocked', 'get', 'getWait', 'nap',
              'grant', 'revoke', 'lockHeld', 'taskDone', 'joinWait', 'output']
_HEADER = struct.Struct('<BI')
_RECORD = struct.Struct('<BBHHHiIdd')
FIELDS = ('kind', 'flags', 'proc', 'obj', 'site', 'value', 'aux', 't', 'dur')


class Trace:
    def __init__(self):
        self.events = []      # dicts with FIELDS, 'kind' as a name
        self.metas = []
        self.finished = 0
        self.faults = []
        self.lanes = {}
        self.objects = {}
        self.sites = {}
        self.strings = {}     # (proc, tag) -> text
        self.exits = {}       # proc -> exit meta
        self.errors = {}      # proc -> error meta
        self.untraced = []

    def of(self, kind, **match):
        return [e for e in self.events if e['kind'] == kind
                and all(e[k] == v for k, v in match.items())]

    def site_line(self, e):
        s = self.sites.get(e['site'])
        return None if s is None else (s['file'], s['line'])

    def text(self, e):
        return self.strings.get((e['proc'] if e['kind'] == 'print' else e['aux'], e['value']))


def decode(data, tolerant=False):
    """tolerant: a spool still being written may end in part of a frame; stop there."""
    tr = Trace()
    pos = 0
    while pos < len(data):
        if pos + 5 > len(data):
            if tolerant:
                break
            raise ValueError('torn frame header at byte %d' % pos)
        ftype, n = _HEADER.unpack_from(data, pos)
        if n > 1 << 20:
            raise ValueError('bad frame length %d at byte %d' % (n, pos))
        pos += 5
        if pos + n > len(data):
            if tolerant:
                break
            raise ValueError('frame of %d bytes cut at byte %d' % (n, len(data)))
        payload = data[pos:pos + n]
        pos += n
        if ftype == 3:
            if n % 32:
                raise ValueError('trace payload of %d bytes is not whole records' % n)
            for off in range(0, n, 32):
                e = dict(zip(FIELDS, _RECORD.unpack_from(payload, off)))
                e['kind'] = KIND_NAMES[e['kind']]
                tr.events.append(e)
        elif ftype == 4:
            tr.finished += 1
        elif ftype == 5:
            tr.faults.append(payload.decode('utf-8'))
        elif ftype == 6:
            _meta(tr, json.loads(payload.decode('utf-8')))
        else:
            raise ValueError('unknown frame type %d' % ftype)
    return tr


def _meta(tr, m):
    tr.metas.append(m)
    t = m['type']
    if t == 'lane':
        tr.lanes[m['proc']] = m
    elif t == 'object':
        tr.objects[m['obj']] = m
    elif t == 'site':
        tr.sites[m['site']] = m
    elif t == 'strings':
        for i, s in enumerate(m['texts']):
            tr.strings[(m['proc'], m['first'] + i)] = s
    elif t == 'exit':
        tr.exits[m['proc']] = m
    elif t == 'error':
        tr.errors[m['proc']] = m
    elif t == 'untraced':
        tr.untraced.append(m)
    else:
        raise ValueError('unknown meta %r' % m)


def read(path):
    with open(path, 'rb') as f:
        return decode(f.read())


def read_tolerant(path):
    with open(path, 'rb') as f:
        return decode(f.read(), tolerant=True)


if __name__ == '__main__':
    tr = read(sys.argv[1])
    counts = {}
    for e in tr.events:
        counts[e['kind']] = counts.get(e['kind'], 0) + 1
    print('lanes', {p: (l['name'], l['pid']) for p, l in tr.lanes.items()})
    print('objects', {o: (m['kind'], m['label']) for o, m in tr.objects.items()})
    print('events', counts, 'finished', tr.finished)
    print('exits', {p: m['code'] for p, m in tr.exits.items()}, 'untraced', tr.untraced)
