/**
 * The kernel pipes between the run's scheduler process and its workers (lock policies other
 * than "os"), made once per run in a private folder that is removed at once (the processes hold
 * the open FIFOs, not the paths):
 * - one request FIFO: every worker writes single bytes into it (atomic, so never mixed), the
 *   scheduler blocks reading it. It reads end-of-file only when every writer is gone.
 * - one grant FIFO per lane: the scheduler writes the grant, the lane's worker blocks reading it
 *   (and holds a second, non-blocking read of it for the rare wait that must keep its event loop
 *   running; see workers/runtime.ts).
 * The host keeps one write end of the request FIFO, for what only it can say: the user's manual
 * grants and that a lane's process exited. It writes without blocking; a full FIFO retries later.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SchedOp, schedByte } from '../workers/schedulerWire';

const RETRY_MS = 5;

interface GrantFifo { read: number; poll: number; write: number }

export class SchedulerPipes {
  /** The scheduler's fd 6. */
  readonly requestsRead: number;
  /** Every worker's fd 7. */
  readonly requestsWrite: number;
  /** Per lane: the worker's fds 6 and 8, the scheduler's fd 7 + lane. */
  readonly grants: GrantFifo[] = [];
  /** The host's own write end (non-blocking). */
  private readonly hostWrite: number;
  private closed = false;
  private spawnedAll = false;
  private readonly backlog: number[] = [];
  private retry: NodeJS.Timeout | undefined;

  constructor(lanes: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-sched-'));
    const opened: number[] = [];
    try {
      const names = ['requests', ...Array.from({ length: lanes }, (_, i) => `grant-${i}`)].map((n) => path.join(dir, n));
      const made = spawnSync('mkfifo', ['-m', '600', ...names], { stdio: 'pipe' });
      if (made.status !== 0) { throw new Error(`mkfifo failed: ${made.error?.message ?? made.stderr.toString().trim()}`); }
      const open = (file: string, flags: number) => { const fd = fs.openSync(file, flags); opened.push(fd); return fd; };
      const { O_RDWR, O_RDONLY, O_WRONLY, O_NONBLOCK } = fs.constants;
      // A blocking O_RDONLY open waits for a writer: hold a read-write one meanwhile, then drop it.
      const fifo = (file: string) => {
        const both = fs.openSync(file, O_RDWR);
        try {
          return { read: open(file, O_RDONLY), poll: open(file, O_RDONLY | O_NONBLOCK), write: open(file, O_WRONLY) };
        } finally { fs.closeSync(both); }
      };
      const requests = fifo(names[0]);
      this.requestsRead = requests.read;
      this.requestsWrite = requests.write;
      fs.closeSync(requests.poll);
      opened.splice(opened.indexOf(requests.poll), 1);
      this.hostWrite = open(names[0], O_WRONLY | O_NONBLOCK);
      for (let lane = 0; lane < lanes; lane++) { this.grants.push(fifo(names[lane + 1])); }
    } catch (err) {
      for (const fd of opened) { fs.closeSync(fd); }
      throw err;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Every process is spawned: drop the host's copies of the ends the processes hold. */
  spawned(): void {
    if (this.spawnedAll || this.closed) { return; }
    this.spawnedAll = true;
    fs.closeSync(this.requestsRead);
    fs.closeSync(this.requestsWrite);
    for (const g of this.grants) { fs.closeSync(g.read); fs.closeSync(g.poll); fs.closeSync(g.write); }
  }

  /** Tells the scheduler something only the host knows (never blocks the host). False once closed. */
  tell(op: SchedOp.Gone | SchedOp.GrantTo, lane: number): boolean {
    if (this.closed) { return false; }
    this.backlog.push(schedByte(op, lane));
    this.flush();
    return true;
  }

  private flush(): void {
    this.retry = undefined;
    while (this.backlog.length > 0 && !this.closed) {
      try {
        fs.writeSync(this.hostWrite, Buffer.from([this.backlog[0]]));
        this.backlog.shift();
      } catch (err) {
        // Full (the scheduler is behind): try again soon. Gone (EPIPE): nobody to tell.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { this.retry ??= setTimeout(() => this.flush(), RETRY_MS); return; }
        this.backlog.length = 0;
      }
    }
  }

  close(): void {
    if (this.closed) { return; }
    this.spawned();
    this.closed = true;
    clearTimeout(this.retry);
    fs.closeSync(this.hostWrite);
  }
}
