/**
 * shoutHear.showProgram(options?): opens the lesson's listing read-only beside the Timeline;
 * with { runId?, tMs } marks each process's current line at that instant in its colour.
 * { engine: 'node' } opens the Node engine's TypeScript instead. The Timeline's playhead and
 * event clicks reach the open listing through programFollower (the same marks, the same stateAt).
 */
import * as vscode from 'vscode';
import { stateAt } from '../learn/stateAt';
import type { LearnRun } from '../learn/traceView';
import type { ProgramFollower } from '../views/timeline/panel';
import { findSource, learnRunOf, type KeptRuns } from './learnRuns';
import { checkInstant } from './stateAt';
import type { LearnDocuments, LineMark } from './learnDocuments';
import type { ScriptRun } from '../engine/scriptRun';
import { scriptMarksAt } from '../learn/scriptMarks';

export interface ShowProgramResult {
  uri: string;
  runId?: string;
  tMs?: number;
  marks: LineMark[];
}

const KEYS = new Set(['runId', 'tMs', 'engine']);

export async function showProgram(runs: KeptRuns, docs: LearnDocuments, options: unknown): Promise<ShowProgramResult> {
  const what = vscode.l10n.t('Show Program');
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new Error(vscode.l10n.t('{0}: options must be an object { runId?, tMs?, engine? }, not {1}.', what, String(JSON.stringify(options)?.slice(0, 60))));
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.has(k));
  if (unknown.length) { throw new Error(vscode.l10n.t('{0}: unknown option {1}; allowed: runId, tMs, engine.', what, unknown.join(', '))); }
  if (o.engine !== undefined && o.engine !== 'python' && o.engine !== 'node') { throw new Error(vscode.l10n.t('{0}: engine must be "python" or "node".', what)); }
  if (o.engine === 'node') {
    const editor = await docs.showListing('node', options !== undefined);
    return { uri: editor.document.uri.toString(), marks: [] };
  }
  let marks: LineMark[] = [];
  let at: { runId: string; tMs: number } | undefined;
  if (o.tMs !== undefined || o.runId !== undefined) {
    const source = findSource(runs, o.runId, what);
    if (source.script) { return showScriptProgram(source.script, docs, o.tMs === undefined ? 0 : checkInstant(o.tMs, what), source.id, options !== undefined); }
    const run = learnRunOf(source);
    const tMs = o.tMs === undefined ? 0 : checkInstant(o.tMs, what);
    marks = marksAt(run, tMs);
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
      vscode.l10n.t('The lesson\'s program, as the timeline shows it. The Node engine runs the same steps in TypeScript.'), vscode.l10n.t('Show the Node Engine\'s Source'),
    ).then((pick) => { if (pick) { void docs.showListing('node', false); } });
  }
  return { uri: editor.document.uri.toString(), ...(at ?? {}), marks };
}

/** A traced user program: its own file, each process's line at tMs marked by the sites of its events. */
async function showScriptProgram(script: ScriptRun, docs: LearnDocuments, tMs: number, runId: string, preserveFocus: boolean): Promise<ShowProgramResult> {
  const uri = vscode.Uri.file(script.file);
  const editor = await docs.showUserFile(uri, preserveFocus);
  const marks = scriptMarksAt(script, tMs);
  docs.setMarks(marks, uri);
  if (marks.length > 0) {
    const first = Math.min(...marks.map((m) => m.line)) - 1;
    editor.revealRange(new vscode.Range(first, 0, first, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return { uri: uri.toString(), runId, tMs, marks };
}

/** Each process's line at tMs, in its colour (k: its place among the run's processes). */
function marksAt(run: LearnRun, tMs: number): LineMark[] {
  return stateAt(run, tMs).processes.flatMap((p, k) => (p.line === null ? [] : [{ name: p.name, proc: k, state: p.state, line: p.line }]));
}

/**
 * The open listing follows the Timeline: at the playhead each process's line is marked; a clicked
 * event's line is revealed. Nothing happens while the listing is not visible (the page asks often).
 */
export function programFollower(runs: KeptRuns, docs: LearnDocuments): ProgramFollower {
  return {
    playhead(runId, tMs) {
      if (!docs.visibleListing()) { return; }
      const run = learnRunOf(findSource(runs, runId, vscode.l10n.t('Timeline playhead')));
      docs.setMarks(marksAt(run, tMs));
    },
    revealEvent(runId, tMs, name) {
      const editor = docs.visibleListing();
      if (!editor) { return; }
      const line = stateAt(learnRunOf(findSource(runs, runId, vscode.l10n.t('Timeline event'))), tMs).processes.find((p) => p.name === name)?.line;
      if (line === null || line === undefined) { return; }
      const range = new vscode.Range(line - 1, 0, line - 1, 0);
      editor.selection = new vscode.Selection(range.start, range.start);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
  };
}
