/**
 * Reads `shoutHear.*` from VS Code's settings and validates them like any other input; a run's
 * config is the settings with the caller's overrides on top.
 */
import * as vscode from 'vscode';
import { configOrThrow, SETTING_NAMES, type NameStyle } from '../shared/config';
import type { RunConfig } from '../protocol/run';

const overrideName: NameStyle = (key) => `override "${key}" (setting shoutHear.${key})`;

/** Settings (or `base`), then overrides on top; throws ConfigError naming every bad value. */
export function resolveConfig(overrides: unknown, base?: RunConfig): RunConfig {
  return configOrThrow(overrides, base ?? configOrThrow(settingValues()), overrideName);
}

/** The raw `shoutHear.*` values, as VS Code has them (each still to be validated). */
function settingValues(): Record<string, unknown> {
  const section = vscode.workspace.getConfiguration('shoutHear');
  const raw: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) { raw[name] = section.get(name); }
  return raw;
}
