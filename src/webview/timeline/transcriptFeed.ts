/**
 * Feeds the main run's output lines to the transcript pane: at once for a finished run, at
 * most every 100 ms while one goes; with a playhead, only the lines printed by then.
 */
import { statesOf } from './learnRun';
import type { Page } from './state';
import { STRINGS as T } from './strings';

/**
 * The next frame flushes too (plot.ts): a page VS Code is still swapping in may hold its timers
 * back (seen with a cold workbench), and the lines must not wait for that.
 */
export function transcriptSoon(p: Page, now = false): void {
  const pending = p.s.pending;
  pending.transcriptDirty = true;
  if (now) { flushTranscript(p); return; }
  if (pending.transcript !== undefined) { return; }
  pending.transcript = window.setTimeout(() => { pending.transcript = undefined; flushTranscript(p); }, 100);
}

export function flushTranscript({ s, dom }: Page): void {
  if (!s.pending.transcriptDirty) { return; }
  s.pending.transcriptDirty = false;
  const run = s.runs[0];
  if (run && s.playhead !== undefined && run.length > 0) {
    const states = statesOf(run);
    const printed = states.at(Math.min(Math.max(s.playhead / 1e6, 0), states.endMs)).printed;
    dom.transcript.setLines(run.lines.slice(0, printed), T.printedByPlayhead(run.lines.length));
    return;
  }
  dom.transcript.setLines(run?.lines ?? [], run?.linesTruncated ? T.moreNotShown(run.linesTruncated) : '');
}
