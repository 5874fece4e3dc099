/**
 * Before a run spawns anything: the files it needs exist and can be started, each missing or
 * unusable one named in the message (spawn itself would only say "exited 127").
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RunConfig } from '../protocol/run';
import type { RunOptions } from './runTypes';

/** The bundled workers: the option, or `workers/` beside this bundle. */
export function workerDirOf(options: RunOptions): string { return options.workerDir ?? path.join(__dirname, 'workers'); }

export function checkLaunchable(config: RunConfig, options: RunOptions, badFile: (file: string) => void): void {
  if (config.engine === 'python') {
    if (!options.python) { throw new Error('The Python engine needs an interpreter; none was given.'); }
    if (!fs.existsSync(options.python.script)) { throw new Error(`The Python program is missing: ${options.python.script}`); }
    checkExecutable('Python interpreter', options.python.executable, badFile);
    return;
  }
  if (options.nodePath) { checkExecutable('Node binary', options.nodePath, badFile); }
  for (const role of ['shouter', 'hearer', 'queue']) {
    const file = path.join(workerDirOf(options), `${role}.js`);
    if (!fs.existsSync(file)) { throw new Error(`The ${role} worker is missing: ${file} (run the build first).`); }
  }
}

/** Before spawning: a missing or non-executable file gets a message naming it (spawn would only say "exited 127"). */
function checkExecutable(what: string, file: string, badFile: (file: string) => void): void {
  if (!path.isAbsolute(file)) { return; } // a bare name: looked up on PATH by spawn itself
  try {
    fs.accessSync(file, fs.constants.X_OK);
    if (fs.statSync(file).isDirectory()) { throw Object.assign(new Error('is a directory'), { code: 'EISDIR' }); }
  } catch (err) {
    badFile(file);
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'it is not executable' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new Error(`The ${what} ${file} cannot be started: ${why} (${code ?? 'error'}).`, { cause: err });
  }
}
