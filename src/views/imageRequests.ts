/**
 * A panel's outstanding "draw your picture" requests: each gets a token, the page answers with
 * an 'image' message carrying it (checked by parseImageMessage before it gets here), and a page
 * that does not answer in time is reported, not waited on forever.
 */
import * as vscode from 'vscode';
import type { ImageBackground, ImageReply, ImageRequest } from '../shared/pageImage';

const ANSWER_WITHIN_MS = 30_000;

export class ImageRequests {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: ImageReply) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly page: string) {}

  request(post: (m: ImageRequest) => void, background: ImageBackground): Promise<ImageReply> {
    const token = this.next++;
    return new Promise<ImageReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(vscode.l10n.t('The {0} did not send its picture within {1} s.', this.page, ANSWER_WITHIN_MS / 1000)));
      }, ANSWER_WITHIN_MS);
      this.pending.set(token, { resolve, reject, timer });
      post({ type: 'snapshot', token, background });
    });
  }

  /** The page's answer; one for no request (or a late one) is ignored. */
  receive(reply: ImageReply): boolean {
    const p = this.pending.get(reply.token);
    if (!p) { return false; }
    this.pending.delete(reply.token);
    clearTimeout(p.timer);
    p.resolve(reply);
    return true;
  }

  dispose(): void {
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new Error(vscode.l10n.t('The {0} was closed before it sent its picture.', this.page))); }
    this.pending.clear();
  }
}
