/**
 * Killing a worker and everything it may have started. Each worker is spawned detached, so it
 * leads a process group of its own: the extension host shares its group with VS Code's own
 * processes, and killing that group would kill VS Code.
 */
import type { ChildProcess } from 'child_process';

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  const pid = child.pid;
  if (pid === undefined) { return; }
  try {
    if (process.platform === 'win32') { child.kill(signal); } else { process.kill(-pid, signal); }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') { throw err; }
  }
}
