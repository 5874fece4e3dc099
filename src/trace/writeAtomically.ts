/**
 * Writes a file from pieces of text without ever holding it whole: into a temporary file
 * beside the target, renamed over it only once every byte is written. Any error (a missing or
 * read-only folder, a full disk) rejects with a message naming the file, and leaves neither a
 * partial target nor the temporary file behind. No `vscode` import.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The temporary file's name beside `target`: hidden, unique, recognisable. */
export function temporaryNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
}

export async function writePiecesAtomically(target: string, pieces: Iterable<string>): Promise<void> {
  const temp = temporaryNameFor(target);
  let failure: Error | undefined;
  const out = fs.createWriteStream(temp, { flags: 'wx' });
  // Attached before the first write: an error may come at any await below.
  const failed = new Promise<never>((_, reject) => { out.on('error', (err) => { failure = err; reject(err); }); });
  failed.catch(() => undefined);
  try {
    await Promise.race([new Promise<void>((r) => out.once('open', () => r())), failed]);
    for (const piece of pieces) {
      if (failure) { throw failure; }
      if (!out.write(piece)) { await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]); }
    }
    await Promise.race([new Promise<void>((r) => out.end(() => r())), failed]);
    if (failure) { throw failure; }
    await fs.promises.rename(temp, target);
  } catch (err) {
    out.destroy();
    await new Promise<void>((r) => (out.closed ? r() : out.once('close', () => r())));
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'its folder does not exist'
      : e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' ? 'the folder is not writable'
      : e.code === 'ENOSPC' ? 'the disk is full' : e.code === 'EISDIR' ? 'it is a folder' : e.message;
    throw new Error(`Could not write ${target}: ${why}${e.code ? ` (${e.code})` : ''}. Nothing was written.`, { cause: err });
  }
}
