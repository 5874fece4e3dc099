/** Words for what the plot shows: run headers, event details for the hover and the status line. */
import { EventKind } from '../../protocol/events';
import type { RunConfig } from '../../protocol/run';
import type { TimelineRunMeta, TimelineVerdict } from '../../protocol/timeline';
import type { RunData } from './model';
import { formatDuration } from './ticks';

const KIND_WORDS: Record<number, string> = {
  [EventKind.Start]: 'started',
  [EventKind.Exit]: 'exited',
  [EventKind.LockWait]: 'waiting for the print lock',
  [EventKind.Print]: 'print (holding the lock)',
  [EventKind.Put]: 'put',
  [EventKind.PutBlocked]: 'put blocked (queue full)',
  [EventKind.Get]: 'get',
  [EventKind.GetWait]: 'blocked in get (queue empty)',
  [EventKind.Nap]: 'nap',
  [EventKind.Grant]: 'lock granted',
  [EventKind.Revoke]: 'lock hand-over asked',
};

function kindWords(kind: number): string { return KIND_WORDS[kind] ?? `event ${kind}`; }

export function configWords(c: RunConfig): string {
  const nap = `nap ${Math.round(c.napProbability * 100)}% × ${c.napMs} ms`;
  const parts = [`${c.messageCount.toLocaleString('en-US')} message${c.messageCount === 1 ? '' : 's'}`, nap, `lock ${c.useLock ? 'on' : 'off'}`];
  // What differs from the lesson's plain run (absent in runs made before these settings existed).
  if (c.lockPolicy && c.lockPolicy !== 'os') { parts.push(`lock policy ${c.lockPolicy}`); }
  if ((c.shouters ?? 1) > 1 || (c.hearers ?? 1) > 1) { parts.push(`${c.shouters ?? 1} shouter${(c.shouters ?? 1) === 1 ? '' : 's'} × ${c.hearers ?? 1} hearer${(c.hearers ?? 1) === 1 ? '' : 's'}`); }
  if (c.queueCapacity) { parts.push(`queue capacity ${c.queueCapacity.toLocaleString('en-US')}`); }
  if (c.engine === 'python') { parts.push('Python engine'); }
  return parts.join(' · ');
}

export function verdictWords(v: TimelineVerdict | undefined, live: boolean): { icon: string; text: string; ok: boolean | undefined } {
  if (!v) { return { icon: live ? 'sync' : 'circle-outline', text: live ? 'running…' : 'no verdict', ok: undefined }; }
  const how = v.stopped ? 'stopped' : v.timedOut ? 'timed out' : v.ok ? 'ok' : 'failed';
  const parts = [`${how} in ${formatDuration(v.durationMs * 1e6)}`, v.invariant];
  if (v.failure) { parts.push(v.failure); }
  parts.push(`${v.naps} nap${v.naps === 1 ? '' : 's'}, ${v.lockWaits.count} lock wait${v.lockWaits.count === 1 ? '' : 's'}, max queue depth ${v.maxQueueDepth}`);
  return { icon: v.ok ? 'pass' : 'error', text: parts.join(' · '), ok: v.ok };
}

export function runHeader(meta: TimelineRunMeta): string {
  if (meta.file) { return `${meta.label} · your own program, traced · ${meta.processes.length} processes`; }
  return `${meta.label} · seed ${meta.seed} · ${configWords(meta.config)}`;
}

/** Lines of detail for event e (hover, status). */
export function eventDetails(run: RunData, e: number): string[] {
  const k = run.kind[e];
  const v = run.value[e];
  const out = [`${run.nameOf(run.proc[e])}: ${kindWords(k)}`];
  if (k === EventKind.Grant || k === EventKind.Revoke) { out[0] = `${kindWords(k)} → ${run.nameOf(run.aux[e])}`; }
  const line = run.lineOfEvent(e);
  if (k === EventKind.Print && run.meta.texts) {
    // A traced program's print: its own text (value is the print's tag).
    out.push(`printed ${JSON.stringify(run.meta.texts[run.proc[e]]?.[v - 1] ?? '…')}`);
  } else if (k === EventKind.Print || k === EventKind.LockWait) {
    out.push(line >= 0 ? `line ${line + 1}: ${run.lines[line]}` : `message ${v}`);
  } else if (run.meta.texts && (k === EventKind.Put || k === EventKind.Get || k === EventKind.PutBlocked)) {
    // A traced program: value is the put's tag; its repr was recorded with it.
    const text = run.meta.texts[run.aux[e]]?.[v - 1];
    out.push(text === undefined ? `item ${v} of ${run.nameOf(run.aux[e])}` : `item ${text}`);
  } else if (k === EventKind.Put || k === EventKind.Get || k === EventKind.Nap || k === EventKind.PutBlocked) {
    out.push(v < 0 ? 'message: the "done" sentinel' : `message ${v}`);
  }
  out.push(`at ${formatDuration(run.t[e])}${run.dur[e] > 0 ? ` · lasted ${formatDuration(run.dur[e])}` : ''}`);
  if (k === EventKind.Put && v > 0) {
    const get = run.getBy[run.aux[e]]?.get(v) ?? -1;
    out.push(get >= 0 ? `got by ${run.nameOf(run.proc[get])} ${formatDuration(run.t[get] - run.t[e])} later` : 'not got yet');
  } else if (k === EventKind.Get && v > 0) {
    const put = run.putBy[run.aux[e]]?.get(v) ?? -1;
    if (put >= 0) { out.push(`put→get latency ${formatDuration(run.t[e] - run.t[put])}`); }
  }
  return out;
}
