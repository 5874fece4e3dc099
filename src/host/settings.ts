/** Reads `shoutHear.*` from VS Code's settings and validates them like any other input. */
import * as vscode from 'vscode';
import { SETTING_NAMES, validateConfig, type Validation } from '../shared/config';

export function readSettings(): Validation {
  const section = vscode.workspace.getConfiguration('shoutHear');
  const raw: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) { raw[name] = section.get(name); }
  return validateConfig(raw);
}
