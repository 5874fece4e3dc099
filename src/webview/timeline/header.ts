/**
 * The Timeline's header and toolbar pickers: the run and compare pickers, the run's title and
 * verdict, the notice (why a run was cleared, runs dropped past the number the host keeps) and,
 * with the lock off, how many lines were written while another process was mid-line.
 */
import type { TimelineRunListItem } from '../../protocol/timeline';
import { el, setOptions } from '../shared/dom';
import { runHeader, verdictWords } from './describe';
import { describeLegend } from './legend';
import type { Page } from './state';

export function updatePickers(p: Page): void {
  const { s, dom } = p;
  const label = (r: TimelineRunListItem) => `${r.label}${r.live ? ' (running)' : r.ok === false ? ' (failed)' : ''}`;
  const opts = s.runList.map((r) => ({ value: r.runId, label: label(r) }));
  const main = s.runs[0];
  if (main && !opts.some((o) => o.value === main.runId)) { opts.unshift({ value: main.runId, label: `${main.meta.label} (no longer kept)` }); }
  setOptions(dom.runPicker, opts.length ? opts : [{ value: '', label: 'no runs yet' }], main?.runId ?? '');
  dom.runPicker.disabled = opts.length === 0;
  setOptions(dom.comparePicker, [{ value: '', label: 'none' }, ...opts.filter((o) => o.value !== main?.runId)], s.runs[1]?.runId ?? '');
  dom.comparePicker.disabled = opts.length < 2;
  updateNotice(p);
}

function updateNotice({ s, dom }: Page): void {
  const parts: string[] = [];
  if (s.notice) { parts.push(s.notice); }
  if (s.dropped > 0) { parts.push(`Keeping the last ${s.keep} runs: ${s.dropped} older run${s.dropped === 1 ? ' was' : 's were'} dropped.`); }
  dom.noticeEl.textContent = parts.join(' ');
  dom.noticeEl.hidden = parts.length === 0;
}

export function updateHeader(p: Page): void {
  const { s, dom } = p;
  const main = s.runs[0];
  dom.empty.hidden = !!main;
  dom.empty.textContent = main ? '' : 'No run to show yet. Run “Shout/Hear: Run Shout/Hear” from the Command Palette: it appears here live.';
  dom.headerTitle.textContent = main ? runHeader(main.meta) : 'Shout/Hear Timeline';
  dom.headerVerdict.replaceChildren();
  for (const run of s.runs) {
    if (!run) { continue; }
    const v = verdictWords(run.verdict, run.live);
    const row = el('div', `verdict ${v.ok === true ? 'ok' : v.ok === false ? 'bad' : ''}`);
    const icon = el('span', `codicon codicon-${v.icon}`);
    icon.setAttribute('aria-hidden', 'true');
    row.append(icon, el('span', '', `${run === s.runs[1] ? `${run.meta.label}: ` : ''}${v.text}`));
    dom.headerVerdict.append(row);
  }
  if (s.runs[1]) {
    dom.headerTitle.textContent += ` — compared with ${runHeader(s.runs[1].meta)}, aligned on ${s.align === 'first' ? 'each run\u2019s first event' : 'each run\u2019s start'}`;
  }
  dom.alignSelect.disabled = !s.runs[1];
  describeLegend(dom.legend, { lockOff: s.runs.some((r) => r?.meta.config.useLock === false || r?.lockOff.any) });
  updateOverlap(p);
  updateNotice(p);
}

/** Lock off: how many lines were written while another process was mid-line. */
function updateOverlap({ s, dom }: Page): void {
  const parts: string[] = [];
  for (const run of s.runs) {
    if (!run || !run.lockOff.any) { continue; }
    const o = run.lockOff.result(run.live ? 400 : 0);
    const who = run === s.runs[1] ? `${run.meta.label}: ` : '';
    parts.push(`${who}lock off — ${o.overlapping.toLocaleString('en-US')} of ${o.lines.toLocaleString('en-US')} line${o.lines === 1 ? '' : 's'} written while another process was mid-line${o.overlapping > 0 ? ' (marked in the warning colour)' : ''}.`);
  }
  dom.overlapNote.replaceChildren();
  dom.overlapNote.hidden = parts.length === 0;
  if (parts.length) {
    const icon = el('span', 'codicon codicon-warning');
    icon.setAttribute('aria-hidden', 'true');
    dom.overlapNote.append(icon, el('span', '', parts.join(' ')));
  }
}

/** The overlap count while a run goes: at most every 250 ms. */
export function overlapSoon(p: Page): void {
  const pending = p.s.pending;
  if (pending.overlap === undefined) { pending.overlap = window.setTimeout(() => { pending.overlap = undefined; updateOverlap(p); }, 250); }
}
