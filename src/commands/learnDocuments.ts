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

/** Words for a process's state beside its line (a function: vscode.l10n.t needs the bundle loaded). */
const stateWords = (state: ProcessState): string => ({
  notStarted: vscode.l10n.t('not started'), running: vscode.l10n.t('running'), lockWait: vscode.l10n.t('waits for the lock'), printing: vscode.l10n.t('prints'),
  napping: vscode.l10n.t('naps'), getWait: vscode.l10n.t('waits for a message'), putBlocked: vscode.l10n.t('waits for room'), exited: vscode.l10n.t('exited'),
})[state];

export interface LineMark { name: string; proc: number; state: ProcessState; line: number }

export class LearnDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly narrations = new Map<string, string>();
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];
  /** What was last decorated (for the tests and for re-applying when the editor comes back). */
  marks: LineMark[] = [];
  /** The document the marks are on: the lesson's listing, or a traced user program's file. */
  private markedUri: vscode.Uri = LISTING_URI;

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
    if (uri.scheme === NARRATION_SCHEME) { return this.narrations.get(uri.path) ?? vscode.l10n.t('This narration is no longer kept: run Explain This Run again.'); }
    if (uri.path === LISTING_URI.path) { return fs.readFileSync(path.join(this.extensionPath, PROGRAM_LISTING), 'utf8'); }
    if (uri.path === NODE_ENGINE_URI.path) { return this.nodeEngineSource(); }
    return vscode.l10n.t('No such Shout/Hear document: {0}', uri.path);
  }

  /** The Node engine's shouter and hearer, read from the extension's own sources. */
  private nodeEngineSource(): string {
    const parts = ['shouter.ts', 'hearer.ts'].map((file) => {
      const at = path.join(this.extensionPath, 'src', 'workers', file);
      // The .vsix ships bundles only: the source is there when run from the repository (F5, tests).
      const text = fs.existsSync(at) ? fs.readFileSync(at, 'utf8')
        : `// ${vscode.l10n.t('This installation holds only the bundled engine: src/workers/{0} is in the Shout/Hear repository.', file)}\n`;
      return `// ======================================== src/workers/${file}\n${text}`;
    });
    return [
      `// ${vscode.l10n.t('The Node engine runs the lesson\'s steps in TypeScript: the same loop, the same naps')}`,
      `// ${vscode.l10n.t('(random.Random(seed + k), like the Python engine), one OS process per shouter and hearer.')}`,
      `// ${vscode.l10n.t('lprint asks the extension host for the print lock; the queue is a socket between the')}`,
      `// ${vscode.l10n.t('processes (or a queue process with several shouters or hearers, or a bounded queue).')}`,
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

  /** The listing's editor if it is visible (the playhead's marks follow only then). */
  visibleListing(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === LISTING_URI.toString());
  }

  /** A traced user program's own file, beside the Timeline, to carry the marks. */
  async showUserFile(file: vscode.Uri, preserveFocus: boolean): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(file);
    return vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(file), preserveFocus, preview: false });
  }

  /** Marks each process's line in its colour (gutter, line highlight, a short label) on `uri` (default: the listing); [] clears. */
  setMarks(marks: LineMark[], uri: vscode.Uri = LISTING_URI): void {
    if (uri.toString() !== this.markedUri.toString()) { this.clearMarks(); }
    this.markedUri = uri;
    this.marks = marks;
    this.applyMarks();
  }

  private clearMarks(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === this.markedUri.toString()) { for (const type of this.types) { editor.setDecorations(type, []); } }
    }
  }

  private applyMarks(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== this.markedUri.toString()) { continue; }
      const byType = this.types.map(() => [] as vscode.DecorationOptions[]);
      for (const m of this.marks) {
        const line = Math.min(Math.max(m.line, 1), editor.document.lineCount) - 1;
        byType[m.proc % this.types.length].push({
          range: new vscode.Range(line, 0, line, 0),
          hoverMessage: `${m.name} ${stateWords(m.state)}`,
          renderOptions: { after: { contentText: `◀ ${m.name} ${stateWords(m.state)}` } },
        });
      }
      this.types.forEach((type, k) => editor.setDecorations(type, byType[k]));
    }
  }

  dispose(): void { for (const d of this.disposables) { d.dispose(); } }
}
