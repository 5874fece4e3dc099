/**
 * The Node engine's trace spool: every process of a traced run writes its trace records (whole
 * 32-byte wire records, no frames) to a file of its own; the host reads the files on a clock,
 * into one reused buffer. A file is not a pipe: no buffer fills however long the host's loop
 * stalls, so a worker never waits for the host to read its trace, and the host does not wake up
 * (nor allocate a buffer) for every batch a worker writes.
 *
 * The files have no name on disk (Linux: O_TMPFILE; elsewhere they are unlinked as soon as they
 * are open, as the run's FIFOs are): nothing is left if the host dies, and their space is freed
 * when the last process holding them lets go.
 * While a run goes, its spool takes 32 bytes per event in the temporary folder (12.8 MB for a
 * 100,000-message run), the same order as the 28 bytes per event the host keeps in memory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TRACE_RECORD_BYTES } from '../protocol/wire';

/** How often the host reads the spool while records come (the live timeline's pace, no faster)... */
const READ_EVERY_MS = 8;
/** ...and, while none come (a run waiting for your grant, a long nap), at most this seldom. */
const READ_IDLE_MAX_MS = 128;
/** One read; a batch of a worker is 64 KiB. */
const READ_BYTES = 1 << 20;
/** At most this much per look, so a huge backlog cannot hold the host's loop for long. */
const READ_MAX_PER_LOOK = 1 << 23;

interface SpoolFile { readonly fd: number; offset: number }

/**
 * open(2)'s O_TMPFILE (Linux ≥ 3.11; not in fs.constants): a file with no name in that folder.
 * One fd, read and write: the process appends through it, the host reads it by position.
 */
const O_TMPFILE = process.platform === 'linux' ? 0o20000000 | fs.constants.O_DIRECTORY : undefined;

export class TraceSpool {
  private readonly files: SpoolFile[] = [];
  /** The write ends, until the processes hold them (see spawned). */
  private writeFds: number[] = [];
  /** False once O_TMPFILE failed here: no use trying it for every file (tests turn it off to try the other way). */
  static unnamedFiles = true;
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES);
  private timer: NodeJS.Timeout | undefined;
  private every = READ_EVERY_MS;
  private closed = false;

  /** `onRecords` gets whole records, a view valid only during the call. */
  constructor(private readonly onRecords: (records: Uint8Array) => void) {}

  /**
   * A file for the process of lane `proc`: the fd to hand it (mode 600). On Linux a file that
   * never had a name (0.02 ms for two against 0.4–1.9 ms the other way, at every run's start);
   * else made in a private folder (mode 700), the fd write only, and both unlinked before this
   * returns, before any process is spawned with it: a host killed mid-launch leaves nothing.
   */
  open(proc: number): number {
    if (O_TMPFILE !== undefined && TraceSpool.unnamedFiles) {
      try {
        const fd = fs.openSync(os.tmpdir(), O_TMPFILE | fs.constants.O_RDWR, 0o600);
        this.files.push({ fd, offset: 0 });
        return fd;
      } catch {
        // A file system that cannot (or an old kernel): a named file, unlinked at once.
        TraceSpool.unnamedFiles = false;
      }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-trace-'));
    try {
      const file = path.join(dir, String(proc));
      const writeFd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      let readFd: number;
      try { readFd = fs.openSync(file, fs.constants.O_RDONLY); } catch (err) { fs.closeSync(writeFd); throw err; }
      this.writeFds.push(writeFd);
      this.files.push({ fd: readFd, offset: 0 });
      return writeFd;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Once every process is spawned: the host's write ends close (the processes hold theirs). */
  spawned(): void {
    for (const fd of this.writeFds) { fs.closeSync(fd); }
    this.writeFds = [];
    this.timer ??= setTimeout(() => this.look(), READ_EVERY_MS);
  }

  /**
   * Reads every file up to what has been written (`all`), or at most READ_MAX_PER_LOOK; whole
   * records only (a record cut by a write under way waits for the next look).
   */
  readAll(all = true): number {
    const most = all ? Infinity : READ_MAX_PER_LOOK;
    let got = 0;
    for (const f of this.files) { got += this.readFile(f, most - got); }
    return got;
  }

  private readFile(f: SpoolFile, budget: number): number {
    let got = 0;
    while (!this.closed && got < budget) {
      let n: number;
      try { n = fs.readSync(f.fd, this.buffer, 0, READ_BYTES, f.offset); } catch { return got; }
      const whole = n - (n % TRACE_RECORD_BYTES);
      if (whole === 0) { break; }
      f.offset += whole;
      got += whole;
      this.onRecords(this.buffer.subarray(0, whole));
      if (n < READ_BYTES) { break; }
    }
    return got;
  }

  private look(): void {
    this.timer = undefined;
    if (this.closed) { return; }
    // Nothing new: look half as often (up to READ_IDLE_MAX_MS); records again: back to the pace.
    this.every = this.readAll(false) > 0 ? READ_EVERY_MS : Math.min(this.every * 2, READ_IDLE_MAX_MS);
    if (!this.closed) { this.timer = setTimeout(() => this.look(), this.every); }
  }

  /**
   * Reads what is left, then lets every file go (the run is over): a moment later, as the last
   * close of a file with no name frees its pages and blocks (12.8 MB for a 100k flood: up to 2 ms),
   * which the run's result need not wait for.
   */
  close(): void {
    if (this.closed) { return; }
    clearTimeout(this.timer);
    this.readAll();
    this.closed = true;
    const fds = [...this.writeFds, ...this.files.map((f) => f.fd)];
    this.writeFds = [];
    setImmediate(() => { for (const fd of fds) { fs.closeSync(fd); } });
  }
}
