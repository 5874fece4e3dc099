/** How every Shout/Hear command reports an error, from the palette and from the API alike. */
import * as vscode from 'vscode';
import { ConfigError } from '../shared/config';

/**
 * Runs a command body. Called from the palette (no argument), errors are shown as messages
 * and the command resolves to undefined; called with an argument (the API), they also reject.
 */
export async function reportErrors<T>(fromApi: boolean, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof ConfigError ? vscode.l10n.t('Shout/Hear did not run: {0}', err.message) : vscode.l10n.t('Shout/Hear: {0}', (err as Error).message);
    void vscode.window.showErrorMessage(message);
    if (fromApi) { throw new Error(message, { cause: err }); }
    return undefined;
  }
}
