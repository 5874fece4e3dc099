/**
 * Which Python the Python engine runs: shoutHear.pythonPath (a machine setting, so a workspace
 * cannot set it; VS Code also ignores it in untrusted workspaces), else the Python extension's
 * active interpreter, else python3 on PATH — each resolved once to an absolute executable.
 */
import * as vscode from 'vscode';
import { resolvePython, type PythonCandidate, type ResolvedPython } from '../engine/python';

async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) { return undefined; }
  try {
    const api = (await ext.activate()) as {
      environments?: {
        getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
        resolveEnvironment?(p: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
      };
    };
    const active = api.environments?.getActiveEnvironmentPath(resource ?? vscode.workspace.workspaceFolders?.[0]?.uri);
    if (!active) { return undefined; }
    const resolved = await api.environments?.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined; // an API we do not understand: fall back to PATH
  }
}

/** resource: the workspace folder whose interpreter the Python extension should give (default: the first). */
export async function locatePython(resource?: vscode.Uri): Promise<ResolvedPython> {
  const candidates: PythonCandidate[] = [];
  // Only the user's own (machine-wide) value: never one a workspace brought along.
  const configured = vscode.workspace.getConfiguration('shoutHear').inspect<unknown>('pythonPath')?.globalValue;
  if (typeof configured === 'string' && configured.trim() !== '') {
    candidates.push({ source: 'setting shoutHear.pythonPath', command: configured.trim(), explicit: true });
  } else if (configured !== undefined && configured !== null && configured !== '') {
    throw new Error(`shoutHear.pythonPath must be the path of a Python executable (a string); got ${JSON.stringify(configured)}.`);
  }
  const fromExtension = await pythonExtensionInterpreter(resource);
  if (fromExtension) { candidates.push({ source: "the Python extension's interpreter", command: fromExtension }); }
  candidates.push({ source: 'python3 on PATH', command: 'python3' });
  return resolvePython(candidates);
}
