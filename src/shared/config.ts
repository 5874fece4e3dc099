/**
 * Run settings: their limits, defaults, and validation. The same rules serve settings.json,
 * `shoutHear.run` overrides and CLI flags, so every source gets the same clear message.
 */
import { LOCK_POLICIES, type RunConfig } from '../protocol/run';

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

interface IntegerRule { kind: 'integer'; min: number; max: number }
interface NumberRule { kind: 'number'; min: number; max: number }
interface BooleanRule { kind: 'boolean' }
interface SeedRule { kind: 'seed' }
/** One of a fixed list of values (null included when listed). */
interface EnumRule { kind: 'enum'; values: readonly (string | null)[] }
type Rule = IntegerRule | NumberRule | BooleanRule | SeedRule | EnumRule;

/** Every run setting with its rule and default; package.json's schema says the same. */
export const SETTINGS: { readonly [K in keyof RunConfig]: { rule: Rule; default: RunConfig[K] } } = {
  messageCount: { rule: { kind: 'integer', min: 1, max: 1_000_000 }, default: 10 },
  napProbability: { rule: { kind: 'number', min: 0, max: 1 }, default: 0.25 },
  napMs: { rule: { kind: 'integer', min: 0, max: 10_000 }, default: 100 },
  seed: { rule: { kind: 'seed' }, default: null },
  useLock: { rule: { kind: 'boolean' }, default: true },
  runTimeoutSeconds: { rule: { kind: 'integer', min: 1, max: 3600 }, default: 120 },
  lockPolicy: { rule: { kind: 'enum', values: LOCK_POLICIES }, default: 'os' },
  queueCapacity: { rule: { kind: 'integer', min: 0, max: 10_000 }, default: 0 },
  shouters: { rule: { kind: 'integer', min: 1, max: 8 }, default: 1 },
  hearers: { rule: { kind: 'integer', min: 1, max: 8 }, default: 1 },
  engine: { rule: { kind: 'enum', values: ['node', 'python'] }, default: 'node' },
  pythonStartMethod: { rule: { kind: 'enum', values: ['fork', 'spawn', 'forkserver', null] }, default: null },
};

export const SETTING_NAMES = Object.keys(SETTINGS) as (keyof RunConfig)[];

export function defaultConfig(): RunConfig {
  const out: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) { out[name] = SETTINGS[name].default; }
  return out as unknown as RunConfig;
}

/** How a setting is named to the user in messages, e.g. `shoutHear.napMs` or `--nap-ms`. */
export type NameStyle = (key: keyof RunConfig) => string;
export const settingName: NameStyle = (key) => `shoutHear.${key}`;

export function describeAllowed(rule: Rule): string {
  switch (rule.kind) {
    case 'integer': return `an integer from ${rule.min.toLocaleString('en-US')} to ${rule.max.toLocaleString('en-US')}`;
    case 'number': return `a number from ${rule.min} to ${rule.max}`;
    case 'boolean': return 'true or false';
    case 'seed': return `null (a fresh seed each run) or an integer from 0 to ${MAX_SEED}`;
    case 'enum': return `one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
}

/** Shows a bad value the way the user wrote it, kept short. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'number') { text = Number.isNaN(value) ? 'NaN' : String(value); }
  else if (typeof value === 'string') { text = JSON.stringify(value); }
  else if (value === undefined) { text = 'undefined'; }
  else if (typeof value === 'bigint') { text = `${value}n`; }
  else {
    // JSON has no text for a function or a symbol: String gives their own (never "[object Object]").
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    try { text = JSON.stringify(value) ?? String(value); } catch { text = Object.prototype.toString.call(value); }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fits(rule: Rule, value: unknown): boolean {
  switch (rule.kind) {
    case 'integer': return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max;
    case 'number': return typeof value === 'number' && Number.isFinite(value) && value >= rule.min && value <= rule.max;
    case 'boolean': return typeof value === 'boolean';
    case 'seed': return value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED);
    case 'enum': return (typeof value === 'string' || value === null) && rule.values.includes(value);
  }
}

export type Validation = { ok: true; config: RunConfig } | { ok: false; errors: string[] };

/**
 * Checks a partial config over a base. Unknown keys are errors too: a typo in an override
 * should not silently run with the default.
 */
export function validateConfig(input: unknown, base: RunConfig = defaultConfig(), name: NameStyle = settingName): Validation {
  if (input === undefined || input === null) { return { ok: true, config: { ...base } }; }
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [`Run overrides must be an object such as { "messageCount": 20 }; got ${showValue(input)}.`] };
  }
  const errors: string[] = [];
  const config: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!(SETTING_NAMES as string[]).includes(key)) {
      errors.push(`Unknown setting "${key}": allowed are ${SETTING_NAMES.join(', ')}.`);
      continue;
    }
    const k = key as keyof RunConfig;
    const rule = SETTINGS[k].rule;
    if (!fits(rule, value)) {
      errors.push(`${name(k)} must be ${describeAllowed(rule)}; got ${showValue(value)}.`);
      continue;
    }
    config[k] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: config as unknown as RunConfig };
}

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join(' '));
    this.name = 'ConfigError';
  }
}

export function configOrThrow(input: unknown, base?: RunConfig, name?: NameStyle): RunConfig {
  const v = validateConfig(input, base, name);
  if (!v.ok) { throw new ConfigError(v.errors); }
  return v.config;
}
