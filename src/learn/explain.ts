/**
 * "Explain This Run": the story of one run in plain sentences, derived from its trace by fixed
 * rules (no model, no network): who started, who blocked on the empty queue, when the queue
 * built up and how deep, who waited for the print lock and how long, who won it again, which
 * nap let the other side drain the queue, what the lock being off did, and how it ended. Each
 * sentence carries its span (ms since the run's t0) and the phenomena it shows. Where the
 * lesson's usual explanation does not hold for this run (no contended acquire), it says so.
 * Long runs: the first few of each kind in detail, then one sentence of counts.
 */
import { isContended, piecesInterleave, readFacts, wasFastAcquire, type LockWait, type RunFacts, type UnlockedLine } from './runFacts';
import { K, NS_PER_MS, SENTINEL_VALUE, type Ev } from './traceView';
import type { LearnRun } from './traceView';

export type Phenomenon =
  | 'start' | 'blockedGet' | 'queueBuildUp' | 'lockContention' | 'lockRewon' | 'nap' | 'drain'
  | 'noContention' | 'garbled' | 'putBlocked' | 'end';

export const PHENOMENA: readonly Phenomenon[] = [
  'start', 'blockedGet', 'queueBuildUp', 'lockContention', 'lockRewon', 'nap', 'drain', 'noContention', 'garbled', 'putBlocked', 'end',
];

export interface Sentence { fromMs: number; toMs: number; text: string; phenomena: Phenomenon[] }

export interface Narration {
  runId: string;
  sentences: Sentence[];
  /** The run was still going: the story goes up to `upToMs`. */
  live: boolean;
  upToMs: number;
}

/** How many of each kind of moment are told in detail before the rest is counted. */
export const DETAIL = 3;

export function explainRun(run: LearnRun): Narration {
  const f = readFacts(run);
  const out: Sentence[] = [];
  const say = (fromNs: number, toNs: number, text: string, phenomena: Phenomenon[]) => {
    const fromMs = clamp(fromNs, f.endNs) / NS_PER_MS;
    out.push({ fromMs, toMs: Math.max(fromMs, clamp(toNs, f.endNs) / NS_PER_MS), text, phenomena });
  };
  const w = new Words(f);
  tellStart(f, w, say);
  tellBlockedGets(f, w, say);
  tellBuildUps(f, w, say);
  tellPutBlocks(f, w, say);
  tellLock(f, w, say);
  tellNaps(f, w, say);
  tellUnlocked(f, w, say);
  tellEnd(f, w, say);
  out.sort((a, b) => a.fromMs - b.fromMs);
  return { runId: run.runId, sentences: out, live: run.live, upToMs: f.endNs / NS_PER_MS };
}

type Say = (fromNs: number, toNs: number, text: string, phenomena: Phenomenon[]) => void;

const clamp = (ns: number, end: number) => Math.min(Math.max(ns, 0), end);

/** Milliseconds, as precise as they need to be to mean something. */
export function ms(ns: number): string {
  const v = ns / NS_PER_MS;
  if (v === 0) { return '0 ms'; }
  const digits = v < 0.01 ? 3 : v < 1 ? 2 : v < 10 ? 1 : 0;
  return `${v.toFixed(digits)} ms`;
}

export function listOf(words: readonly string[], max = 6): string {
  const shown = words.length > max ? [...words.slice(0, max - 1), `… ${words[words.length - 1]}`] : [...words];
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Names and message labels of this run's processes. */
class Words {
  private readonly several: boolean;
  constructor(private readonly f: RunFacts) {
    this.several = f.shouters.length > 1;
  }
  /** "the shouter", "shouter 2", "process 7". */
  who(proc: number): string {
    const lane = this.f.lanes.get(proc);
    if (!lane) { return `process ${proc}`; }
    return /^(shouter|hearer|queue|main)$/.test(lane.name) ? `the ${lane.name}` : lane.name;
  }
  msg(ev: Ev): string {
    if (ev.value === SENTINEL_VALUE) { return '"done"'; }
    return this.several ? `${ev.value} (of shouter ${ev.aux + 1})` : String(ev.value);
  }
  shortMsg(ev: Ev): string { return ev.value === SENTINEL_VALUE ? '"done"' : this.several ? `${ev.aux + 1}/${ev.value}` : String(ev.value); }
  group(procs: readonly number[]): string { return listOf([...new Set(procs)].map((p) => this.who(p))); }
}

function tellStart(f: RunFacts, w: Words, say: Say): void {
  const starts = f.events.filter((e) => e.kind === K.start && (f.lanes.get(e.proc)?.role === 'shouter' || f.lanes.get(e.proc)?.role === 'hearer'));
  if (starts.length === 0) { return; }
  const first = starts[0];
  const last = starts[starts.length - 1];
  const text = starts.length <= 3
    ? `${cap(listOf(starts.map((s) => `${w.who(s.proc)} started at ${ms(s.t)}`)))}.`
    : `${plural(f.shouters.length, 'shouter')} and ${plural(f.hearers.length, 'hearer')} started between ${ms(first.t)} and ${ms(last.t)}.`;
  say(first.t, last.t, text, ['start']);
}

/** Tells the first DETAIL items one by one, then the rest in one sentence of counts. */
function detailThenCount<T>(items: readonly T[], one: (x: T) => void, rest: (xs: readonly T[]) => void): void {
  items.slice(0, DETAIL).forEach(one);
  if (items.length > DETAIL) { rest(items.slice(DETAIL)); }
}

function nextGet(f: RunFacts, proc: number, after: number): Ev | undefined {
  return f.events.find((e) => e.kind === K.get && e.proc === proc && e.t >= after);
}

function tellBlockedGets(f: RunFacts, w: Words, say: Say): void {
  const waits = f.events.filter((e) => e.kind === K.getWait && e.dur > 0);
  detailThenCount(waits, (e) => {
    const got = nextGet(f, e.proc, e.t);
    const what = got ? (got.value === SENTINEL_VALUE ? 'the "done" sentinel' : `message ${w.msg(got)}`) : 'a message';
    const queued = depthAt(f, e.t);
    const text = queued === 0
      ? `${cap(w.who(e.proc))} found the queue empty at ${ms(e.t)} and waited ${ms(e.dur)} for ${what}.`
      : `${cap(w.who(e.proc))} waited ${ms(e.dur)} in get() from ${ms(e.t)} for ${what}, although ${plural(queued, 'message')} had been put: they were still on their way through the queue.`;
    say(e.t, e.t + e.dur, text, ['blockedGet']);
  }, (rest) => {
    const total = rest.reduce((s, e) => s + e.dur, 0);
    const last = rest[rest.length - 1];
    say(rest[0].t, last.t + last.dur, `…and ${plural(rest.length, 'more blocked get')} (${ms(total)} in all): each time ${w.group(rest.map((e) => e.proc))} waited in get() for the next message.`, ['blockedGet']);
  });
}

interface BuildUp { from: Ev; to: number; peak: { depth: number; at: number; items: Ev[] }; putters: number[] }

function tellBuildUps(f: RunFacts, w: Words, say: Say): void {
  const ups: BuildUp[] = [];
  let cur: BuildUp | undefined;
  for (const c of f.queueChanges) {
    if (!cur && c.depth >= 2) { cur = { from: c.ev, to: f.endNs, peak: { depth: c.depth, at: c.ev.t, items: c.items }, putters: [] }; ups.push(cur); }
    if (!cur) { continue; }
    if (c.ev.kind === K.put) { cur.putters.push(c.ev.proc); }
    if (c.depth > cur.peak.depth) { cur.peak = { depth: c.depth, at: c.ev.t, items: c.items }; }
    if (c.depth < 2) { cur.to = c.ev.t; cur = undefined; }
  }
  detailThenCount(ups, (u) => {
    const held = listOf(u.peak.items.map((e) => w.shortMsg(e)));
    const takers = f.hearers.length === 1 ? w.who(f.hearers[0].proc) : 'the hearers';
    say(u.from.t, u.to, `The queue built up: ${w.group(u.putters)} put messages faster than ${takers} took them; at ${ms(u.peak.at)} it held ${held} (${u.peak.depth} deep).`, ['queueBuildUp']);
  }, (rest) => {
    const deepest = Math.max(...rest.map((u) => u.peak.depth));
    say(rest[0].from.t, rest[rest.length - 1].to, `…and ${plural(rest.length, 'more build-up')} of the queue (the deepest ${deepest}).`, ['queueBuildUp']);
  });
}

function tellPutBlocks(f: RunFacts, w: Words, say: Say): void {
  const blocks = f.events.filter((e) => e.kind === K.putBlocked && e.dur > 0);
  const capacity = f.run.config.queueCapacity ?? 0;
  const full = capacity > 0 ? `full (capacity ${capacity})` : 'full';
  detailThenCount(blocks, (e) => {
    const end = e.t + e.dur;
    const freed = [...f.events].reverse().find((g) => g.kind === K.get && g.t <= end && g.t >= e.t);
    const why = freed ? `, until ${w.who(freed.proc)} took message ${w.msg(freed)} at ${ms(freed.t)}` : '';
    say(e.t, end, `The queue was ${full}: ${w.who(e.proc)}'s put of message ${w.msg(e)} waited ${ms(e.dur)}${why}.`, ['putBlocked']);
  }, (rest) => {
    const total = rest.reduce((s, e) => s + e.dur, 0);
    const last = rest[rest.length - 1];
    say(rest[0].t, last.t + last.dur, `…and ${plural(rest.length, 'more put')} waited for room in the ${full} queue (${ms(total)} in all).`, ['putBlocked']);
  });
}

function tellLock(f: RunFacts, w: Words, say: Say): void {
  if (f.lockedPrints.length === 0) { return; }
  const contended = f.waits.filter(isContended);
  if (contended.length === 0) {
    const first = f.lockedPrints[0];
    const last = f.lockedPrints[f.lockedPrints.length - 1];
    const roundTrips = f.waits.filter((x) => x.ev.dur > 0);
    const trips = roundTrips.length > 0
      ? ` (${plural(roundTrips.length, 'acquire')} still took a round trip to be granted, at most ${ms(Math.max(...roundTrips.map((x) => x.ev.dur)))}, but each found the lock free)`
      : '';
    say(first.t, last.t + last.dur, `No acquire of the print lock was contended in this run: whenever a process asked for it, no one else held it${trips}. So the lock fight of the lesson does not explain this order: it came from when each process woke up — its naps, and gets that waited for a message.`, ['noContention']);
    return;
  }
  detailThenCount(contended, (x) => tellWait(x, w, say), (rest) => {
    const total = rest.reduce((s, x) => s + x.ev.dur, 0);
    const last = rest[rest.length - 1].ev;
    say(rest[0].ev.t, last.t + last.dur, `…and ${plural(rest.length, 'more contended acquire')} of the lock (${ms(total)} of waiting in all, by ${w.group(rest.map((x) => x.ev.proc))}).`, ['lockContention']);
  });
  // The other lock waits on the timeline were no fight: say so, so that no wait goes unexplained.
  const free = f.waits.filter((x) => !isContended(x) && x.ev.dur > 0);
  if (free.length > 0) {
    const last = free[free.length - 1].ev;
    const longest = Math.max(...free.map((x) => x.ev.dur));
    say(free[0].ev.t, last.t + last.dur, `${cap(plural(free.length, 'other lock wait'))} (from ${ms(free[0].ev.t)}, the longest ${ms(longest)}) found the lock free: no one held it, the time went to having it granted.`, ['noContention']);
  }
  tellRewins(f, w, say);
}

function tellWait(x: LockWait, w: Words, say: Say): void {
  const e = x.ev;
  const held = x.linesByHolders > 0 ? `, printing ${plural(x.linesByHolders, 'line')} meanwhile` : '';
  say(e.t, e.t + e.dur, `${cap(w.who(e.proc))} wanted the print lock at ${ms(e.t)} to print its line for message ${e.value}, but ${w.group(x.holders)} held it${held}; it waited ${ms(e.dur)}.`, ['lockContention']);
}

/** A process that prints line after line, taking (or keeping) the lock each time, while another waits for it. */
function tellRewins(f: RunFacts, w: Words, say: Say): void {
  const contended = f.waits.filter(isContended).map((x) => x.ev);
  const streaks: { prints: Ev[]; waiters: number[] }[] = [];
  const p = f.lockedPrints;
  for (let k = 1; k < p.length; k++) {
    const prev = p[k - 1];
    const cur = p[k];
    if (prev.proc !== cur.proc) { continue; }
    const waiters = contended.filter((x) => x.proc !== cur.proc && x.t <= prev.t + prev.dur && x.t + x.dur >= cur.t).map((x) => x.proc);
    if (waiters.length === 0) { continue; }
    const last = streaks[streaks.length - 1];
    if (last && last.prints[last.prints.length - 1] === prev) { last.prints.push(cur); last.waiters.push(...waiters); } else { streaks.push({ prints: [prev, cur], waiters }); }
  }
  detailThenCount(streaks, (s) => {
    const first = s.prints[0];
    const last = s.prints[s.prints.length - 1];
    const kept = s.prints.slice(1).every(wasFastAcquire);
    const how = kept ? `kept the print lock for ${s.prints.length} lines in a row` : `won the print lock ${s.prints.length} times in a row`;
    say(first.t, last.t + last.dur, `${cap(w.who(first.proc))} ${how} (messages ${first.value} to ${last.value}) while ${w.group(s.waiters)} waited for it.`, ['lockRewon']);
  }, (rest) => {
    const lines = rest.reduce((n, s) => n + s.prints.length, 0);
    const last = rest[rest.length - 1].prints;
    say(rest[0].prints[0].t, last[last.length - 1].t + last[last.length - 1].dur, `…and ${plural(rest.length, 'more streak')} of the same process winning the lock again while another waited (${lines} lines).`, ['lockRewon']);
  });
}

interface NapStory { nap: Ev; taken: Ev[]; emptied: boolean; depthBefore: number; otherPuts: number }

/** Messages put and not yet got at t (by the trace's stamps). */
function depthAt(f: RunFacts, t: number): number {
  let d = 0;
  for (const c of f.queueChanges) { if (c.ev.t > t) { break; } d = c.depth; }
  return d;
}

function tellNaps(f: RunFacts, w: Words, say: Say): void {
  const naps: NapStory[] = f.events.filter((e) => e.kind === K.nap).map((nap) => {
    const end = nap.t + nap.dur;
    const during = f.queueChanges.filter((c) => c.ev.t >= nap.t && c.ev.t <= end);
    return {
      nap,
      taken: during.filter((c) => c.ev.kind === K.get).map((c) => c.ev),
      emptied: during.some((c) => c.ev.kind === K.get && c.depth === 0),
      depthBefore: depthAt(f, nap.t),
      otherPuts: during.filter((c) => c.ev.kind === K.put && c.ev.proc !== nap.proc).length,
    };
  });
  detailThenCount(naps, (s) => {
    const { nap } = s;
    const head = `${cap(w.who(nap.proc))} napped ${ms(nap.dur)} after putting message ${w.msg(nap)}.`;
    const others = s.otherPuts > 0 ? ` Meanwhile the other shouters put ${plural(s.otherPuts, 'message')}.` : '';
    let tail: string;
    const phenomena: Phenomenon[] = ['nap'];
    if (s.taken.length === 0) {
      tail = s.depthBefore === 0 ? ' The queue was already empty, so nothing moved until it woke.' : ` No one took from the queue meanwhile (${s.depthBefore} waiting).`;
    } else if (s.emptied) {
      tail = ` Meanwhile ${w.group(s.taken.map((g) => g.proc))} drained the queue: took ${listOf(s.taken.map((g) => w.shortMsg(g)))} and found it empty.`;
      phenomena.push('drain');
    } else {
      tail = ` Meanwhile ${w.group(s.taken.map((g) => g.proc))} took ${listOf(s.taken.map((g) => w.shortMsg(g)))}.`;
    }
    say(nap.t, nap.t + nap.dur, head + others + tail, phenomena);
  }, (rest) => {
    const drained = rest.filter((s) => s.emptied).length;
    const avg = rest.reduce((t, s) => t + s.nap.dur, 0) / rest.length;
    const last = rest[rest.length - 1].nap;
    const takers = f.hearers.length === 1 ? w.who(f.hearers[0].proc) : 'the hearers';
    say(rest[0].nap.t, last.t + last.dur, `…and ${plural(rest.length, 'more nap')} (${ms(avg)} on average), ${drained} of them letting ${takers} drain the queue.`, drained > 0 ? ['nap', 'drain'] : ['nap']);
  });
  tellFinalDrain(f, w, say);
}

/** After the last message is put, what was still queued is drained by the hearers. */
function tellFinalDrain(f: RunFacts, w: Words, say: Say): void {
  const puts = f.queueChanges.filter((c) => c.ev.kind === K.put && c.ev.value !== SENTINEL_VALUE);
  const lastPut = puts[puts.length - 1];
  if (!lastPut) { return; }
  const left = lastPut.items.filter((e) => e.value !== SENTINEL_VALUE);
  if (left.length < 2) { return; }
  const gets = f.queueChanges.filter((c) => c.ev.kind === K.get && c.ev.t >= lastPut.ev.t && c.ev.value !== SENTINEL_VALUE);
  const lastGet = gets[gets.length - 1];
  if (!lastGet) { return; }
  say(lastPut.ev.t, lastGet.ev.t, `After the last message was put at ${ms(lastPut.ev.t)}, ${plural(left.length, 'message')} (${listOf(left.map((e) => w.shortMsg(e)))}) were still queued; ${w.group(gets.map((g) => g.ev.proc))} drained them by ${ms(lastGet.ev.t)}.`, ['drain']);
}

function tellUnlocked(f: RunFacts, w: Words, say: Say): void {
  if (f.unlockedLines.length === 0) { return; }
  const pairs: [UnlockedLine, UnlockedLine][] = [];
  const lines = f.unlockedLines;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length && lines[j].start < lines[i].end; j++) {
      if (piecesInterleave(lines[i], lines[j])) { pairs.push([lines[i], lines[j]]); }
    }
  }
  const first = lines[0];
  const last = lines[lines.length - 1];
  if (pairs.length === 0) {
    say(first.start, last.end, `The print lock was off, yet no two lines were written at the same time in this run (${plural(lines.length, 'line')}): nothing was garbled. Without the lock that is luck, not a guarantee.`, ['noContention']);
    return;
  }
  detailThenCount(pairs, ([a, b]) => {
    say(Math.min(a.start, b.start), Math.max(a.end, b.end), `Without the lock, ${w.who(a.proc)}'s line for message ${a.value} and ${w.who(b.proc)}'s line for ${b.value} were written at the same time (${ms(Math.min(a.start, b.start))} to ${ms(Math.max(a.end, b.end))}): their pieces interleaved, so the characters mix on the output.`, ['garbled']);
  }, (rest) => {
    say(Math.min(...rest.map(([a, b]) => Math.min(a.start, b.start))), Math.max(...rest.map(([a, b]) => Math.max(a.end, b.end))), `…and ${plural(rest.length, 'more pair')} of lines written at once, pieces mixed.`, ['garbled']);
  });
}

function tellEnd(f: RunFacts, w: Words, say: Say): void {
  if (f.run.live) { return; }
  const exits = f.events.filter((e) => e.kind === K.exit && (f.lanes.get(e.proc)?.role === 'shouter' || f.lanes.get(e.proc)?.role === 'hearer'));
  const lines = f.lockedPrints.length + f.unlockedLines.length;
  const moved = f.events.filter((e) => e.kind === K.get && e.value !== SENTINEL_VALUE).length;
  const expected = f.shouters.length + f.hearers.length;
  const lastContended = f.waits.filter(isContended).pop();
  const calm = lastContended ? ` After ${ms(lastContended.ev.t + lastContended.ev.dur)} no one waited for the lock any more.` : '';
  if (exits.length === 0 || exits.length < expected) {
    say(f.endNs, f.endNs, `The trace ends at ${ms(f.endNs)} before every process reached its end (${exits.length} of ${expected} did): ${plural(lines, 'line')} printed, ${plural(moved, 'message')} got.${calm}`, ['end']);
    return;
  }
  const first = exits[0];
  const last = exits[exits.length - 1];
  say(first.t, last.t, `${cap(w.who(last.proc))} was the last to finish, at ${ms(last.t)}: ${plural(lines, 'line')} printed, ${plural(moved, 'message')} went through the queue.${calm}`, ['end']);
}
