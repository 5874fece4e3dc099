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
 * Both are FIFOs opened read-write, so a blocking read waits for a byte rather than for a writer.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const START_GATE_MS = 5000;

function openFifos(names: string[]): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-run-'));
  try {
    const paths = names.map((n) => path.join(dir, n));
    const made = spawnSync('mkfifo', ['-m', '600', ...paths], { stdio: 'pipe' });
    if (made.status !== 0) { throw new Error(`mkfifo failed: ${made.error?.message ?? made.stderr.toString().trim()}`); }
    return paths.map((p) => fs.openSync(p, fs.constants.O_RDWR));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export class StartGate {
  /** Give as fd 5 to every process of the run. */
  readonly gateFd: number;
  /** Policy "os": give as fd 6 to every shouter and hearer; it holds the one token byte. */
  readonly tokenFd: number | undefined;
  private readonly waitingFor = new Set<string>();
  private opened = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  /** How many processes block on the gate (one byte each). */
  private expected = 0;

  constructor(kernelLock: boolean, private readonly onLate: (names: string[]) => void) {
    const [gate, token] = openFifos(kernelLock ? ['gate', 'lock'] : ['gate']);
    this.gateFd = gate;
    this.tokenFd = token;
    if (token !== undefined) { fs.writeSync(token, Buffer.from([0x2a])); }
  }

  /** A process that must say it is ready before the gate opens. */
  expect(name: string): void { this.waitingFor.add(name); this.expected++; }

  /** Every process is spawned: start the clock, and drop our copy of the lock (the processes hold it). */
  spawned(): void {
    if (this.tokenFd !== undefined) { fs.closeSync(this.tokenFd); (this as { tokenFd: number | undefined }).tokenFd = undefined; }
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
    fs.writeSync(this.gateFd, Buffer.alloc(this.expected, 0x21));
    this.close();
  }

  close(): void {
    clearTimeout(this.timer);
    if (this.closed) { return; }
    this.closed = true;
    fs.closeSync(this.gateFd);
    if (this.tokenFd !== undefined) { fs.closeSync(this.tokenFd); (this as { tokenFd: number | undefined }).tokenFd = undefined; }
  }
}
