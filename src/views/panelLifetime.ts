/**
 * What the Timeline and Explore panels share about their lifetime: disposed once and in order
 * (the panel's own clean-up, its subscriptions, whoever listens, then the webview panel), and a
 * wait for a loaded, visible page before the page is asked for a picture.
 */
import type * as vscode from 'vscode';

/** How long a page may take to load before a picture request gives up. */
const PAGE_WAIT_MS = 15_000;

export class PanelLifetime {
  /** Subscriptions that end with the panel. */
  readonly disposables: vscode.Disposable[] = [];
  private readonly listeners = new Set<() => void>();
  private ended = false;

  constructor(private readonly panel: vscode.WebviewPanel, private readonly cleanUp: () => void) {}

  get disposed(): boolean { return this.ended; }

  onDispose(fn: () => void): void { this.listeners.add(fn); }

  dispose(): void {
    if (this.ended) { return; }
    this.ended = true;
    this.cleanUp();
    for (const d of this.disposables) { d.dispose(); }
    for (const fn of this.listeners) { fn(); }
    this.panel.dispose();
  }

  /** Reveals the panel if it is hidden, then waits until `ready()` (its page loaded and shown). */
  async waitForPage(ready: () => boolean, reveal: () => void, errors: { closed: string; slow: string }): Promise<void> {
    if (!this.panel.visible) { reveal(); }
    for (let waited = 0; !(ready() && this.panel.visible); waited += 50) {
      if (this.ended) { throw new Error(errors.closed); }
      if (waited > PAGE_WAIT_MS) { throw new Error(errors.slow); }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
