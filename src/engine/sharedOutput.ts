/**
 * One output pipe that every worker writes its lines to (their fd 1), read by the host:
 * what the host reads is what was really written, in the order the kernel took the writes,
 * exactly as if both processes printed to one terminal. A named pipe (FIFO) is how the host
 * can hand the same write end to two children; its path is removed once they hold it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export class SharedOutput {
  /** Pass as `stdio[1]` to every worker; close with `closeWriteEnd()` once they are spawned. */
  writeFd: number | undefined;
  readonly reader: net.Socket;
  private readonly dir: string;

  constructor() {
    if (process.platform === 'win32') {
      throw new Error('Shout/Hear runs its processes on Linux and macOS (it needs a named pipe, mkfifo); Windows is not supported yet.');
    }
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-'));
    const fifo = path.join(this.dir, 'output');
    try {
      const made = spawnSync('mkfifo', ['-m', '600', fifo], { stdio: 'pipe' });
      if (made.status !== 0) {
        throw new Error(`mkfifo failed: ${made.error?.message ?? made.stderr.toString().trim()}`);
      }
      // Open the read end first (non-blocking, so it does not wait for a writer), then the write end.
      const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      this.writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
      this.reader = new net.Socket({ fd: readFd, readable: true, writable: false });
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** After the workers hold the write end: then the reader sees EOF once they all exit. */
  closeWriteEnd(): void {
    if (this.writeFd !== undefined) { fs.closeSync(this.writeFd); this.writeFd = undefined; }
  }

  destroy(): void {
    this.closeWriteEnd();
    this.reader.destroy();
  }
}
