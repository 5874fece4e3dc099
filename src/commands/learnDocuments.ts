/**
 * The read-only documents of "Learn": the lesson's listing (media/program/shout_hear.py), the
 * Node engine's shouter and hearer in TypeScript, and a run's narration — all virtual documents
 * of our own schemes — and the per-process decorations that mark each process's current line.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { PROGRAM_LISTING } from '../learn/programMap';
import type { ProcessState } from '../learn/stateAt';

export const PROGRAM_SCHEME = 'shout-hear-program';
export const NARRATION_SCHEME = 'shout-hear-narration';
export const LISTING_URI = vscode.Uri.from({ scheme: PROGRAM_SCHEME, path: '/shout_hear.py' });
export const NODE_ENGINE_URI = vscode.Uri.from({ scheme: PROGRAM_SCHEME, path: '/node-engine (shouter.ts + hearer.ts).ts' });

/** The Timeline's process colours (theme.ts): terminal ANSI colours, with their default values. */
const PROCESS_COLOURS: [string, string][] = [
  ['terminal.ansiCyan', '#11a8cd'], ['terminal.ansiMagenta', '#bc3fbc'], ['terminal.ansiYellow', '#e5e510'],
  ['terminal.ansiGreen', '#0dbc79'], ['terminal.ansiRed', '#cd3131'], ['terminal.ansiBlue', '#2472c8'],
];

const STATE_WORDS: Record<ProcessState, string> = {
  notStarted: 'not started', running: 'running', lockWait: 'waits for the lock', printing: 'prints',
  napping: 'naps', getWait: 'waits for a message', putBlocked: 'waits for room', exited: 'exited',
};

export interface LineMark { name: string; proc: number; state: ProcessState; line: number }

export class LearnDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly narrations = new Map<string, string>();
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];
  /** What was last decorated (for the tests and for re-applying when the editor comes back). */
  marks: LineMark[] = [];

  constructor(private readonly extensionPath: string) {
    this.types = PROCESS_COLOURS.map(([id, hex]) => vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: `${hex}2e`,
      borderColor: new vscode.ThemeColor(id),
      borderStyle: 'solid',
      borderWidth: '0 0 0 3px',
      overviewRulerColor: new vscode.ThemeColor(id),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      gutterIconPath: vscode.Uri.parse(`data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="5" fill="${hex}" stroke="#808080" stroke-width="1"/></svg>`)}`),
      gutterIconSize: 'contain',
      after: { color: new vscode.ThemeColor(id), margin: '0 0 0 1em', fontWeight: 'bold' },
    }));
    this.disposables.push(
      ...this.types, this.changed,
      vscode.workspace.registerTextDocumentContentProvider(PROGRAM_SCHEME, this),
      vscode.workspace.registerTextDocumentContentProvider(NARRATION_SCHEME, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.applyMarks()),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.scheme === NARRATION_SCHEME) { return this.narrations.get(uri.path) ?? 'This narration is no longer kept: run Explain This Run again.'; }
    if (uri.path === LISTING_URI.path) { return fs.readFileSync(path.join(this.extensionPath, PROGRAM_LISTING), 'utf8'); }
    if (uri.path === NODE_ENGINE_URI.path) { return this.nodeEngineSource(); }
    return `No such Shout/Hear document: ${uri.path}`;
  }

  /** The Node engine's shouter and hearer, read from the extension's own sources. */
  private nodeEngineSource(): string {
    const parts = ['shouter.ts', 'hearer.ts'].map((file) => {
      const at = path.join(this.extensionPath, 'src', 'workers', file);
      // The .vsix ships bundles only: the source is there when run from the repository (F5, tests).
      const text = fs.existsSync(at) ? fs.readFileSync(at, 'utf8')
        : `// This installation holds only the bundled engine: src/workers/${file} is in the Shout/Hear repository.\n`;
      return `// ======================================== src/workers/${file}\n${text}`;
    });
    return [
      '// The Node engine runs the lesson\'s steps in TypeScript: the same loop, the same naps',
      '// (random.Random(seed + k), like the Python engine), one OS process per shouter and hearer.',
      '// lprint asks the extension host for the print lock; the queue is a socket between the',
      '// processes (or a queue process with several shouters or hearers, or a bounded queue).',
      '',
      ...parts,
    ].join('\n');
  }

  async showNarration(runId: string, markdown: string, preserveFocus: boolean): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: NARRATION_SCHEME, path: `/${runId} explained.md` });
    this.narrations.set(uri.path, markdown);
    while (this.narrations.size > 20) { this.narrations.delete(this.narrations.keys().next().value as string); }
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(uri), preserveFocus, preview: false });
  }

  /** Where a Learn document opens: where it (or another of ours) already is, else beside. */
  private columnFor(uri: vscode.Uri): vscode.ViewColumn {
    const ours = (u: vscode.Uri) => u.scheme === PROGRAM_SCHEME || u.scheme === NARRATION_SCHEME;
    const editors = vscode.window.visibleTextEditors;
    const same = editors.find((e) => e.document.uri.toString() === uri.toString());
    return same?.viewColumn ?? editors.find((e) => ours(e.document.uri))?.viewColumn ?? vscode.ViewColumn.Beside;
  }

  async showListing(which: 'python' | 'node', preserveFocus: boolean): Promise<vscode.TextEditor> {
    const uri = which === 'node' ? NODE_ENGINE_URI : LISTING_URI;
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(uri), preserveFocus, preview: false });
  }

  /** Marks each process's line in its colour (gutter, line highlight, a short label); [] clears. */
  setMarks(marks: LineMark[]): void {
    this.marks = marks;
    this.applyMarks();
  }

  private applyMarks(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== LISTING_URI.toString()) { continue; }
      const byType = this.types.map(() => [] as vscode.DecorationOptions[]);
      for (const m of this.marks) {
        const line = Math.min(Math.max(m.line, 1), editor.document.lineCount) - 1;
        byType[m.proc % this.types.length].push({
          range: new vscode.Range(line, 0, line, 0),
          hoverMessage: `${m.name} ${STATE_WORDS[m.state]}`,
          renderOptions: { after: { contentText: `◀ ${m.name} ${STATE_WORDS[m.state]}` } },
        });
      }
      this.types.forEach((type, k) => editor.setDecorations(type, byType[k]));
    }
  }

  dispose(): void { for (const d of this.disposables) { d.dispose(); } }
}
