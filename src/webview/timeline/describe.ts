/** Words for what the plot shows: run headers, event details for the hover and the status line. */
import { EventKind } from '../../protocol/events';
import type { RunConfig } from '../../protocol/run';
import type { TimelineRunMeta, TimelineVerdict } from '../../protocol/timeline';
import type { RunData } from './model';
import { STRINGS as T } from './strings';
import { formatDuration } from './ticks';

const KIND_WORDS: Record<number, string> = {
  [EventKind.Start]: T.kinds.start,
  [EventKind.Exit]: T.kinds.exit,
  [EventKind.LockWait]: T.kinds.lockWait,
  [EventKind.Print]: T.kinds.print,
  [EventKind.Put]: T.kinds.put,
  [EventKind.PutBlocked]: T.kinds.putBlocked,
  [EventKind.Get]: T.kinds.get,
  [EventKind.GetWait]: T.kinds.getWait,
  [EventKind.Nap]: T.kinds.nap,
  [EventKind.Grant]: T.kinds.grant,
  [EventKind.Revoke]: T.kinds.revoke,
};

function kindWords(kind: number): string { return KIND_WORDS[kind] ?? T.unknownKind(kind); }

export function configWords(c: RunConfig): string {
  const W = T.config;
  const parts = [W.messages(c.messageCount), W.nap(Math.round(c.napProbability * 100), c.napMs), W.lock(c.useLock)];
  // What differs from the lesson's plain run (absent in runs made before these settings existed).
  if (c.lockPolicy && c.lockPolicy !== 'os') { parts.push(W.lockPolicy(c.lockPolicy)); }
  if ((c.shouters ?? 1) > 1 || (c.hearers ?? 1) > 1) { parts.push(W.roles(c.shouters ?? 1, c.hearers ?? 1)); }
  if (c.queueCapacity) { parts.push(W.queueCapacity(c.queueCapacity)); }
  if (c.engine === 'python') { parts.push(W.pythonEngine); }
  return parts.join(' · ');
}

export function verdictWords(v: TimelineVerdict | undefined, live: boolean): { icon: string; text: string; ok: boolean | undefined } {
  if (!v) { return { icon: live ? 'sync' : 'circle-outline', text: live ? T.verdict.running : T.verdict.none, ok: undefined }; }
  const how = v.stopped ? T.verdict.stopped : v.timedOut ? T.verdict.timedOut : v.ok ? T.verdict.ok : T.verdict.failed;
  const parts = [T.verdict.endedIn(how, formatDuration(v.durationMs * 1e6)), v.invariant];
  if (v.failure) { parts.push(v.failure); }
  parts.push(T.verdict.counts(v.naps, v.lockWaits.count, v.maxQueueDepth));
  return { icon: v.ok ? 'pass' : 'error', text: parts.join(' · '), ok: v.ok };
}

export function runHeader(meta: TimelineRunMeta): string {
  if (meta.file) { return T.tracedHeader(meta.label, meta.processes.length); }
  return T.lessonHeader(meta.label, meta.seed, configWords(meta.config));
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
    out.push(T.printed(JSON.stringify(run.meta.texts[run.proc[e]]?.[v - 1] ?? '…')));
  } else if (k === EventKind.Print || k === EventKind.LockWait) {
    out.push(line >= 0 ? T.line(line + 1, run.lines[line]) : T.message(v));
  } else if (run.meta.texts && (k === EventKind.Put || k === EventKind.Get || k === EventKind.PutBlocked)) {
    // A traced program: value is the put's tag; its repr was recorded with it.
    const text = run.meta.texts[run.aux[e]]?.[v - 1];
    out.push(text === undefined ? T.itemOf(v, run.nameOf(run.aux[e])) : T.item(text));
  } else if (k === EventKind.Put || k === EventKind.Get || k === EventKind.Nap || k === EventKind.PutBlocked) {
    out.push(v < 0 ? T.sentinel : T.message(v));
  }
  out.push(`${T.at(formatDuration(run.t[e]))}${run.dur[e] > 0 ? T.lasted(formatDuration(run.dur[e])) : ''}`);
  if (k === EventKind.Put && v > 0) {
    const get = run.getBy[run.aux[e]]?.get(v) ?? -1;
    out.push(get >= 0 ? T.gotBy(run.nameOf(run.proc[get]), formatDuration(run.t[get] - run.t[e])) : T.notGot);
  } else if (k === EventKind.Get && v > 0) {
    const put = run.putBy[run.aux[e]]?.get(v) ?? -1;
    if (put >= 0) { out.push(T.latency(formatDuration(run.t[e] - run.t[put]))); }
  }
  return out;
}
