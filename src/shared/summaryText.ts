/** The header and summary lines that frame a run's output, in the channel and the CLI alike. */
import type { RunConfig, RunSummary } from '../protocol/run';

export function formatConfig(config: RunConfig, seed: number): string {
  const extras = [
    config.engine !== 'node' ? `engine ${config.engine}${config.pythonStartMethod ? ` (${config.pythonStartMethod})` : ''}` : '',
    config.lockPolicy !== 'os' ? `lock policy ${config.lockPolicy}` : '',
    config.queueCapacity > 0 ? `queue capacity ${config.queueCapacity}` : '',
    config.shouters > 1 || config.hearers > 1 ? `${config.shouters} shouters × ${config.hearers} hearers` : '',
  ].filter(Boolean);
  return `messages ${config.messageCount}, nap probability ${config.napProbability}, nap ${config.napMs} ms, `
    + `lock ${config.useLock ? 'on' : 'off'}, ${extras.map((e) => `${e}, `).join('')}timeout ${config.runTimeoutSeconds} s, seed ${seed}`
    + (config.seed === null ? ' (fresh)' : '');
}

export function formatHeader(runId: string, seed: number, config: RunConfig): string {
  return `=== Shout/Hear ${runId}: ${formatConfig(config, seed)} ===`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

export function formatSummary(s: RunSummary): string {
  const verdict = s.ok ? 'ok' : s.stopped ? 'stopped' : `FAILED: ${s.failure ?? (s.capacityRespected === false ? 'the queue went past its capacity' : s.invariant)}`;
  return [
    ...(s.notes ?? []).map((n) => `note: ${n}`),
    `=== ${s.runId} ${verdict} ===`,
    `duration ${ms(s.durationMs)}, ${s.lineCount} lines, naps ${s.naps}, `
      + `lock waits ${s.lockWaits.count} (${ms(s.lockWaits.totalMs)} in all), max queue depth ${s.maxQueueDepth}`,
    `exactly once, in order: ${s.exactlyOnceInOrder ? '✓' : '✗'} ${s.invariant}`,
    ...(s.capacityRespected !== undefined ? [`queue capacity ${s.config.queueCapacity}: ${s.capacityRespected ? '✓ never exceeded' : '✗ exceeded'}; put blocked ${s.putBlocks} times`] : []),
    ...(s.replayOf ? [`replay of ${s.replayOf}: ${s.identical === undefined ? 'not compared' : s.identical ? '✓ identical lines' : '✗ the lines differ'}`] : []),
    `${s.engine} engine; pids: ${s.processes.map((p) => `${p.name} ${p.pid ?? '-'}`).join(', ')}; seed ${s.seed}; ${s.events} trace events`,
  ].join('\n');
}
