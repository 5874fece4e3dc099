/**
 * One output pipe that every worker writes its lines to (their fd 1), read by the host:
 * what the host reads is what was really written, in the order the kernel took the writes,
 * exactly as if both processes printed to one terminal. A named pipe (FIFO) is how the host
 * can hand the same write end to two children; its path is removed once they hold it.
 */
import { spawnSync } from 'child_process';
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * How often the host looks at the pipe. It reads on a clock, not on every write: the lines
 * gather in the kernel and one read takes hundreds, so a flood costs the host a few hundred
 * wake-ups a second instead of one per line (on a machine of two cores, the host's wake-ups are
 * the workers' lost time). While the host keeps this clock no writer blocks (the pipe's 64 KiB
 * hold thousands of lines); a host loop stalled long enough for a flood to fill it does block
 * the writers until it reads again (README, "How a run works").
 */
const READ_EVERY_MS = 4;
const READ_BYTES = 1 << 16;
/** At most this much per look, so a huge backlog cannot hold the host's loop for long. */
const READ_MAX_PER_LOOK = 1 << 20;

/** The pipe's read end, read on a clock: emits 'data' (Buffer) and, at end of file, 'close'. */
export class PipeReader extends EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly fd: number) {
    super();
    this.timer = setTimeout(() => this.look(), READ_EVERY_MS);
  }

  private look(): void {
    this.timer = undefined;
    if (this.closed) { return; }
    let got = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      let n: number;
      try { n = fs.readSync(this.fd, buf, 0, READ_BYTES, null); } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EINTR') { break; }
        return this.destroy();
      }
      if (n === 0) { return this.destroy(); } // every writer has closed: the run's output is complete
      got += n;
      this.emit('data', buf.subarray(0, n));
      if (this.closed) { return; }
      if (n < READ_BYTES) { break; } // drained: what comes next gathers until the next look
      if (got >= READ_MAX_PER_LOOK) { this.timer = setTimeout(() => this.look(), 0); return; }
    }
    this.timer = setTimeout(() => this.look(), READ_EVERY_MS);
  }

  get destroyed(): boolean { return this.closed; }

  destroy(): void {
    if (this.closed) { return; }
    this.closed = true;
    clearTimeout(this.timer);
    fs.closeSync(this.fd);
    this.emit('close');
  }
}

export class SharedOutput {
  /** Pass as `stdio[1]` to every worker; close with `closeWriteEnd()` once they are spawned. */
  writeFd: number | undefined;
  readonly reader: PipeReader;
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
      this.reader = new PipeReader(readFd);
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
