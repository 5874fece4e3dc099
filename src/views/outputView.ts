/**
 * The "Shout/Hear" output channel: a header, the lines as they are written, a summary.
 * Appends are batched (at most ~10 a second) and a run shows at most LIVE_LINE_LIMIT lines
 * live, so a million-message run cannot flood VS Code; the rest is counted and said.
 */
import * as vscode from 'vscode';
import type { RunConfig, RunSummary } from '../protocol/run';
import { formatHeader, formatSummary } from '../shared/summaryText';

const FLUSH_MS = 100;
export const LIVE_LINE_LIMIT = 20_000;
/** What the view keeps of its own text for tests and the API (the channel itself cannot be read). */
const MIRROR_LIMIT = 1 << 20;

export class OutputView implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Shout/Hear');
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private linesShown = 0;
  private linesHidden = 0;
  private mirror = '';

  startRun(runId: string, seed: number, config: RunConfig): void {
    this.flush();
    this.linesShown = 0;
    this.linesHidden = 0;
    this.write(`${formatHeader(runId, seed, config)}\n`);
    this.channel.show(true);
  }

  /** A run's header of our own making (a traced program's). */
  startText(header: string): void {
    this.flush();
    this.linesShown = 0;
    this.linesHidden = 0;
    this.write(header);
    this.channel.show(true);
  }

  /** A run's summary of our own making, after its last output. */
  endText(summary: string): void {
    this.flush();
    const hidden = this.linesHidden > 0
      ? `... ${this.linesHidden.toLocaleString('en-US')} more lines not shown here (the first ${LIVE_LINE_LIMIT.toLocaleString('en-US')} are)\n`
      : '';
    this.write(`${hidden}${summary}\n\n`);
  }

  /** Output as the processes wrote it (arbitrary pieces). */
  output(text: string): void {
    if (this.linesShown >= LIVE_LINE_LIMIT) { this.linesHidden += countLines(text); return; }
    const room = LIVE_LINE_LIMIT - this.linesShown;
    const lines = countLines(text);
    if (lines <= room) {
      this.linesShown += lines;
      this.pending.push(text);
    } else {
      let cut = -1;
      for (let i = 0; i < room; i++) { cut = text.indexOf('\n', cut + 1); }
      this.pending.push(text.slice(0, cut + 1));
      this.linesShown = LIVE_LINE_LIMIT;
      this.linesHidden += lines - room;
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  endRun(summary: RunSummary): void {
    this.flush();
    const hidden = this.linesHidden > 0
      ? `... ${this.linesHidden.toLocaleString('en-US')} more lines not shown here (the first ${LIVE_LINE_LIMIT.toLocaleString('en-US')} are)\n`
      : '';
    this.write(`${hidden}${formatSummary(summary)}\n\n`);
  }

  /** A block of text of our own (comparisons, batch results). */
  note(text: string): void {
    this.flush();
    this.write(`${text}\n\n`);
    this.channel.show(true);
  }

  error(message: string): void {
    this.flush();
    this.write(`Shout/Hear: ${message}\n`);
  }

  /** The most recent text written to the channel (up to 1 MiB). */
  get text(): string { return this.mirror; }

  private flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.pending.length === 0) { return; }
    const text = this.pending.join('');
    this.pending = [];
    this.write(text);
  }

  private write(text: string): void {
    this.channel.append(text);
    this.mirror = (this.mirror + text).slice(-MIRROR_LIMIT);
  }

  dispose(): void {
    if (this.timer) { clearTimeout(this.timer); }
    this.channel.dispose();
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { n++; }
  return n;
}
