/**
 * Trace Python File (shoutHear.traceFile(uri?, overrides?)): runs a user's own Python file
 * traced, in the same run controller, store and views as every run. It runs workspace code, so
 * only in a trusted workspace; an unsaved file is saved first, an untitled one is refused.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ScriptRun } from '../engine/scriptRun';
import type { RunController } from '../host/runController';
import { locatePython } from '../host/pythonLocator';
import { resolveConfig } from '../host/settings';
import type { PythonStartMethod } from '../protocol/run';
import { scriptHeader, type ScriptResult } from '../trace/scriptSummary';
import type { Timeline } from '../views/timeline/register';

export interface TraceOverrides { runTimeoutSeconds?: number; pythonStartMethod?: PythonStartMethod | null; args?: string[] }

const START_METHODS = ['fork', 'spawn', 'forkserver'];
const MAX_ARGS = 100;
const MAX_ARG_CHARS = 4096;

/** Checks an API caller's overrides whole; throws naming the key, the value and what is allowed. */
export function parseTraceOverrides(raw: unknown): TraceOverrides {
  // The Explorer passes (uri, selectedUris): an array there is not overrides.
  if (raw === undefined || raw === null || Array.isArray(raw)) { return {}; }
  if (typeof raw !== 'object') { throw new Error(`Trace Python File: overrides must be an object; got ${typeof raw}.`); }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['runTimeoutSeconds', 'pythonStartMethod', 'args'].includes(key)) {
      throw new Error(`Trace Python File: unknown override "${key.slice(0, 40)}"; allowed: runTimeoutSeconds, pythonStartMethod, args.`);
    }
  }
  const out: TraceOverrides = {};
  if (o.runTimeoutSeconds !== undefined) {
    const t = o.runTimeoutSeconds;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 3600) {
      throw new Error(`Trace Python File: runTimeoutSeconds must be an integer 1..3600; got ${JSON.stringify(t)?.slice(0, 40)}.`);
    }
    out.runTimeoutSeconds = t;
  }
  if (o.pythonStartMethod !== undefined) {
    const m = o.pythonStartMethod;
    if (m !== null && !(typeof m === 'string' && START_METHODS.includes(m))) {
      throw new Error(`Trace Python File: pythonStartMethod must be "fork", "spawn", "forkserver" or null; got ${JSON.stringify(m)?.slice(0, 40)}.`);
    }
    out.pythonStartMethod = m as PythonStartMethod | null;
  }
  if (o.args !== undefined) {
    const a = o.args;
    if (!Array.isArray(a) || a.length > MAX_ARGS || !a.every((x) => typeof x === 'string' && x.length <= MAX_ARG_CHARS && !x.includes('\0'))) {
      throw new Error(`Trace Python File: args must be an array of at most ${MAX_ARGS} strings (each ≤ ${MAX_ARG_CHARS} characters, no NUL).`);
    }
    out.args = a as string[];
  }
  return out;
}

/** The file to trace: the given Uri, else the active editor's; saved, on disk, a Python file. */
async function fileToTrace(uriArg: unknown): Promise<vscode.Uri> {
  if (uriArg !== undefined && !(uriArg instanceof vscode.Uri)) {
    throw new Error('Trace Python File: the first argument must be the Uri of a Python file (or nothing, for the active editor).');
  }
  const uri = uriArg ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) { throw new Error('Trace Python File: open a Python file first (there is no active editor).'); }
  if (uri.scheme === 'untitled') { throw new Error('Trace Python File: this editor is untitled; save it as a .py file first, then trace it.'); }
  if (uri.scheme !== 'file') { throw new Error(`Trace Python File: only files on disk can be traced; this one is ${uri.scheme}:.`); }
  if (!uri.fsPath.toLowerCase().endsWith('.py')) { throw new Error(`Trace Python File: ${path.basename(uri.fsPath)} is not a .py file.`); }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty && !(await doc.save())) {
    throw new Error(`Trace Python File: ${path.basename(uri.fsPath)} has unsaved changes and could not be saved; save it, then trace it.`);
  }
  return uri;
}

export async function traceFile(runs: RunController, timeline: Timeline, extensionPath: string, uriArg: unknown, overridesArg: unknown): Promise<ScriptResult> {
  if (!vscode.workspace.isTrusted) {
    throw new Error('Trace Python File runs the file\'s own code, which Shout/Hear does only in a trusted workspace. '
      + 'Trust this folder (Manage Workspace Trust) to trace it; nothing was run.');
  }
  const overrides = parseTraceOverrides(overridesArg);
  const uri = await fileToTrace(uriArg);
  const settings = resolveConfig(undefined);
  const startMethod = overrides.pythonStartMethod !== undefined ? overrides.pythonStartMethod : settings.pythonStartMethod;
  const python = await locatePython(vscode.workspace.getWorkspaceFolder(uri)?.uri);
  const args = overrides.args ?? [];
  const header = (runId: string) => scriptHeader(runId, uri.fsPath, `${python.version} (${python.executable}, ${python.source})`, args, startMethod);
  const result = await runs.runScript((onOutput) => new ScriptRun({
    python: python.executable,
    bootstrap: path.join(extensionPath, 'python', 'trace_program.py'),
    file: uri.fsPath,
    args,
    runTimeoutSeconds: overrides.runTimeoutSeconds ?? settings.runTimeoutSeconds,
    startMethod,
    onOutput,
  }), header);
  // Shown once it has ended: a traced program's lanes are only all known then.
  if (vscode.workspace.getConfiguration('shoutHear').get<unknown>('openTimeline', 'onRun') !== 'never') {
    timeline.open(true).showRun(result.runId);
  }
  return result;
}
