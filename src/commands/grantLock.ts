/** Grant Lock…: with lock policy "manual", gives the free print lock to a waiting process by hand. */
import * as vscode from 'vscode';
import type { RunController } from '../host/runController';

export async function grantLock(runs: RunController, name: unknown): Promise<{ holder: string | undefined; waiting: string[] } | undefined> {
  const run = runs.running;
  if (!run) { throw new Error('No run is going: there is no lock to grant.'); }
  if (run.config.lockPolicy !== 'manual') {
    throw new Error(`This run's lock policy is "${run.config.lockPolicy}": set shoutHear.lockPolicy to "manual" to grant the lock by hand.`);
  }
  let target = name;
  if (target === undefined) {
    const waiting = run.lockState.waiting;
    if (waiting.length === 0) { void vscode.window.showInformationMessage('Nobody is waiting for the lock right now.'); return run.lockState; }
    target = await vscode.window.showQuickPick(waiting, { title: 'Grant the print lock to…' });
    if (target === undefined) { return undefined; }
  }
  if (typeof target !== 'string') { throw new Error(`Grant Lock takes a process name such as "shouter" or "hearer 2"; got ${JSON.stringify(target)}.`); }
  run.grantLock(target);
  return run.lockState;
}
