/**
 * The output the processes actually wrote, byte for byte, with the offset of every line end.
 * About one byte per character plus 4 bytes per line; past MAX_BYTES it stops storing (and
 * says so) rather than take the host's memory.
 */
export const TRANSCRIPT_MAX_BYTES = 256 * 1024 * 1024;

export class Transcript {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private lineEnds = new Uint32Array(1024);
  private lines = 0;
  /** Bytes written after the cap was reached, not stored. */
  droppedBytes = 0;
  /**
   * Once one chunk did not fit, nothing more is kept: keeping a later, smaller chunk would
   * join the end of one line to the middle of another, a line no process wrote.
   */
  private full = false;

  constructor(private readonly maxBytes = TRANSCRIPT_MAX_BYTES) {}

  /** True once output had to be dropped (see droppedBytes). */
  get truncated(): boolean { return this.full; }

  append(chunk: Buffer): void {
    if (this.full || this.used + chunk.length > this.maxBytes) { this.full = true; this.droppedBytes += chunk.length; return; }
    if (this.used + chunk.length > this.bytes.length) {
      const grown = Buffer.alloc(Math.min(this.maxBytes, Math.max(this.bytes.length * 2, this.used + chunk.length)));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    chunk.copy(this.bytes, this.used);
    // eslint-disable-next-line no-useless-assignment -- read by the loop's update after the first line
    let from = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
      if (this.lines === this.lineEnds.length) {
        const grown = new Uint32Array(this.lineEnds.length * 2);
        grown.set(this.lineEnds);
        this.lineEnds = grown;
      }
      this.lineEnds[this.lines++] = this.used + nl;
      from = nl + 1;
    }
    this.used += chunk.length;
  }

  /** Complete lines (a last line without its newline is not counted until it ends). */
  get lineCount(): number { return this.lines; }

  /** Complete lines plus an unterminated last one, if any. */
  get totalLines(): number {
    const lastEnd = this.lines === 0 ? 0 : this.lineEnds[this.lines - 1] + 1;
    return this.lines + (this.used > lastEnd ? 1 : 0);
  }

  get byteLength(): number { return this.used; }

  line(i: number): string {
    if (i < 0 || i >= this.lines) { throw new RangeError(`no line ${i} (of ${this.lines})`); }
    const start = i === 0 ? 0 : this.lineEnds[i - 1] + 1;
    return this.bytes.toString('utf8', start, this.lineEnds[i]);
  }

  allLines(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.lines; i++) { out.push(this.line(i)); }
    const tail = this.bytes.toString('utf8', this.lines === 0 ? 0 : this.lineEnds[this.lines - 1] + 1, this.used);
    if (tail.length > 0) { out.push(tail); }
    return out;
  }

  /** The first n lines as allLines() has them, reading only those (a picker's preview of a huge run). */
  firstLines(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < Math.min(n, this.lines); i++) { out.push(this.line(i)); }
    if (out.length < n && this.totalLines > this.lines) { out.push(this.bytes.toString('utf8', this.lines === 0 ? 0 : this.lineEnds[this.lines - 1] + 1, this.used)); }
    return out;
  }

  /** Every line as allLines() has them, one at a time (for writing a large run out in pieces). */
  *lineIterator(): Generator<string> {
    for (let i = 0; i < this.lines; i++) { yield this.line(i); }
    const tail = this.bytes.toString('utf8', this.lines === 0 ? 0 : this.lineEnds[this.lines - 1] + 1, this.used);
    if (tail.length > 0) { yield tail; }
  }

  text(): string { return this.bytes.toString('utf8', 0, this.used); }
}
