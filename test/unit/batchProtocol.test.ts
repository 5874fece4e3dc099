// The Explore webview's messages to the host: only the allow-listed types and shapes pass.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseExploreMessage, type ExploreRendered } from '../../src/protocol/explore';

const report: ExploreRendered = {
  token: 3, tab: 'batch',
  batch: { runs: 6, distinct: 2, bars: [4, 2], observed: '2 of 5 possible orderings seen', topLines: ['Shout: 1'], rows: 2, openable: 2 },
  sweep: { charts: [{ title: 'Run duration (ms)', series: 6, points: 2 }], tableRows: 2 },
  foreignElements: 0, pageWidth: 800,
};

test('parseExploreMessage: accepts every allow-listed message, rebuilt', () => {
  assert.deepEqual(parseExploreMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseExploreMessage({ type: 'exportCsv' }), { type: 'exportCsv' });
  assert.deepEqual(parseExploreMessage({ type: 'tab', tab: 'sweep' }), { type: 'tab', tab: 'sweep' });
  assert.deepEqual(parseExploreMessage({ type: 'openRun', runId: 'run-12' }), { type: 'openRun', runId: 'run-12' });
  assert.deepEqual(parseExploreMessage({ type: 'log', level: 'warn', message: 'hi' }), { type: 'log', level: 'warn', message: 'hi' });
  assert.deepEqual(parseExploreMessage({ type: 'rendered', report }), { type: 'rendered', report });
  assert.deepEqual(parseExploreMessage({ type: 'rendered', report: { ...report, batch: null, sweep: null } }), { type: 'rendered', report: { ...report, batch: null, sweep: null } });
});

test('parseExploreMessage: rejects unknown types, extra keys, wrong shapes and hostile ids', () => {
  const bad: unknown[] = [
    null, 'ready', 42, [], { type: 'runCommand', command: 'rm -rf /' }, { type: 'ready', extra: 1 },
    { type: 'tab', tab: 'timeline' }, { type: 'tab' },
    { type: 'openRun', runId: '<img src=x>' }, { type: 'openRun', runId: null }, { type: 'openRun', runId: 'x'.repeat(201) }, { type: 'openRun' },
    { type: 'exportCsv', path: '/etc/passwd' },
    { type: 'log', level: 'debug', message: 'x' }, { type: 'log', level: 'info', message: 'x'.repeat(2001) },
    { type: 'rendered', report: { ...report, token: 'x' } },
    { type: 'rendered', report: { ...report, tab: 'other' } },
    { type: 'rendered', report: { ...report, extra: true } },
    { type: 'rendered', report: { ...report, batch: { ...report.batch, bars: ['1'] } } },
    { type: 'rendered', report: { ...report, batch: { ...report.batch, more: 1 } } },
    { type: 'rendered', report: { ...report, sweep: { charts: [{ title: 1, series: 1, points: 1 }], tableRows: 1 } } },
    { type: 'rendered', report: { ...report, sweep: { charts: 'x', tableRows: 1 } } },
    { type: 'rendered', report: { ...report, foreignElements: Infinity } },
  ];
  for (const m of bad) { assert.equal(parseExploreMessage(m), undefined, JSON.stringify(m)); }
});
