/**
 * The host's messages to the Timeline page (protocol/timeline.ts, HostToTimeline): runs listed, loaded,
 * fed with events and lines, ended or cleared; lock state; a request for a report.
 */
import { SCHEDULER_PROC } from '../../protocol/events';
import type { HostToTimeline } from '../../protocol/timeline';
import { overlapSoon, updateHeader, updatePickers } from './header';
import { learnRunChanged, onLearnMessage } from './learnActions';
import { RunData } from './model';
import { refit } from './navigate';
import { saveSoon } from './persist';
import { drawNow, relayout, report, schedule } from './plot';
import { updateScheduler } from './scheduler';
import { slotIndex, type Page } from './state';
import { flushTranscript, transcriptSoon } from './transcriptFeed';

export function onMessage(p: Page, m: HostToTimeline): void {
  const { s, dom } = p;
  switch (m.type) {
    case 'runs':
      s.runList = m.runs;
      s.dropped = m.dropped;
      s.keep = m.keep;
      updatePickers(p);
      break;
    case 'load': {
      const i = slotIndex(m.slot);
      const same = s.runs[i]?.runId === m.run.runId;
      s.runs[i] = new RunData(m.run, m.totalEvents, m.live);
      // The same run again (the page was kept while hidden): keep the view and the selection.
      if (i === 0 && !same) {
        s.selection = undefined;
        s.hover = undefined;
        if (s.restoreVp?.runId === m.run.runId) { s.vp = s.restoreVp.vp; s.follow = s.restoreVp.follow; } else { s.follow = 'fit'; }
        s.restoreVp = undefined;
        dom.transcript.select(-1);
        // Until its lines come: none (not the lines of the run shown before).
        dom.transcript.setLines([]);
      }
      if (i === 0 && s.lockView?.runId !== m.run.runId) { s.lockView = undefined; }
      if (i === 0) { updateScheduler(p); learnRunChanged(p, !same); }
      s.notice = '';
      relayout(p);
      updateHeader(p);
      updatePickers(p);
      saveSoon(p);
      break;
    }
    case 'events': {
      const run = s.runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      if (!run.append(m.batch)) { p.host.post({ type: 'log', level: 'warn', message: `timeline: events from ${m.batch.from} do not follow the ${run.length} held; ignored` }); }
      // The host sends the next batch only once it knows this one is in (backpressure).
      p.host.post({ type: 'received', slot: m.slot, runId: m.runId, events: run.length });
      if (run.lanes.size - (run.lanes.has(SCHEDULER_PROC) ? 1 : 0) > run.meta.processes.length) { relayout(p); }
      if (run.lockOff.any) { overlapSoon(p); }
      if (run === s.runs[0]) { learnRunChanged(p, false); }
      refit(p);
      break;
    }
    case 'lines': {
      const run = s.runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      run.addLines(m.from, m.lines, m.truncated ?? 0);
      if (run === s.runs[0]) { transcriptSoon(p, !run.live); }
      schedule(p);
      break;
    }
    case 'ended': {
      const run = s.runs[slotIndex(m.slot)];
      if (!run || run.runId !== m.runId) { return; }
      run.verdict = m.verdict;
      run.live = false;
      if (run === s.runs[0]) { flushTranscript(p); learnRunChanged(p, false); }
      updateScheduler(p);
      updateHeader(p);
      updatePickers(p);
      refit(p);
      break;
    }
    case 'clear': {
      const i = slotIndex(m.slot);
      s.runs[i] = undefined;
      if (i === 0) {
        s.selection = undefined; s.hover = undefined; dom.transcript.setLines([]); s.lockView = undefined; updateScheduler(p);
        // Nothing to show: the axis starts over (not at a view kept for a run that is gone).
        s.restoreVp = undefined;
        s.follow = 'fit';
        learnRunChanged(p, true);
        refit(p);
      }
      if (m.reason) { s.notice = m.reason; }
      relayout(p);
      updateHeader(p);
      updatePickers(p);
      saveSoon(p);
      break;
    }
    case 'report':
      drawNow(p);
      p.host.post({ type: 'rendered', report: report(p, m.token) });
      break;
    case 'lockState':
      s.lockView = { runId: m.runId, holder: m.holder, waiting: [...m.waiting], manual: m.manual, ...(m.error ? { error: m.error } : {}) };
      updateScheduler(p);
      break;
    case 'playhead':
    case 'step':
    case 'axisMode':
    case 'narration':
      onLearnMessage(p, m);
      break;
  }
}
