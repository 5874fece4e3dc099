// Shared by the integration tests: the extension's API, and the OS's view of worker processes.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ShoutHearApi } from '../../src/extension';

export async function api(): Promise<ShoutHearApi> {
  const ext = vscode.extensions.getExtension<ShoutHearApi>('shout-hear.shout-hear');
  if (!ext) { throw new Error('the Shout/Hear extension is not loaded'); }
  return ext.activate();
}

/** Pids of the live Shout/Hear workers started by this extension host, read from /proc. */
export function workerPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) { continue; }
    try {
      const cmdline = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8');
      const [state, ppid] = fs.readFileSync(path.join('/proc', entry, 'stat'), 'utf8').split(') ')[1].split(' ');
      if (/dist\/workers\/(shouter|hearer)\.js/.test(cmdline) && state !== 'Z' && Number(ppid) === process.pid) { pids.push(Number(entry)); }
    } catch { /* the process ended while we looked */ }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch { return false; }
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (check()) { return; }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('shoutHear').update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * For the suite being declared: `shoutHear.openTimeline` set to `value` and every editor closed
 * before its tests; the user's value back and the editors closed again after them.
 */
export function openTimelineDuringSuite(value: 'never' | 'onRun'): void {
  let before: unknown;
  suiteSetup(async () => {
    before = vscode.workspace.getConfiguration('shoutHear').inspect('openTimeline')?.globalValue;
    await setSetting('openTimeline', value);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(async () => {
    await setSetting('openTimeline', before);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}

/**
 * PNG of the workbench (webviews included), via the offline host's screenshot protocol;
 * resolves to its path, or undefined when the host offers no screenshots.
 */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  const dir = process.env.VSCODE_HOST_SHOTS;
  if (!dir) { return undefined; }
  const file = (ext: string) => path.join(dir, `${name}.${ext}`);
  fs.rmSync(file('done'), { force: true });
  fs.writeFileSync(file('request'), '');
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 50));
    if (fs.existsSync(file('done'))) {
      const r = JSON.parse(fs.readFileSync(file('done'), 'utf8')) as { ok: boolean; png?: string; error?: string };
      if (!r.ok) { throw new Error(`screenshot ${name} failed: ${r.error}`); }
      return r.png;
    }
  }
  throw new Error(`screenshot ${name}: no answer within ${timeoutMs} ms`);
}
