// For the engine tests: where the built workers are, and how to see a process from outside.
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../../src/shared/config';
import { startRun, type Run } from '../../src/engine/run';
import type { RunConfig } from '../../src/protocol/run';

/** out/test/unit -> the project root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const WORKERS = path.join(ROOT, 'dist', 'workers');

export function run(overrides: Partial<RunConfig>, workerDir = WORKERS): Run {
  return startRun({ config: { ...defaultConfig(), ...overrides }, workerDir });
}

/** Alive and not a zombie, as the OS sees it. */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) { return false; }
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch { return false; }
}

/** Live (non-zombie) pids whose /proc stat field `field` (1: parent, 2: process group) is `value`. */
function processesWith(field: 1 | 2, value: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) { continue; }
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(fields[field]) === value && fields[0] !== 'Z') { out.push(Number(entry)); }
    } catch { /* gone */ }
  }
  return out;
}

/** Pids in the given process group (what a group kill would have had to reach). */
export const groupMembers = (pgid: number) => processesWith(2, pgid);

/** Live children of a process. */
export const childrenOf = (ppid: number) => processesWith(1, ppid);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (check()) { return; }
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}
