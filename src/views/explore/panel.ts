/**
 * The one "Shout/Hear Explore" panel: the latest batch and the latest sweep, as two tabs. Like
 * the Timeline it is not kept alive when hidden: a reloaded page says 'ready' and is sent the
 * whole state again. Messages from the page are checked against the allow-list.
 */
import * as vscode from 'vscode';
import { parseExploreMessage, type ExploreRendered, type ExploreToHost, type HostToExplore } from '../../protocol/explore';
import { pageHtml, webviewOptions } from '../webviewPage';
import { PageMessages } from '../pageMessages';
import { ImageRequests } from '../imageRequests';
import { PanelLifetime } from '../panelLifetime';
import { parseImageMessage, type ImageBackground, type ImageMessage, type ImageReply } from '../../shared/pageImage';

export const EXPLORE_VIEW_TYPE = 'shoutHear.explore';
/** The panel's title (a function: the localized bundle is read when it is called, not at load). */
export const exploreTitle = (): string => vscode.l10n.t('Shout/Hear Explore');

export class ExplorePanel implements vscode.Disposable {
  private ready = false;
  private resendTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly life: PanelLifetime;
  private readonly page: PageMessages<ExploreToHost | ImageMessage, ExploreRendered>;
  private readonly images = new ImageRequests(vscode.l10n.t('Explore panel'));

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    /** The full state message to send (whenever the page is (re)loaded or the state changes). */
    private readonly stateMessage: () => HostToExplore,
    private readonly onPageMessage: (m: ExploreToHost) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.life = new PanelLifetime(panel, () => { clearTimeout(this.resendTimer); this.images.dispose(); });
    this.page = new PageMessages<ExploreToHost | ImageMessage, ExploreRendered>('Explore', (m) => parseImageMessage(m) ?? parseExploreMessage(m), log);
    const w = panel.webview;
    w.options = webviewOptions(extensionUri);
    const asset = (name: string) => w.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    w.html = pageHtml(exploreTitle(), { cspSource: w.cspSource, script: asset('explore.js'), style: asset('explore.css') });
    this.life.disposables.push(
      w.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) { this.ready = false; return; }
        // Shown again: a reloaded page says 'ready'; if the page was kept after all, send anyway.
        clearTimeout(this.resendTimer);
        this.resendTimer = setTimeout(() => { if (!this.ready && panel.visible) { this.ready = true; this.update(); } }, 1500);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(m: HostToExplore): void {
    if (!this.ready) { return; }
    void this.panel.webview.postMessage(m).then(undefined, () => undefined);
  }

  /** Sends the whole state (if the page is ready; otherwise it is sent on 'ready'). */
  update(): void { this.post(this.stateMessage()); }

  sendKept(kept: string[]): void { this.post({ type: 'kept', kept }); }

  requestReport(token: number): void { this.post({ type: 'report', token }); }

  reveal(preserveFocus: boolean): void { this.panel.reveal(this.panel.viewColumn, preserveFocus); }

  /** Asks the page for a PNG of its active tab (revealing the panel and waiting for its page first). */
  async requestImage(background: ImageBackground): Promise<ImageReply> {
    await this.life.waitForPage(() => this.ready, () => this.reveal(true), {
      closed: vscode.l10n.t('The Explore panel was closed.'), slow: vscode.l10n.t('The Explore page did not load within 15 s.'),
    });
    return this.images.request((m) => { void this.panel.webview.postMessage(m).then(undefined, () => undefined); }, background);
  }

  private onMessage(raw: unknown): void {
    const message = this.page.check(raw);
    if (!message) { return; }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.update();
        break;
      case 'rendered':
        this.page.rendered(message.report);
        break;
      case 'log':
        this.log[message.level](`explore webview: ${message.message}`);
        break;
      case 'image':
        if (!this.images.receive(message)) { this.log.warn('explore: a picture nobody asked for (or too late) was ignored'); }
        break;
      case 'saveImage':
        void vscode.commands.executeCommand('shoutHear.saveExploreImage');
        break;
      default:
        this.onPageMessage(message);
    }
  }

  /** Accepts a raw message as if the page sent it (tests): false if it was rejected. */
  receive(raw: unknown): boolean { return this.page.receive(raw, (m) => this.onMessage(m)); }

  get lastRendered(): ExploreRendered | undefined { return this.page.lastRendered; }

  onRendered(fn: (r: ExploreRendered) => void): () => void { return this.page.onRendered(fn); }

  onDispose(fn: () => void): void { this.life.onDispose(fn); }

  get visible(): boolean { return this.panel.visible; }

  dispose(): void { this.life.dispose(); }
}
