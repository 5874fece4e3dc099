/**
 * What both webview panels do with what their page sends: let through only messages on the
 * allow-list (the rest are counted and logged, never acted on), and keep the page's latest
 * "what I drew" report for whoever waits for it (tests, diagnostics).
 */
import type * as vscode from 'vscode';

export class PageMessages<M, R> {
  lastRendered: R | undefined;
  private rejected = 0;
  private readonly renderedListeners = new Set<(report: R) => void>();

  constructor(
    private readonly pageName: string,
    private readonly parse: (raw: unknown) => M | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The message if it is on the allow-list; otherwise undefined (and logged). */
  check(raw: unknown): M | undefined {
    const message = this.parse(raw);
    if (message === undefined) {
      this.rejected++;
      let shown: string;
      try { shown = JSON.stringify(raw).slice(0, 200); } catch { shown = String(raw); }
      this.log.warn(`ignored a message from the ${this.pageName} webview that is not on the allow-list: ${shown}`);
    }
    return message;
  }

  /** Runs handle on raw as if the page sent it (tests): false if the allow-list rejected it. */
  receive(raw: unknown, handle: (raw: unknown) => void): boolean {
    const before = this.rejected;
    handle(raw);
    return this.rejected === before;
  }

  rendered(report: R): void {
    this.lastRendered = report;
    for (const fn of this.renderedListeners) { fn(report); }
  }

  onRendered(fn: (report: R) => void): () => void {
    this.renderedListeners.add(fn);
    return () => this.renderedListeners.delete(fn);
  }
}
