/**
 * Save Timeline Image… and Save Explore Image…: a PNG of what the panel shows, at twice its CSS
 * size, in the current theme or on a light background for slides. The page draws it; the host
 * checks it whole (shared/pageImage.ts) and writes it atomically (a temporary file renamed into
 * place), so a failed save never leaves half a picture. With a target there is no dialog.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checkedPng, type ImageBackground, type ImageReply } from '../shared/pageImage';

/** A panel that can draw its picture. */
export interface PicturePanel { requestImage(background: ImageBackground): Promise<ImageReply> }

export interface SavedImage { uri: string; width: number; height: number }

const PAGES = {
  timeline: { name: () => vscode.l10n.t('timeline'), file: 'shout-hear-timeline.png', title: () => vscode.l10n.t('Save Timeline Image'), none: () => vscode.l10n.t('There is no timeline open: run Shout/Hear (or Show Timeline), then save its image.') },
  explore: { name: () => vscode.l10n.t('Explore panel'), file: 'shout-hear-explore.png', title: () => vscode.l10n.t('Save Explore Image'), none: () => vscode.l10n.t('There is no Explore panel open: run a batch or a sweep, then save its image.') },
} as const;

function targetOf(value: unknown): vscode.Uri | undefined {
  if (value === undefined || value === null) { return undefined; }
  if (value instanceof vscode.Uri) { return value; }
  if (typeof value === 'string' && value.trim() !== '') { return value.includes('://') ? vscode.Uri.parse(value) : vscode.Uri.file(value); }
  throw new Error(vscode.l10n.t('The image target must be a file Uri or path; got {0}.', JSON.stringify(value) ?? typeof value));
}

function backgroundOf(options: unknown): ImageBackground | undefined {
  if (options === undefined || options === null) { return undefined; }
  const b = typeof options === 'object' && 'background' in options ? options.background : undefined;
  if (b !== 'theme' && b !== 'light') { throw new Error(vscode.l10n.t('The image options take background "theme" or "light"; got {0}.', JSON.stringify(options) ?? typeof options)); }
  return b;
}

/** Writes bytes to target: a temporary file beside it, then renamed over it (local files). */
async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  if (target.scheme !== 'file') { await vscode.workspace.fs.writeFile(target, bytes); return; }
  const tmp = path.join(path.dirname(target.fsPath), `.${path.basename(target.fsPath)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.promises.writeFile(tmp, bytes, { flag: 'wx' });
    await fs.promises.rename(tmp, target.fsPath);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

export async function saveImage(kind: keyof typeof PAGES, panel: PicturePanel | undefined, targetArg: unknown, optionsArg: unknown): Promise<SavedImage | undefined> {
  const page = PAGES[kind];
  let target = targetOf(targetArg);
  let background = backgroundOf(optionsArg);
  if (!panel) { throw new Error(page.none()); }
  if (!background) {
    if (target) {
      background = 'theme';
    } else {
      const picked = await vscode.window.showQuickPick([
        { label: vscode.l10n.t('Current theme'), description: vscode.l10n.t('as you see it'), value: 'theme' as const },
        { label: vscode.l10n.t('Light background'), description: vscode.l10n.t('for slides and print'), value: 'light' as const },
      ], { title: page.title() });
      if (!picked) { return undefined; }
      background = picked.value;
    }
  }
  if (!target) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    target = await vscode.window.showSaveDialog({
      title: page.title(), saveLabel: vscode.l10n.t('Save Image'), filters: { PNG: ['png'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, page.file) } : {}),
    });
    if (!target) { return undefined; }
  }
  const { bytes, width, height } = checkedPng(await panel.requestImage(background), page.name());
  await writeAtomically(target, bytes);
  if (targetArg === undefined) {
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Shout/Hear: saved a {0}×{1} image to {2}', width, height, target.fsPath || target.toString()), 5000);
  }
  return { uri: target.toString(), width, height };
}
