/**
 * Finding a Python for the Python engine: each candidate (a configured path, the Python
 * extension's interpreter, python3 on PATH) is asked once for its absolute executable and
 * version, so runs start it directly (a pyenv shim costs ~50 ms a start) and never through a shell.
 */
import { execFile } from 'child_process';
import * as path from 'path';

export const MIN_PYTHON: readonly [number, number] = [3, 8];

export interface PythonCandidate {
  /** Where it came from, for messages: "setting shoutHear.pythonPath", "python3 on PATH"... */
  source: string;
  command: string;
  /** Chosen by the user: if it fails, say so rather than quietly use another Python. */
  explicit?: boolean;
}

export interface ResolvedPython {
  source: string;
  executable: string;
  version: string;
}

const probed = new Map<string, Promise<{ executable: string; version: number[] }>>();

function probe(command: string): Promise<{ executable: string; version: number[] }> {
  let p = probed.get(command);
  if (!p) {
    p = new Promise((resolve, reject) => {
      execFile(command, ['-c', 'import sys; print(sys.executable); print(*sys.version_info[:3])'], { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          reject(new Error(code === 'ENOENT' ? 'not found' : `failed: ${(stderr || err.message).trim().split('\n').pop()}`));
          return;
        }
        const [executable, version] = stdout.trim().split('\n');
        if (!executable || !path.isAbsolute(executable)) { reject(new Error('did not report its executable')); return; }
        resolve({ executable, version: (version ?? '').split(' ').map(Number) });
      });
    });
    probed.set(command, p);
    p.catch(() => probed.delete(command));
  }
  return p;
}

/**
 * Where to look for the Python engine's interpreter, in order. Untrusted workspace: only the
 * user's own machine-level setting or python3 on PATH, never the Python extension's choice for
 * the folder (it may be a virtual environment inside that folder, i.e. the folder's code).
 */
export function pythonCandidates(where: { trusted: boolean; userPythonPath?: string; extensionInterpreter?: string }): PythonCandidate[] {
  const out: PythonCandidate[] = [];
  const configured = where.userPythonPath?.trim();
  if (configured) { out.push({ source: 'setting shoutHear.pythonPath', command: configured, explicit: true }); }
  if (where.trusted && where.extensionInterpreter) { out.push({ source: "the Python extension's interpreter", command: where.extensionInterpreter }); }
  out.push({ source: 'python3 on PATH', command: 'python3' });
  return out;
}

/**
 * Forgets every cached answer that resolved to this executable: after it could not be started
 * (a deleted virtual environment, an uninstalled pyenv version) the next run asks again.
 */
export function forgetPython(executable: string): void {
  for (const [command, answer] of probed) {
    if (command === executable) { probed.delete(command); continue; }
    answer.then((a) => { if (a.executable === executable && probed.get(command) === answer) { probed.delete(command); } }, () => undefined);
  }
}

/** The first candidate that runs and is new enough; else an error listing what was tried. */
export async function resolvePython(candidates: PythonCandidate[]): Promise<ResolvedPython> {
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      const { executable, version } = await probe(c.command);
      const [major, minor] = version;
      if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
        tried.push(`${c.source} (${c.command}): Python ${version.join('.')} is older than ${MIN_PYTHON.join('.')}`);
      } else {
        return { source: c.source, executable, version: version.join('.') };
      }
    } catch (err) {
      tried.push(`${c.source} (${c.command}): ${(err as Error).message}`);
    }
    if (c.explicit) { break; }
  }
  throw new Error(`No Python ${MIN_PYTHON.join('.')} or newer for the Python engine. Tried: ${tried.join('; ')}. `
    + 'Install Python 3, or set shoutHear.pythonPath (user settings) to its executable; the Node engine works without it.');
}

/** The lesson's program as shipped beside the bundles (dist/ -> ../python). */
export function pythonScriptPath(extensionRoot: string): string {
  return path.join(extensionRoot, 'python', 'shout_hear.py');
}
