/** The header and summary lines that frame a run's output, in the channel and the CLI alike. */
import type { RunConfig, RunSummary } from './protocol';

export function formatConfig(config: RunConfig, seed: number): string {
  return `messages ${config.messageCount}, nap probability ${config.napProbability}, nap ${config.napMs} ms, `
    + `lock ${config.useLock ? 'on' : 'off'}, timeout ${config.runTimeoutSeconds} s, seed ${seed}`
    + (config.seed === null ? ' (fresh)' : '');
}

export function formatHeader(runId: string, seed: number, config: RunConfig): string {
  return `=== Shout/Hear ${runId}: ${formatConfig(config, seed)} ===`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

export function formatSummary(s: RunSummary): string {
  const verdict = s.ok ? 'ok' : s.stopped ? 'stopped' : `FAILED: ${s.failure ?? s.invariant}`;
  return [
    `=== ${s.runId} ${verdict} ===`,
    `duration ${ms(s.durationMs)}, ${s.lineCount} lines, naps ${s.naps}, `
      + `lock waits ${s.lockWaits.count} (${ms(s.lockWaits.totalMs)} in all), max queue depth ${s.maxQueueDepth}`,
    `exactly once, in order: ${s.exactlyOnceInOrder ? '✓' : '✗'} ${s.invariant}`,
    `pids: shouter ${s.pids.shouter ?? '-'}, hearer ${s.pids.hearer ?? '-'}; seed ${s.seed}; ${s.events} trace events`,
  ].join('\n');
}
