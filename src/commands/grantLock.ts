/** Grant Lock…: with lock policy "manual", gives the free print lock to a waiting process by hand. */
import * as vscode from 'vscode';
import type { RunController } from '../host/runController';

export async function grantLock(runs: RunController, name: unknown): Promise<{ holder: string | undefined; waiting: string[] } | undefined> {
  const run = runs.running;
  if (!run) { throw new Error(vscode.l10n.t('No run is going: there is no lock to grant.')); }
  if (run.config.lockPolicy !== 'manual') {
    throw new Error(vscode.l10n.t('This run\'s lock policy is "{0}": set shoutHear.lockPolicy to "manual" to grant the lock by hand.', run.config.lockPolicy));
  }
  let target = name;
  if (target === undefined) {
    const waiting = run.lockState.waiting;
    if (waiting.length === 0) { void vscode.window.showInformationMessage(vscode.l10n.t('Nobody is waiting for the lock right now.')); return run.lockState; }
    target = await vscode.window.showQuickPick(waiting, { title: vscode.l10n.t('Grant the print lock to…') });
    if (target === undefined) { return undefined; }
  }
  if (typeof target !== 'string') { throw new Error(vscode.l10n.t('Grant Lock takes a process name such as "shouter" or "hearer 2"; got {0}.', JSON.stringify(target))); }
  run.grantLock(target);
  return run.lockState;
}
