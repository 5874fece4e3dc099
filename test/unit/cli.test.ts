// The `shout-hear` command line, as a user runs it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './engineHelpers';

const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });

test('prints the header, the interleaved lines and the summary; exit 0', () => {
  const r = cli('--messages', '5', '--seed', '2', '--nap-ms', '1');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^=== Shout\/Hear run-\S+: messages 5, nap probability 0.25, nap 1 ms, lock on, timeout 120 s, seed 2 ===$/);
  assert.equal(lines.filter((l) => /^(Shout|Hear): \d$/.test(l)).length, 10);
  assert.match(r.stdout, /exactly once, in order: ✓/);
});

test('--json prints the summary as JSON', () => {
  const r = cli('--messages', '3', '--nap-probability', '0', '--json', '--no-lock');
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.ok, true);
  assert.equal(s.config.useLock, false);
  assert.equal(s.lines.length, 6);
});

test('bad flags get a usage error naming the flag and what is allowed; exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--messages', '2.5'], /--messages must be an integer from 1 to 1,000,000; got 2\.5/],
    [['--nap-probability', 'lots'], /--nap-probability must be a number; got "lots"/],
    [['--nap-ms=-5'], /--nap-ms must be an integer from 0 to 10,000; got -5/],
    [['--timeout', '0'], /--timeout must be an integer from 1 to 3,600; got 0/],
    [['--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.match(r.stderr, /Usage: shout-hear/);
  }
});

test('--help', () => {
  const r = cli('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--nap-probability P/);
});
