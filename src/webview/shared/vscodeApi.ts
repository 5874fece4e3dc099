/**
 * The one way a page talks to its host: VS Code's webview API, typed by the page's own message
 * contract (src/protocol/timeline.ts, explore.ts). `acquireVsCodeApi` may be called once per page, so each page
 * calls `connectToHost` once at start and passes the result around.
 */

interface VsCodeApi<ToHost> {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi<ToHost>(): VsCodeApi<ToHost>;

export interface HostLink<ToHost> {
  /** Sends one message to the host (which checks it against its allow-list). */
  post(message: ToHost): void;
  /** What the page saved before VS Code last hid or reloaded it (untyped: check before use). */
  savedState(): unknown;
  saveState(state: unknown): void;
}

export function connectToHost<ToHost>(): HostLink<ToHost> {
  const api = acquireVsCodeApi<ToHost>();
  return {
    post: (m) => api.postMessage(m),
    savedState: () => api.getState(),
    saveState: (s) => api.setState(s),
  };
}
