/**
 * "▶ Trace with Shout/Hear" above `if __name__ == "__main__":` in Python files that import
 * multiprocessing: one click runs shoutHear.traceFile on that file.
 */
import * as vscode from 'vscode';
import { mainGuardLines } from '../shared/mainGuard';

export function registerScriptCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, {
    provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
      if (doc.getText().length > 2_000_000) { return []; }
      return mainGuardLines(doc.getText()).map((line) => new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: vscode.l10n.t('▶ Trace with Shout/Hear'),
        tooltip: vscode.l10n.t('Run this file traced: every process, queue and lock on the Shout/Hear timeline'),
        command: 'shoutHear.traceFile',
        arguments: [doc.uri],
      }));
    },
  });
}
