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

export interface TestablePanel<R> extends ReportingPanel<R> {
  requestReport(token: number): void;
  receive(raw: unknown): boolean;
}

/** The test hooks both panels offer: their latest report, waiting for one, asking for one, a fake page message. */
export function reportHooks<R extends { token: number }>(what: string, currentPanel: () => TestablePanel<R> | undefined) {
  let lastToken = 0;
  const waitForRendered = (pred: (r: R) => boolean, timeoutMs = 15000) => waitForReport(what, currentPanel, pred, timeoutMs);
  return {
    lastRendered: () => currentPanel()?.lastRendered,
    waitForRendered,
    requestReport: (timeoutMs = 15000) => {
      const token = ++lastToken;
      const report = waitForRendered((r) => r.token === token, timeoutMs);
      currentPanel()?.requestReport(token);
      return report;
    },
    receiveFromWebview: (m: unknown) => currentPanel()?.receive(m) ?? false,
  };
}
