/**
 * Which Python the Python engine runs: shoutHear.pythonPath (a machine setting, so a workspace
 * cannot set it), else the Python extension's active interpreter (trusted workspaces only: in an
 * untrusted one it may be the folder's own virtual environment), else python3 on PATH — each resolved once to an absolute executable.
 */
import * as vscode from 'vscode';
import { pythonCandidates, resolvePython, type ResolvedPython } from '../engine/python';

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
  // Only the user's own (machine-wide) value: never one a workspace brought along.
  const configured = vscode.workspace.getConfiguration('shoutHear').inspect<unknown>('pythonPath')?.globalValue;
  if (configured !== undefined && configured !== null && typeof configured !== 'string') {
    throw new Error(vscode.l10n.t('shoutHear.pythonPath must be the path of a Python executable (a string); got {0}.', JSON.stringify(configured)));
  }
  const trusted = vscode.workspace.isTrusted;
  // Untrusted: the Python extension is not even asked (its interpreter may live in the folder).
  const fromExtension = trusted ? await pythonExtensionInterpreter(resource) : undefined;
  return resolvePython(pythonCandidates({ trusted, userPythonPath: configured ?? undefined, extensionInterpreter: fromExtension }));
}
