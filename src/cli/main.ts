/**
 * `shout-hear`: the same engine in a terminal. Prints the interleaved lines as they are
 * written, then a summary (or, with --json, the summary as JSON); exits non-zero on failure.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { ConfigError, configOrThrow, type NameStyle } from '../shared/config';
import type { RunConfig } from '../protocol/run';
import { pythonScriptPath, resolvePython } from '../engine/python';
import { startRun } from '../engine/run';
import { formatHeader, formatSummary } from '../shared/summaryText';
import { unsupportedPlatformMessage } from '../shared/platformSupport';

const FLAGS: Record<string, keyof RunConfig> = {
  messages: 'messageCount',
  'nap-probability': 'napProbability',
  'nap-ms': 'napMs',
  seed: 'seed',
  timeout: 'runTimeoutSeconds',
  capacity: 'queueCapacity',
  shouters: 'shouters',
  hearers: 'hearers',
};
/** Flags whose value is a word, not a number. */
const WORD_FLAGS: Record<string, keyof RunConfig> = {
  'lock-policy': 'lockPolicy',
  engine: 'engine',
  'start-method': 'pythonStartMethod',
};

const USAGE = `Usage: shout-hear [options]

Runs a shouter and a hearer process that talk over a queue and print through one lock.

Options:
  --messages N          messages to shout, 1..1000000 (default 10)
  --nap-probability P   chance of a nap after each message, 0..1 (default 0.25)
  --nap-ms MS           length of a nap in ms, 0..10000 (default 100)
  --seed N              seed for the nap decisions, 0..${Number.MAX_SAFE_INTEGER} (default: a fresh one)
  --no-lock             print without the lock
  --timeout S           stop the run after S seconds, 1..3600 (default 120)
  --lock-policy P       os | fifo | random (default os; manual and replay need VS Code)
  --capacity N          queue capacity, 0 (unbounded) ..10000 (default 0)
  --shouters N          shouter processes, 1..8 (default 1)
  --hearers N           hearer processes, 1..8 (default 1)
  --engine E            node | python (default node)
  --start-method M      Python's start method: fork | spawn | forkserver
  --python PATH         the Python interpreter (default: python3 on PATH)
  --json                print the summary as JSON (instead of the lines and the summary text)
  --quiet               do not print the lines
  -h, --help            show this help
`;

const ALL_FLAGS = { ...FLAGS, ...WORD_FLAGS };
const flagName: NameStyle = (key) => `--${Object.keys(ALL_FLAGS).find((f) => ALL_FLAGS[f] === key) ?? (key === 'useLock' ? 'no-lock' : key)}`;

function parseNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) { throw new ConfigError([`--${flag} must be a number; got "${text}".`]); }
  return n;
}

export function parseCli(argv: string[]): { config: RunConfig; json: boolean; quiet: boolean; python?: string } | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string' },
      'nap-probability': { type: 'string' },
      'nap-ms': { type: 'string' },
      seed: { type: 'string' },
      'no-lock': { type: 'boolean' },
      timeout: { type: 'string' },
      capacity: { type: 'string' },
      shouters: { type: 'string' },
      hearers: { type: 'string' },
      'lock-policy': { type: 'string' },
      engine: { type: 'string' },
      'start-method': { type: 'string' },
      python: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) { return 'help'; }
  const overrides: Partial<Record<keyof RunConfig, unknown>> = {};
  const errors: string[] = [];
  for (const [flag, key] of Object.entries(FLAGS)) {
    const text = values[flag as keyof typeof values];
    if (typeof text !== 'string') { continue; }
    try { overrides[key] = parseNumber(flag, text); } catch (err) { errors.push(...(err as ConfigError).errors); }
  }
  for (const [flag, key] of Object.entries(WORD_FLAGS)) {
    const text = values[flag as keyof typeof values];
    if (typeof text === 'string') { overrides[key] = text; }
  }
  if (errors.length > 0) { throw new ConfigError(errors); }
  if (values['no-lock']) { overrides.useLock = false; }
  const config = configOrThrow(overrides, undefined, flagName);
  if (config.lockPolicy === 'manual' || config.lockPolicy === 'replay') {
    throw new ConfigError([`--lock-policy ${config.lockPolicy} needs VS Code (a scheduler to click, or a run to replay); use os, fifo or random here.`]);
  }
  return { config, json: !!values.json, quiet: !!values.quiet, python: typeof values.python === 'string' ? values.python : undefined };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`shout-hear: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') { process.stdout.write(USAGE); return 0; }
  const unsupported = unsupportedPlatformMessage(process.platform, 'cli');
  if (unsupported) { process.stderr.write(`shout-hear: ${unsupported}\n`); return 1; }
  const { config, json, quiet } = parsed;
  const printLines = !json && !quiet;
  let python;
  if (config.engine === 'python') {
    try {
      const found = await resolvePython([
        ...(parsed.python ? [{ source: '--python', command: parsed.python, explicit: true }] : []),
        { source: 'python3 on PATH', command: 'python3' },
      ]);
      // dist/cli.js -> the package root, where python/ sits.
      python = { executable: found.executable, version: found.version, script: pythonScriptPath(path.join(__dirname, '..')) };
    } catch (err) {
      process.stderr.write(`shout-hear: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const run = startRun({ config, python, onOutput: printLines ? (text) => process.stdout.write(text) : undefined });
  if (!json) { process.stdout.write(`${formatHeader(run.id, run.seed, config)}\n`); }
  // The workers lead their own process groups, so Ctrl+C does not reach them: stop them here.
  const stop = () => { void run.stop(); };
  process.once('SIGINT', stop);
  // A closed stdout (e.g. piped into `head`) is no reason to crash: stop the run and exit.
  process.stdout.on('error', stop);
  process.once('SIGTERM', stop);
  const summary = await run.done;
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  return summary.ok ? 0 : summary.stopped ? 130 : 1;
}

if (require.main === module) {
  void main().then((code) => { process.exitCode = code; });
}
