/**
 * Waiting for a webview's "what I drew" report (tests and diagnostics): resolves with the first
 * report, past or future, that satisfies pred — following the panel across re-creation.
 */
export interface ReportingPanel<R> {
  readonly lastRendered: R | undefined;
  onRendered(fn: (report: R) => void): () => void;
}

export function waitForReport<R>(
  what: string, currentPanel: () => ReportingPanel<R> | undefined, pred: (report: R) => boolean, timeoutMs: number,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let subscribedTo: ReportingPanel<R> | undefined;
    let off: (() => void) | undefined;
    const finish = (r: R) => { clearInterval(check); clearTimeout(timer); off?.(); resolve(r); };
    const poll = () => {
      const panel = currentPanel();
      const last = panel?.lastRendered;
      if (last !== undefined && pred(last)) { finish(last); return; }
      if (panel && panel !== subscribedTo) {
        off?.();
        subscribedTo = panel;
        off = panel.onRendered((r) => { if (pred(r)) { finish(r); } });
      }
    };
    const check = setInterval(poll, 50);
    const timer = setTimeout(() => {
      clearInterval(check);
      off?.();
      reject(new Error(`${what}: no matching report within ${timeoutMs} ms (last: ${JSON.stringify(currentPanel()?.lastRendered)})`));
    }, timeoutMs);
    poll();
  });
}
