/**
 * Export Trace… and Open Trace File…: a run as Chrome Trace Event JSON (opens in Perfetto and
 * chrome://tracing, and carries our own columns so nothing is lost), and such a file back into
 * the timeline. A file to open is untrusted: size-checked before it is read, validated whole,
 * and rejected with a clear message that changes nothing.
 */
import * as vscode from 'vscode';
import type { Run } from '../engine/run';
import type { RunSummary } from '../protocol/run';
import { MAX_TRACE_FILE_BYTES } from '../protocol/validate';
import type { RunController } from '../host/runController';
import { chromeTracePieces, type ExportableRun } from '../trace/chromeTrace';
import { importChromeTrace, withFreshRunId } from '../trace/traceImport';
import { writePiecesAtomically } from '../trace/writeAtomically';
import { importedSource, type TimelineSource } from '../views/timeline/source';
import { keptRunOrThrow } from './pickRun';
import type { TimelineView } from '../views/timeline/register';

function asUri(value: unknown, what: string): vscode.Uri | undefined {
  if (value === undefined || value === null) { return undefined; }
  if (value instanceof vscode.Uri) { return value; }
  if (typeof value === 'string' && value.trim() !== '') { return value.includes('://') ? vscode.Uri.parse(value) : vscode.Uri.file(value); }
  throw new Error(vscode.l10n.t('{0} must be a file Uri or path; got {1}.', what, JSON.stringify(value)));
}

export async function exportTrace(runs: RunController, runIdArg: unknown, targetArg: unknown, summaries: readonly RunSummary[]): Promise<{ uri: string; events: number } | undefined> {
  if (runIdArg !== undefined && runIdArg !== null && typeof runIdArg !== 'string') {
    throw new Error(vscode.l10n.t('Export Trace takes a run id such as "run-…"; got {0}.', JSON.stringify(runIdArg)));
  }
  let run: Run | undefined;
  const script = typeof runIdArg === 'string' ? runs.store.get(runIdArg)?.source : undefined;
  if (script?.script) { return exportScript(script, targetArg); }
  if (typeof runIdArg === 'string') {
    run = keptRunOrThrow(runs.store, runIdArg);
  } else if (runs.kept.length === 0) {
    throw new Error(vscode.l10n.t('There is no run to export: run Shout/Hear first.'));
  } else if (runIdArg === undefined && targetArg === undefined && runs.kept.length > 1) {
    const picked = await vscode.window.showQuickPick(runs.kept.map((r) => ({ label: r.id, description: `seed ${r.seed}, ${r.trace.length} events`, run: r })), { title: vscode.l10n.t('Export which run?') });
    if (!picked) { return undefined; }
    run = picked.run;
  } else {
    run = runs.kept[0];
  }
  const target = await targetOf(targetArg, run.id);
  if (!target) { return undefined; }
  const exportable = {
    id: run.id, config: run.config, seed: run.seed, processes: run.processes, trace: run.trace,
    lines: run.transcript.lineIterator(), summary: summaries.find((s) => s.runId === run.id) ?? null,
    outputBytesNotKept: run.transcript.droppedBytes,
  };
  return writeExport(exportable, target);
}

async function targetOf(targetArg: unknown, id: string): Promise<vscode.Uri | undefined> {
  const target = asUri(targetArg, 'The target');
  if (target) { return target; }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    title: 'Export Trace (Chrome Trace Event JSON: Perfetto, chrome://tracing)',
    filters: { 'Trace JSON': ['json'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${id}.trace.json`) } : {}),
  });
}

/** A traced program: its lanes and trace, each event's file and line in its args. */
async function exportScript(source: TimelineSource, targetArg: unknown): Promise<{ uri: string; events: number } | undefined> {
  const script = source.script!;
  const target = await targetOf(targetArg, source.id);
  if (!target) { return undefined; }
  return writeExport({
    id: source.id, config: source.config, seed: 0, processes: source.processes(), trace: source.trace,
    lines: source.transcript.allLines(), summary: null, file: script.file,
    siteOf: (site: number) => script.meta.sites.get(site),
  }, target);
}

async function writeExport(exportable: ExportableRun, target: vscode.Uri): Promise<{ uri: string; events: number }> {
  if (target.scheme === 'file') {
    // Written in pieces (a million-message trace is too big for one string), to a temporary
    // file renamed over the target at the end: a failure leaves nothing behind.
    await writePiecesAtomically(target.fsPath, chromeTracePieces(exportable));
  } else {
    await vscode.workspace.fs.writeFile(target, Buffer.from([...chromeTracePieces(exportable)].join('')));
  }
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Shout/Hear: exported {0} to {1}', exportable.id, target.fsPath), 5000);
  return { uri: target.toString(), events: exportable.trace.length };
}

export async function openTraceFile(timeline: TimelineView, uriArg: unknown, keptRunIds: () => Iterable<string> = () => []): Promise<{ runId: string; events: number; lines: number; renamedFrom?: string } | undefined> {
  let uri = asUri(uriArg, 'The trace file');
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open Trace File (exported by Shout/Hear)'), canSelectMany: false, filters: { 'Trace JSON': ['json'] } });
    if (!picked?.[0]) { return undefined; }
    uri = picked[0];
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_TRACE_FILE_BYTES) {
    throw new Error(vscode.l10n.t('{0} is {1} MiB; trace files up to {2} MiB can be opened.', uri.fsPath, (stat.size / 1048576).toFixed(0), MAX_TRACE_FILE_BYTES / 1048576));
  }
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const read = importChromeTrace(text);
  // A run kept in this window may have the same id (exported, then opened again): a fresh id for the import.
  const run = withFreshRunId(read, keptRunIds());
  timeline.showSource(importedSource(run));
  return { runId: run.runId, events: run.trace.length, lines: run.lines.length, ...(run.runId !== read.runId ? { renamedFrom: read.runId } : {}) };
}
