/**
 * "▶ Trace with Shout/Hear" above `if __name__ == "__main__":` in Python files that import
 * multiprocessing: one click runs shoutHear.traceFile on that file.
 */
import * as vscode from 'vscode';

const IMPORTS_MULTIPROCESSING = /^\s*(import\s+multiprocessing\b|from\s+multiprocessing\b)/m;
const MAIN_GUARD = /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/;

/** Line numbers of the main guards, in files that import multiprocessing (none otherwise). */
export function mainGuardLines(text: string): number[] {
  if (!IMPORTS_MULTIPROCESSING.test(text)) { return []; }
  const out: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => { if (MAIN_GUARD.test(line)) { out.push(i); } });
  return out;
}

export function registerScriptCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, {
    provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
      if (doc.getText().length > 2_000_000) { return []; }
      return mainGuardLines(doc.getText()).map((line) => new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: '▶ Trace with Shout/Hear',
        tooltip: 'Run this file traced: every process, queue and lock on the Shout/Hear timeline',
        command: 'shoutHear.traceFile',
        arguments: [doc.uri],
      }));
    },
  });
}
