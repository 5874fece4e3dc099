/**
 * shoutHear.showProgram(options?): opens the lesson's listing read-only beside the Timeline;
 * with { runId?, tMs } marks each process's current line at that instant in its colour (what
 * the playhead will call). { engine: 'node' } opens the Node engine's TypeScript instead.
 */
import * as vscode from 'vscode';
import { stateAt } from '../learn/stateAt';
import { findSource, learnRunOf, type KeptRuns } from './learnRuns';
import { checkInstant } from './stateAt';
import type { LearnDocuments, LineMark } from './learnDocuments';

export interface ShowProgramResult {
  uri: string;
  runId?: string;
  tMs?: number;
  marks: LineMark[];
}

const KEYS = new Set(['runId', 'tMs', 'engine']);

export async function showProgram(runs: KeptRuns, docs: LearnDocuments, options: unknown): Promise<ShowProgramResult> {
  const what = 'Show Program';
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new Error(`${what}: options must be an object { runId?, tMs?, engine? }, not ${JSON.stringify(options)?.slice(0, 60)}.`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length) { throw new Error(`${what}: unknown option ${unknown.join(', ')}; allowed: runId, tMs, engine.`); }
  if (o.engine !== undefined && o.engine !== 'python' && o.engine !== 'node') { throw new Error(`${what}: engine must be "python" or "node".`); }
  if (o.engine === 'node') {
    const editor = await docs.showListing('node', options !== undefined);
    return { uri: editor.document.uri.toString(), marks: [] };
  }
  let marks: LineMark[] = [];
  let at: { runId: string; tMs: number } | undefined;
  if (o.tMs !== undefined || o.runId !== undefined) {
    const source = findSource(runs, o.runId, what);
    const run = learnRunOf(source);
    const tMs = o.tMs === undefined ? 0 : checkInstant(o.tMs, what);
    const state = stateAt(run, tMs);
    marks = state.processes.flatMap((p, k) => (p.line === null ? [] : [{ name: p.name, proc: k, state: p.state, line: p.line }]));
    at = { runId: source.id, tMs };
  }
  const editor = await docs.showListing('python', options !== undefined);
  docs.setMarks(marks);
  if (marks.length > 0) {
    const first = Math.min(...marks.map((m) => m.line)) - 1;
    editor.revealRange(new vscode.Range(first, 0, first, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  if (options === undefined) {
    void vscode.window.showInformationMessage(
      'The lesson\'s program, as the timeline shows it. The Node engine runs the same steps in TypeScript.', 'Show the Node Engine\'s Source',
    ).then((pick) => { if (pick) { void docs.showListing('node', false); } });
  }
  return { uri: editor.document.uri.toString(), ...(at ?? {}), marks };
}
