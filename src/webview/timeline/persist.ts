/**
 * What a window reload brings back: the runs shown and the view, saved through VS Code's
 * webview state at most every 300 ms, and at once before a frame is drawn.
 */
import type { Page, SavedState } from './state';

function saveNow({ s, host }: Page): void {
  const state: SavedState = { runId: s.runs[0]?.runId ?? null, compareRunId: s.runs[1]?.runId ?? null, vp: s.vp, follow: s.follow, align: s.align, axisMode: s.axisMode };
  host.saveState(state);
}

export function saveSoon(p: Page): void {
  const pending = p.s.pending;
  if (pending.save === undefined) { pending.save = window.setTimeout(() => { pending.save = undefined; saveNow(p); }, 300); }
}

/** A save still waiting for its timer happens now. */
export function flushSave(p: Page): void {
  const pending = p.s.pending;
  if (pending.save !== undefined) { clearTimeout(pending.save); pending.save = undefined; saveNow(p); }
}
