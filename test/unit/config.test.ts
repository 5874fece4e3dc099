import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SETTINGS, defaultConfig, validateConfig } from '../../src/shared/config';

test('defaults are the lesson: 10 messages, one nap in four of 100 ms, lock on, fresh seed', () => {
  assert.deepEqual(defaultConfig(), {
    messageCount: 10, napProbability: 0.25, napMs: 100, seed: null, useLock: true, runTimeoutSeconds: 120,
    lockPolicy: 'os', queueCapacity: 0, shouters: 1, hearers: 1, engine: 'node', pythonStartMethod: null,
  });
});

test('package.json declares every setting with the same limits and default', async () => {
  const pkg = await import('../../package.json');
  const props = (pkg as any).default?.contributes?.configuration?.properties ?? (pkg as any).contributes.configuration.properties;
  for (const [key, { rule, default: def }] of Object.entries(SETTINGS)) {
    const schema = props[`shoutHear.${key}`];
    assert.ok(schema, `shoutHear.${key} is in package.json`);
    assert.deepEqual(schema.default, def, `default of ${key}`);
    assert.ok(schema.markdownDescription, `${key} has a description`);
    if (rule.kind === 'enum') { assert.deepEqual(schema.enum, rule.values, `values of ${key}`); }
    if (rule.kind === 'integer' || rule.kind === 'number') {
      assert.equal(schema.minimum, rule.min, `minimum of ${key}`);
      assert.equal(schema.maximum, rule.max, `maximum of ${key}`);
    }
  }
});

const BAD: [string, unknown, RegExp][] = [
  ['messageCount', 0, /shoutHear\.messageCount must be an integer from 1 to 1,000,000; got 0\./],
  ['messageCount', 2.5, /integer from 1 to 1,000,000; got 2\.5/],
  ['messageCount', 1_000_001, /got 1000001/],
  ['messageCount', NaN, /got NaN/],
  ['messageCount', '10', /got "10"/],
  ['messageCount', null, /got null/],
  ['messageCount', Infinity, /got Infinity/],
  ['napProbability', -0.1, /shoutHear\.napProbability must be a number from 0 to 1; got -0\.1/],
  ['napProbability', 1.01, /got 1\.01/],
  ['napProbability', NaN, /got NaN/],
  ['napProbability', true, /got true/],
  ['napMs', -1, /shoutHear\.napMs must be an integer from 0 to 10,000; got -1/],
  ['napMs', 10_001, /got 10001/],
  ['napMs', 0.5, /got 0\.5/],
  ['seed', -1, /shoutHear\.seed must be null \(a fresh seed each run\) or an integer from 0 to 9007199254740991; got -1/],
  ['seed', 1.5, /got 1\.5/],
  ['seed', 2 ** 60, /got 1152921504606847000/],
  ['seed', 'abc', /got "abc"/],
  ['useLock', 'yes', /shoutHear\.useLock must be true or false; got "yes"/],
  ['useLock', 1, /got 1/],
  ['runTimeoutSeconds', 0, /shoutHear\.runTimeoutSeconds must be an integer from 1 to 3,600; got 0/],
  ['runTimeoutSeconds', 3601, /got 3601/],
  ['runTimeoutSeconds', [], /got \[\]/],
  ['runTimeoutSeconds', {}, /got \{\}/],
  ['messageCount', 1e300, /got 1e\+300/],
  ['messageCount', -5, /got -5/],
  ['napProbability', '0.5', /must be a number from 0 to 1; got "0\.5"/],
  ['napProbability', null, /got null/],
  ['napMs', Infinity, /got Infinity/],
  ['seed', NaN, /got NaN/],
  ['seed', true, /got true/],
  ['useLock', 'false', /must be true or false; got "false"/],
  ['useLock', null, /got null/],
  ['runTimeoutSeconds', 1.5, /got 1\.5/],
  ['lockPolicy', 'fair', /shoutHear\.lockPolicy must be one of "os", "fifo", "random", "manual", "replay"; got "fair"/],
  ['lockPolicy', null, /got null/],
  ['queueCapacity', -1, /shoutHear\.queueCapacity must be an integer from 0 to 10,000; got -1/],
  ['queueCapacity', 10_001, /got 10001/],
  ['shouters', 0, /shoutHear\.shouters must be an integer from 1 to 8; got 0/],
  ['shouters', 9, /got 9/],
  ['hearers', 2.5, /shoutHear\.hearers must be an integer from 1 to 8; got 2\.5/],
  ['engine', 'java', /shoutHear\.engine must be one of "node", "python"; got "java"/],
  ['pythonStartMethod', 'thread', /shoutHear\.pythonStartMethod must be one of "fork", "spawn", "forkserver", null; got "thread"/],
];

test('the table covers every setting with at least 30 bad values', () => {
  assert.ok(BAD.length >= 30);
  assert.deepEqual(new Set(BAD.map(([k]) => k)), new Set(Object.keys(SETTINGS)));
});

for (const [key, value, message] of BAD) {
  test(`rejects ${key} = ${String(value)}`, () => {
    const v = validateConfig({ [key]: value });
    assert.equal(v.ok, false);
    if (!v.ok) { assert.match(v.errors.join(' '), message); }
  });
}

test('reports every bad value at once, and unknown names', () => {
  const v = validateConfig({ messageCount: 0, napMs: -1, mesageCount: 5 });
  assert.equal(v.ok, false);
  if (!v.ok) {
    assert.equal(v.errors.length, 3);
    assert.match(v.errors.join('\n'), /Unknown setting "mesageCount": allowed are messageCount, napProbability/);
  }
});

test('overrides must be an object', () => {
  for (const bad of [5, 'x', [1], true]) {
    const v = validateConfig(bad);
    assert.equal(v.ok, false);
    if (!v.ok) { assert.match(v.errors[0], /Run overrides must be an object/); }
  }
});

test('good values pass and keep the base for the rest', () => {
  const v = validateConfig({ messageCount: 1_000_000, napProbability: 1, seed: 0, useLock: false });
  assert.deepEqual(v, { ok: true, config: { ...defaultConfig(), messageCount: 1_000_000, napProbability: 1, seed: 0, useLock: false } });
  assert.deepEqual(validateConfig(undefined), { ok: true, config: defaultConfig() });
});

test('a very long bad value is shortened in the message', () => {
  const v = validateConfig({ napMs: 'x'.repeat(500) });
  assert.ok(!v.ok && v.errors[0].length < 200);
});
