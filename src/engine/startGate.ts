/**
 * The kernel primitives a Node run shares between its processes, made once per run in a
 * private folder (removed at once: the processes hold the open pipes, not the paths):
 * - the start gate: every process tells the host it is ready, then blocks reading one byte
 *   from this pipe; when all are ready the host writes one byte per process in one write, so
 *   they start together however busy the host is afterwards. A process not ready within
 *   START_GATE_MS fails the run, named.
 * - the print lock of policy "os": a pipe holding one token byte (the make jobserver idiom);
 *   a process takes the lock by reading the byte and releases it by writing it back. The host
 *   puts the token in and then closes its copy: it takes no part in who gets the lock.
 * The token is a FIFO opened read-write (every process both takes and gives it back), twice: a
 * blocking description to wait on and a non-blocking one to try first, so a process knows it
 * had to block (the lesson's SemLock tries sem_trywait first the same way). The gate's
 * read end (the processes') and write end (the host's alone) are separate, so if the host dies
 * before opening it, every process waiting there reads end-of-file and exits.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const START_GATE_MS = 5000;

/** The kernel token of policy os: one FIFO, opened read-write blocking (`wait`) and non-blocking (`tryTake`). */
export interface TokenFds { wait: number; tryTake: number }

/** The gate: [blocking read end, write end]; the token (policy os). */
function openFifos(token: boolean): { gateRead: number; gateWrite: number; token: TokenFds | undefined } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-run-'));
  try {
    const gate = path.join(dir, 'gate');
    const lock = path.join(dir, 'lock');
    const made = spawnSync('mkfifo', ['-m', '600', gate, ...(token ? [lock] : [])], { stdio: 'pipe' });
    if (made.status !== 0) { throw new Error(`mkfifo failed: ${made.error?.message ?? made.stderr.toString().trim()}`); }
    // A blocking O_RDONLY open waits for a writer: hold a read-write one meanwhile, then drop it.
    const both = fs.openSync(gate, fs.constants.O_RDWR);
    const gateRead = fs.openSync(gate, fs.constants.O_RDONLY);
    const gateWrite = fs.openSync(gate, fs.constants.O_WRONLY);
    fs.closeSync(both);
    const { O_RDWR, O_NONBLOCK } = fs.constants;
    return { gateRead, gateWrite, token: token ? { wait: fs.openSync(lock, O_RDWR), tryTake: fs.openSync(lock, O_RDWR | O_NONBLOCK) } : undefined };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export class StartGate {
  /** Give as fd 5 to every process of the run (the gate's read end). */
  readonly gateFd: number;
  private readonly gateWrite: number;
  /** Policy "os": give as fds 6 (wait) and 8 (try) to every shouter and hearer; it holds the one token byte. */
  readonly token: TokenFds | undefined;
  private readonly waitingFor = new Set<string>();
  private opened = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** How many processes block on the gate (one byte each). */
  private expected = 0;

  constructor(kernelLock: boolean, private readonly onLate: (names: string[]) => void) {
    const fifos = openFifos(kernelLock);
    this.gateFd = fifos.gateRead;
    this.gateWrite = fifos.gateWrite;
    this.token = fifos.token;
    if (this.token) { fs.writeSync(this.token.wait, Buffer.from([0x2a])); }
  }

  /** A process that must say it is ready before the gate opens. */
  expect(name: string): void { this.waitingFor.add(name); this.expected++; }

  /** Every process is spawned: start the clock, and drop our copies of what the processes hold. */
  spawned(): void {
    this.dropToken();
    fs.closeSync(this.gateFd);
    (this as { gateFd: number }).gateFd = -1;
    this.timer = setTimeout(() => { if (!this.opened) { this.onLate([...this.waitingFor]); } }, START_GATE_MS);
    this.timer.unref();
    this.maybeOpen();
  }

  /** The named process is set up and blocks on the gate. */
  ready(name: string): void {
    this.waitingFor.delete(name);
    if (this.timer) { this.maybeOpen(); }
  }

  get isOpen(): boolean { return this.opened; }

  private maybeOpen(): void {
    if (this.opened || this.closed || this.waitingFor.size > 0) { return; }
    this.opened = true;
    clearTimeout(this.timer);
    fs.writeSync(this.gateWrite, Buffer.alloc(this.expected, 0x21));
    this.close();
  }

  private dropToken(): void {
    if (!this.token) { return; }
    fs.closeSync(this.token.wait);
    fs.closeSync(this.token.tryTake);
    (this as { token: TokenFds | undefined }).token = undefined;
  }

  close(): void {
    clearTimeout(this.timer);
    if (this.closed) { return; }
    this.closed = true;
    if (this.gateFd >= 0) { fs.closeSync(this.gateFd); }
    fs.closeSync(this.gateWrite);
    this.dropToken();
  }
}
