/**
 * The one Timeline panel: its webview, what it shows in each slot, and the messages both ways.
 * It is not kept alive when hidden: when shown again the page reloads, says 'ready', and the
 * host sends the runs again (the page keeps its zoom and selection with setState).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { parseTimelineMessage, type HostToTimeline, type TimelineRendered, type TimelineSlot, type TimelineToHost } from '../../protocol/timeline';
import type { HostToTimelineLearn } from '../../protocol/timelineLearn';
import { isRunId } from '../../protocol/validate';
import { SlotFeed } from './feed';
import type { RunStore, Subscription } from '../../host/runStore';
import { pageHtml, webviewOptions } from '../webviewPage';
import { PageMessages } from '../pageMessages';
import { ImageRequests } from '../imageRequests';
import { PanelLifetime } from '../panelLifetime';
import { parseImageMessage, type ImageBackground, type ImageMessage, type ImageReply } from '../../shared/pageImage';

export const TIMELINE_VIEW_TYPE = 'shoutHear.timeline';
/** The panel's title (a function: the localized bundle is read when it is called, not at load). */
export const timelineTitle = (): string => vscode.l10n.t('Shout/Hear Timeline');

/** What the page's playhead and event clicks ask of the program editor (the Learn commands supply it). */
export interface ProgramFollower {
  playhead(runId: string, tMs: number): void;
  revealEvent(runId: string, tMs: number, name: string): void;
}

export class TimelinePanel implements vscode.Disposable {
  private readonly feeds: [SlotFeed | undefined, SlotFeed | undefined] = [undefined, undefined];
  /** What each slot shows, as the host decided (survives the page reloading). */
  private wanted: [string | undefined, string | undefined] = [undefined, undefined];
  private ready = false;
  private hidden = false;
  private readyCount = 0;
  private resendTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly storeSubscription: Subscription;
  private readonly life: PanelLifetime;
  private readonly page: PageMessages<TimelineToHost | ImageMessage, TimelineRendered>;
  private readonly images = new ImageRequests('timeline');
  /** The program editor's follower (set once the Learn part is wired). */
  follower: ProgramFollower | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.life = new PanelLifetime(panel, () => {
      clearTimeout(this.resendTimer);
      this.images.dispose();
      this.stopFeeds();
      this.storeSubscription.dispose();
    });
    this.page = new PageMessages<TimelineToHost | ImageMessage, TimelineRendered>('timeline', (m) => parseImageMessage(m) ?? parseTimelineMessage(m), log);
    panel.webview.options = webviewOptions(extensionUri);
    panel.title = timelineTitle();
    this.setHtml();
    this.life.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // The page is torn down when hidden (no retainContextWhenHidden): stop sending.
          this.stopFeeds();
          this.hidden = true;
          return;
        }
        if (!this.hidden) { return; }
        this.hidden = false;
        // Shown again: a reloaded page says 'ready' and gets everything again; if the page was
        // kept after all (no 'ready' soon), send it everything anyway.
        const readyBefore = this.readyCount;
        clearTimeout(this.resendTimer);
        this.resendTimer = setTimeout(() => {
          if (this.readyCount === readyBefore && this.panel.visible) { this.log.info('timeline: page kept while hidden; sending its runs again'); this.startAll(); }
        }, 1500);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.storeSubscription = store.onDidChange(({ added, dropped }) => {
      if (added) { this.wanted[0] = added.source.id; }
      if (!this.ready || this.hidden) { return; }
      this.post({ type: 'runs', runs: store.list(), dropped: store.dropped, keep: store.keep });
      if (added) { this.startFeed(0); }
      // A run shown that was just dropped (forgotten, or over the budget): its slot says it is gone.
      for (const i of [0, 1] as const) {
        if (!added || i === 1) {
          if (dropped.some((d) => d.run.source.id === this.wanted[i])) { this.startFeed(i); }
        }
      }
    });
  }

  private setHtml(): void {
    const w = this.panel.webview;
    const asset = (name: string) => w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    w.html = pageHtml(timelineTitle(), { cspSource: w.cspSource, script: asset('timeline.js'), style: asset('timeline.css') });
  }

  private post(m: HostToTimeline): void {
    void this.panel.webview.postMessage(m).then(undefined, () => undefined);
  }

  /** The run asked for in the main slot (undefined: none yet). */
  get shownRunId(): string | undefined { return this.wanted[0]; }

  /** Shows run `id` in the main slot (default: the newest). */
  showRun(id?: string): void {
    this.wanted[0] = id ?? this.store.newest?.source.id;
    if (this.ready && !this.hidden) { this.startFeed(0); }
  }

  /** Shows two runs stacked on one time scale (compare mode). */
  showCompare(mainId: string, compareId: string): void {
    this.wanted[0] = mainId;
    this.wanted[1] = compareId;
    if (this.ready && !this.hidden) { this.startFeed(0); this.startFeed(1); }
  }

  /**
   * After a window reload VS Code hands back the panel with the page's saved state: show what it
   * showed (a run no longer kept is then said to be gone). The state came from the page: only
   * well-formed run ids are taken.
   */
  restoreFrom(state: unknown): void {
    if (typeof state !== 'object' || state === null) { return; }
    const { runId, compareRunId } = state as { runId?: unknown; compareRunId?: unknown };
    const id = (x: unknown) => (isRunId(x) ? x : undefined);
    this.wanted[0] ??= id(runId);
    this.wanted[1] ??= id(compareRunId);
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
  }

  private startFeed(i: 0 | 1): void {
    const slot: TimelineSlot = i === 0 ? 'main' : 'compare';
    this.feeds[i]?.dispose();
    this.feeds[i] = undefined;
    const id = this.wanted[i];
    const entry = this.store.get(id);
    if (!entry) {
      this.post({ type: 'clear', slot, ...(id ? { reason: vscode.l10n.t('Run {0} is no longer kept (runs live in memory for this window only): run again to see it.', id) } : {}) });
      if (id) { this.wanted[i] = undefined; }
      return;
    }
    const feed = new SlotFeed((m) => this.post(m), slot, entry);
    this.feeds[i] = feed;
    feed.start();
  }

  private startAll(): void {
    this.post({ type: 'runs', runs: this.store.list(), dropped: this.store.dropped, keep: this.store.keep });
    this.startFeed(0);
    if (this.wanted[1] !== undefined) { this.startFeed(1); } else { this.post({ type: 'clear', slot: 'compare' }); }
  }

  private stopFeeds(): void {
    for (const f of this.feeds) { f?.dispose(); }
    this.feeds[0] = this.feeds[1] = undefined;
  }

  /** Checks and handles a message from the page; anything off the allow-list is ignored and logged. */
  handle(message: TimelineToHost | ImageMessage): void {
    switch (message.type) {
      case 'image':
        if (!this.images.receive(message)) { this.log.warn('timeline: a picture nobody asked for (or too late) was ignored'); }
        break;
      case 'saveImage':
        void vscode.commands.executeCommand('shoutHear.saveTimelineImage');
        break;
      case 'ready':
        this.ready = true;
        this.readyCount++;
        // After a reload the host knows nothing yet: take what the page showed before.
        if (this.wanted[0] === undefined) { this.wanted[0] = message.runId ?? this.store.newest?.source.id; }
        if (this.wanted[1] === undefined && message.compareRunId) { this.wanted[1] = message.compareRunId; }
        this.startAll();
        break;
      case 'select': {
        const i = message.slot === 'main' ? 0 : 1;
        this.wanted[i] = message.runId ?? undefined;
        if (i === 0 && this.wanted[1] === this.wanted[0]) { this.wanted[1] = undefined; this.startFeed(1); }
        this.startFeed(i);
        break;
      }
      case 'rendered':
        this.page.rendered(message.report);
        break;
      case 'grant':
        this.grant(message.runId, message.name);
        break;
      case 'playhead':
        this.follow(() => this.follower?.playhead(message.runId, message.tMs));
        break;
      case 'revealEvent':
        this.follow(() => this.follower?.revealEvent(message.runId, message.tMs, message.name));
        break;
      case 'received': {
        const feed = this.feeds[message.slot === 'main' ? 0 : 1];
        if (feed?.runId === message.runId) { feed.received(message.events); }
        break;
      }
      case 'openSource':
        void this.openSource(message.runId, message.event);
        break;
      case 'log':
        this.log[message.level === 'error' ? 'error' : message.level === 'warn' ? 'warn' : 'info'](`webview: ${message.message}`);
        break;
    }
  }

  /** A click on a traced program's event: its file, at the event's line, beside the timeline. */
  private async openSource(runId: string, event: number): Promise<void> {
    const script = this.store.get(runId)?.source.script;
    if (!script || event >= script.trace.length) { return; }
    const site = script.meta.sites.get(script.trace.get(event).site);
    if (!site || !path.isAbsolute(site.file)) { return; }
    const line = Math.max(0, site.line - 1);
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(site.file), {
        viewColumn: vscode.ViewColumn.One, preserveFocus: true, selection: new vscode.Range(line, 0, line, 0),
      });
    } catch (err) {
      this.log.warn(`could not open ${site.file}: ${(err as Error).message}`);
    }
  }

  /** The page's Grant button: only for the live run in the main slot, with the manual lock policy. */
  private grant(runId: string, name: string): void {
    const feed = this.feeds[0];
    const source = feed?.entry.source;
    let error: string | undefined;
    if (!feed || !source || source.id !== runId) {
      error = vscode.l10n.t('That run is no longer the one shown: nothing was granted.');
    } else if (source.verdict || !source.lock) {
      error = vscode.l10n.t('That run has ended: there is no lock to grant.');
    } else if (source.config.lockPolicy !== 'manual') {
      error = vscode.l10n.t('This run\'s lock policy is "{0}": set shoutHear.lockPolicy to "manual" to grant the lock by hand.', source.config.lockPolicy);
    } else {
      try {
        source.lock.grant(name);
        this.log.info(`timeline: granted the print lock to ${name} (${runId})`);
        return;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    this.log.warn(`timeline: grant to ${name} refused: ${error}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Grant Lock: {0}', error));
    feed?.sendLockState(error);
  }

  /** The page's Learn requests concern a run it shows: failures (a run gone, say) are logged, not thrown. */
  private follow(fn: () => void): void {
    try { fn(); } catch (err) { this.log.warn(`timeline: ${(err as Error).message}`); }
  }

  /** Learn: moves the playhead, steps, switches the axis, opens the narration (tests; a user does it in the page). */
  drive(m: HostToTimelineLearn): void { this.post(m); }

  private onMessage(raw: unknown): void {
    const message = this.page.check(raw);
    if (message) { this.handle(message); }
  }

  /** Accepts a raw message as if the page sent it (tests): false if it was rejected. */
  receive(raw: unknown): boolean { return this.page.receive(raw, (m) => this.onMessage(m)); }

  get lastRendered(): TimelineRendered | undefined { return this.page.lastRendered; }

  requestReport(token: number): void { this.post({ type: 'report', token }); }

  /** Asks the page for a PNG of what it shows (revealing the panel and waiting for its page first). */
  async requestImage(background: ImageBackground): Promise<ImageReply> {
    await this.life.waitForPage(() => this.ready && !this.hidden, () => this.reveal(true), {
      closed: vscode.l10n.t('The timeline was closed.'), slow: vscode.l10n.t('The timeline page did not load within 15 s.'),
    });
    return this.images.request((m) => { void this.panel.webview.postMessage(m).then(undefined, () => undefined); }, background);
  }

  onRendered(fn: (r: TimelineRendered) => void): () => void { return this.page.onRendered(fn); }

  onDispose(fn: () => void): void { this.life.onDispose(fn); }

  get visible(): boolean { return this.panel.visible; }

  dispose(): void { this.life.dispose(); }
}
