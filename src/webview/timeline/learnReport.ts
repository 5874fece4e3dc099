/**
 * The Learn part of the page's "what I drew" report: the axis mode, the playhead with what the
 * page shows there (lane states, queue items, lines in the transcript), the event-order widths
 * and gaps as drawn, and the narration pane with the sentence picked.
 */
import type { TimelineLearnReport } from '../../protocol/timelineLearn';
import { measureOrder, queueLabels } from './drawLearn';
import { narrationOf } from './learnRun';
import { stateAtPlayhead } from './playhead';
import type { Page } from './state';

export function learnReport(p: Page): TimelineLearnReport {
  const { s, dom } = p;
  const run = s.runs[0];
  const at = stateAtPlayhead(p);
  const shouters = run ? run.meta.processes.filter((q) => q.role === 'shouter').length : 1;
  const sel = s.narration.selected;
  const sentence = run && sel !== undefined && s.narration.open ? narrationOf(run).sentences[sel] : undefined;
  return {
    axisMode: s.axisMode,
    playhead: at ? {
      tMs: at.tMs,
      processes: at.processes.map((x) => ({ name: x.name, state: x.state, line: x.line })),
      queue: queueLabels(at, shouters),
      printed: at.printed,
      transcriptLines: dom.transcript.lineCount,
    } : null,
    eventOrder: measureOrder(s),
    narration: {
      open: s.narration.open,
      sentences: s.narration.open && run && run.length > 0 ? narrationOf(run).sentences.length : 0,
      selected: sentence && sel !== undefined ? {
        index: sel, fromMs: sentence.fromMs, toMs: sentence.toMs,
        events: s.selection?.slot === 0 ? s.selection.events.length : 0,
        transcriptLines: dom.transcript.selectedLines,
      } : null,
    },
  };
}
