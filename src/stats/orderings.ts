/**
 * Every output ordering the lesson's program allows, counted exactly, and a check of whether an
 * observed line sequence is one of them. Pure: no `vscode`, no processes.
 *
 * ## The model
 * S shouters, H hearers, N messages per shouter, one shared FIFO queue of capacity C (0 =
 * unbounded). Lines are printed whole, one at a time (the print lock), so an output is a
 * sequence of 2·S·N lines. Besides the lines, two silent actions happen:
 *
 * - shouter k, for i = 1..N: print `Shout[k]: i`, then put (k, i). The put blocks while the
 *   queue holds C messages, and the shouter prints nothing until its put is done. After its
 *   loop come the "done" sentinels; they follow every message in the FIFO and print nothing,
 *   so they do not change which line sequences are possible.
 * - hearer j: get (blocks while empty; any idle hearer may take the head: competing
 *   consumers), then print `Hear[j]: k/i`, then get again.
 *
 * With S = H = 1 the lines are `Shout: i` / `Hear: i` (as protocol/lines.ts's shoutLine/hearLine).
 * Which schedule produced a line sequence is invisible (puts and gets print nothing), so we
 * count distinct LINE SEQUENCES, not schedules: `countOrderings` determinizes the program's
 * state machine over its silent moves (subset construction) and counts paths, memoized on the
 * set of states an output prefix can leave the program in (puts made lazy; see State). For S = H = 1, C = 0 this is the
 * Catalan number (132 for N = 6). With a capacity C the shouter can be at most C + 2 lines
 * ahead: C messages in the queue, one got but not yet printed by the hearer, and one printed
 * whose put is blocked; `Shout: C+3` must wait for a Hear line.
 *
 * `checkOrdering` decides one sequence without the state machine (whose state sets explode
 * with many processes): it searches for the FIFO order σ of the messages. Between lines,
 * put(x) must fall after x's Shout line and before its shouter's next Shout line; get(x)
 * after its hearer's previous Hear line and before x's own Hear line; put(x) before get(x);
 * puts and gets both in σ order; and with capacity C, get(σ[n−C]) before put(σ[n]). Any
 * number of silent moves fit between two lines, so such times exist iff, for every chain of
 * these precedences from event e to e', e's earliest line comes before e''s latest line. That
 * gives, for y placed before x in σ: a(y) < next(x), a(y) < b(x), prevH(y) < b(x), and when y
 * is at least C places before x: prevH(y) < next(x) (a = Shout position, b = Hear position,
 * next = the shouter's next Shout position, prevH = the hearer's previous Hear position).
 * Tests cross-check both methods against brute-force enumeration of schedules.
 */
import { hearLine, parseLessonLine, shoutLine } from '../protocol/lines';

export interface OrderingParams {
  /** Messages per shouter (N). */
  messageCount: number;
  /** Default 1. */
  shouters?: number;
  /** Default 1. */
  hearers?: number;
  /** 0 or undefined: unbounded. */
  queueCapacity?: number;
}

interface Model { S: number; H: number; N: number; C: number }

function model(p: OrderingParams): Model {
  const S = p.shouters ?? 1;
  const H = p.hearers ?? 1;
  const N = p.messageCount;
  const C = p.queueCapacity ?? 0;
  const int = (x: number, min: number, name: string) => {
    if (!Number.isInteger(x) || x < min) { throw new RangeError(`${name} must be an integer ≥ ${min}; got ${x}`); }
  };
  int(N, 0, 'messageCount'); int(S, 1, 'shouters'); int(H, 1, 'hearers'); int(C, 0, 'queueCapacity');
  // A capacity no queue can reach changes nothing: treat it as unbounded (smaller memo keys).
  return { S, H, N, C: C >= S * N ? 0 : C };
}

/** `Shout: i`, or `Shout[k]: i` (k from 1) when there is more than one shouter or hearer. */
export function shoutText(p: OrderingParams, shouter: number, message: number): string {
  return shoutLine(p.shouters ?? 1, p.hearers ?? 1, shouter, message);
}

/** `Hear: i`, or `Hear[j]: k/i` (j and k from 1). */
export function hearText(p: OrderingParams, hearer: number, shouter: number, message: number): string {
  return hearLine(p.shouters ?? 1, p.hearers ?? 1, hearer, shouter, message);
}

// ---------------------------------------------------------------- counting (subset construction)

/**
 * A program state, as small integers: per shouter, printed count p and whether its last
 * printed message is not yet in the queue (f, "pending"); per shouter, messages got (g); the
 * queue as a list of shouters (message numbers follow from g); per hearer, the message it
 * holds (got, not printed) as shouter·(N+1)+i, or −1.
 *
 * Puts are LAZY here, which prints the same line sequences with far fewer states than trying
 * every moment for every put: a pending message is put only when it must be — when its
 * shouter prints its next line (and then any other pending messages may be put just before
 * it, in any order), or when an idle hearer finds the queue empty and takes it directly (put
 * then get). Any real schedule maps to one of these with the same FIFO order and the same
 * lines; the unit tests check the counts against brute force over every real schedule.
 */
interface State { p: number[]; f: number[]; g: number[]; q: number[]; hold: number[] }

const keyOf = (s: State): string => `${s.p.join(',')};${s.f.join('')};${s.g.join(',')};${s.q.join('')};${s.hold.join(',')}`;
const clone = (s: State): State => ({ p: s.p.slice(), f: s.f.slice(), g: s.g.slice(), q: s.q.slice(), hold: s.hold.slice() });

/** All states reachable from `seeds` by gets (the only silent moves of the lazy model). */
function closure(m: Model, seeds: State[], budget: { left: number }): Map<string, State> {
  const out = new Map<string, State>();
  const stack: State[] = [];
  const push = (t: State) => {
    const k = keyOf(t);
    if (out.has(k)) { return; }
    if (--budget.left < 0) { throw new RangeError('counting these orderings takes too many states (too many processes or messages); try fewer'); }
    out.set(k, t); stack.push(t);
  };
  for (const s of seeds) { push(s); }
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (let j = 0; j < m.H; j++) {
      if (s.hold[j] !== -1) { continue; }
      if (s.q.length > 0) {
        const t = clone(s);
        const k = t.q.shift()!;
        t.g[k]++;
        t.hold[j] = k * (m.N + 1) + t.g[k];
        push(t);
      } else {
        // Empty queue: any pending message may be put and got at once.
        for (let k = 0; k < m.S; k++) {
          if (s.f[k] === 0) { continue; }
          const t = clone(s);
          t.f[k] = 0; t.g[k]++;
          t.hold[j] = k * (m.N + 1) + t.g[k];
          push(t);
        }
      }
    }
  }
  return out;
}

/** Shouter k's next Shout from s: its pending put first, optionally after other pending ones. */
function shoutSuccessors(m: Model, s: State, k: number, out: State[]): void {
  if (s.p[k] === m.N) { return; }
  if (s.f[k] === 0) { const t = clone(s); t.p[k]++; t.f[k] = 1; out.push(t); return; }
  const room = (t: State) => m.C === 0 || t.q.length < m.C;
  const extend = (t: State) => {
    if (room(t)) { const u = clone(t); u.q.push(k); u.p[k]++; out.push(u); }
    for (let k2 = 0; k2 < m.S; k2++) {
      if (k2 === k || t.f[k2] === 0 || !room(t)) { continue; }
      const u = clone(t); u.f[k2] = 0; u.q.push(k2); extend(u);
    }
  };
  extend(s);
}

/** Default work limit of countOrderings: states visited, about a second or two. */
export const MAX_COUNT_STATES = 3_000_000;

/**
 * How many distinct line sequences the program can print (see the model above). Exact
 * (BigInt). Instant for one shouter (any hearers up to 3, 8 messages); about a second for
 * 2 shouters × 2 hearers × 5 messages. The state sets grow fast with more processes, so past
 * `maxStates` states visited it throws a RangeError instead of running for minutes: callers
 * show "observed only" then.
 */
export function countOrderings(params: OrderingParams, limits: { maxStates?: number } = {}): bigint {
  const m = model(params);
  if (m.N === 0) { return 1n; }
  const memo = new Map<string, bigint>();
  const budget = { left: limits.maxStates ?? MAX_COUNT_STATES };
  const start: State = {
    p: new Array<number>(m.S).fill(0), f: new Array<number>(m.S).fill(0), g: new Array<number>(m.S).fill(0), q: [], hold: new Array<number>(m.H).fill(-1),
  };
  const visit = (set: Map<string, State>): bigint => {
    const key = [...set.keys()].sort().join('|');
    const known = memo.get(key);
    if (known !== undefined) { return known; }
    // Every line printed: one complete sequence (all have the same length, 2·S·N).
    const any = set.values().next().value as State;
    if (any.p.every((x) => x === m.N) && any.hold.every((h) => h === -1) && any.g.every((x) => x === m.N)) {
      memo.set(key, 1n);
      return 1n;
    }
    // Successors by visible line: a shouter's next Shout, or a hearer printing what it holds.
    const byLine = new Map<string, State[]>();
    const list = (line: string) => { let l = byLine.get(line); if (!l) { l = []; byLine.set(line, l); } return l; };
    for (const s of set.values()) {
      for (let k = 0; k < m.S; k++) { shoutSuccessors(m, s, k, list(`S${k}`)); }
      for (let j = 0; j < m.H; j++) {
        if (s.hold[j] !== -1) { const t = clone(s); const h = t.hold[j]; t.hold[j] = -1; list(`H${j}:${h}`).push(t); }
      }
    }
    let total = 0n;
    for (const seeds of byLine.values()) { if (seeds.length > 0) { total += visit(closure(m, seeds, budget)); } }
    memo.set(key, total);
    return total;
  };
  return visit(closure(m, [start], budget));
}

// ---------------------------------------------------------------- checking one sequence

export type OrderingCheck = { possible: true } | { possible: false; reason: string };

/** Past this many search states `checkOrdering` gives up (only bounded queues with many processes get near it). */
const MAX_SEARCH_STATES = 200_000;

/**
 * Whether `lines` is a complete output the program can print, and if not, why. Exact; the
 * search is linear for an unbounded queue and bounded by MAX_SEARCH_STATES otherwise (past it,
 * throws a RangeError rather than guess).
 */
export function checkOrdering(lines: readonly string[], params: OrderingParams): OrderingCheck {
  const m = model(params);
  const { S, H, N } = m;
  const M = S * N;
  const L = lines.length;
  if (L !== 2 * M) { return { possible: false, reason: `${L} lines where ${2 * M} were due (${M} Shout and ${M} Hear lines)` }; }
  // Per message id x = k·N + (i−1): a = Shout position, b = Hear position, hearer.
  const a = new Int32Array(M).fill(-1);
  const b = new Int32Array(M).fill(-1);
  const hearerOf = new Int32Array(M);
  for (let pos = 0; pos < L; pos++) {
    const line = lines[pos];
    const parsed = parseLessonLine(line);
    if (parsed?.role === 'shouter') {
      const k = parsed.index;
      const i = parsed.message;
      if (k < 0 || k >= S || i < 1 || i > N || shoutText(params, k, i) !== line) { return { possible: false, reason: `line ${pos + 1} (${JSON.stringify(line)}) is not a Shout line of this program` }; }
      const x = k * N + i - 1;
      if (a[x] !== -1) { return { possible: false, reason: `line ${pos + 1}: ${JSON.stringify(line)} is printed twice` }; }
      if (i > 1 && a[x - 1] === -1) { return { possible: false, reason: `line ${pos + 1}: ${JSON.stringify(line)} comes before ${JSON.stringify(shoutText(params, k, i - 1))}` }; }
      a[x] = pos;
    } else if (parsed?.role === 'hearer') {
      const j = parsed.index;
      const k = parsed.shouter;
      const i = parsed.message;
      if (j < 0 || j >= H || k < 0 || k >= S || i < 1 || i > N || hearText(params, j, k, i) !== line) { return { possible: false, reason: `line ${pos + 1} (${JSON.stringify(line)}) is not a Hear line of this program` }; }
      const x = k * N + i - 1;
      if (b[x] !== -1) { return { possible: false, reason: `line ${pos + 1}: message ${k + 1}/${i} is heard twice` }; }
      if (a[x] === -1) { return { possible: false, reason: `line ${pos + 1}: ${JSON.stringify(line)} comes before its Shout line` }; }
      b[x] = pos;
      hearerOf[x] = j;
    } else {
      return { possible: false, reason: `line ${pos + 1} (${JSON.stringify(line)}) is neither a Shout nor a Hear line` };
    }
  }
  // Every position was one line, 2M lines, no duplicates: so every message was shouted and heard.
  if (m.C > 0) {
    // Quick necessary bound: in flight = printed-not-put (≤ 1 per shouter) + queued (≤ C) + got-not-printed (≤ 1 per hearer).
    let inFlight = 0;
    for (let pos = 0; pos < L; pos++) {
      inFlight += lines[pos].startsWith('Shout') ? 1 : -1;
      if (inFlight > m.C + S + H) { return { possible: false, reason: `after line ${pos + 1}, ${inFlight} messages are shouted but not heard; a queue of capacity ${m.C} allows at most ${m.C + S + H}` }; }
    }
  }
  const next = new Int32Array(M); // the shouter's next Shout position (L after its last)
  for (let x = 0; x < M; x++) { next[x] = (x % N) === N - 1 ? L : a[x + 1]; }
  const prevH = new Int32Array(M).fill(-1); // the hearer's previous Hear position
  const lastHear = new Int32Array(H).fill(-1);
  const byB = Array.from({ length: M }, (_, x) => x).sort((x, y) => b[x] - b[y]);
  for (const x of byB) { prevH[x] = lastHear[hearerOf[x]]; lastHear[hearerOf[x]] = b[x]; }
  // Suffix minima per shouter of b and next over its messages i.., for the look-ahead below.
  const sufB = new Int32Array(M + 1);
  const sufNext = new Int32Array(M + 1);
  for (let k = 0; k < S; k++) {
    let mb = L;
    let mn = L;
    for (let i = N - 1; i >= 0; i--) {
      const x = k * N + i;
      mb = Math.min(mb, b[x]); mn = Math.min(mn, next[x], b[x]);
      sufB[x] = mb; sufNext[x] = mn;
    }
  }

  // Depth-first search for σ, one shouter's head at a time (each shouter's messages are in
  // order in any FIFO: putting i+1 needs Shout i+1, which needs put i). Dead ends are memoized
  // by (messages placed per shouter, the last C−1 placed), which fixes everything ahead.
  const C = m.C;
  const placed = new Int32Array(S);
  const order: number[] = [];
  const dead = new Set<string>();
  let states = 0;
  const search = (maxA: number, maxR: number): boolean => {
    const n = order.length;
    if (n === M) { return true; }
    const key = C === 0 ? placed.join(',') : `${placed.join(',')}|${order.slice(Math.max(0, n - C + 1)).join(',')}`;
    if (dead.has(key)) { return false; }
    if (++states > MAX_SEARCH_STATES) { throw new RangeError(`deciding this ordering needs more than ${MAX_SEARCH_STATES} search states`); }
    // Messages at least C places before the next one: the put must wait for their gets.
    let maxOldR = -1;
    if (C > 0) { for (let at = 0; at <= n - C; at++) { maxOldR = Math.max(maxOldR, prevH[order[at]]); } }
    // Earliest put deadline first: the order a real queue would most likely take.
    const heads: number[] = [];
    for (let k = 0; k < S; k++) { if (placed[k] < N) { heads.push(k); } }
    heads.sort((k1, k2) => next[k1 * N + placed[k1]] - next[k2 * N + placed[k2]]);
    for (const k of heads) {
      const x = k * N + placed[k];
      // Constraints with everything placed before x.
      if (!(maxA < next[x] && maxA < b[x] && maxR < b[x] && maxOldR < next[x])) { continue; }
      // Look-ahead: x must be allowed before every message not yet placed.
      let ok = true;
      for (let k2 = 0; k2 < S && ok; k2++) {
        const from = k2 === k ? placed[k2] + 1 : placed[k2];
        if (from >= N) { continue; }
        const z = k2 * N + from;
        ok = a[x] < sufNext[z] && prevH[x] < sufB[z];
      }
      if (!ok) { continue; }
      placed[k]++; order.push(x);
      if (search(Math.max(maxA, a[x]), Math.max(maxR, prevH[x]))) { return true; }
      placed[k]--; order.pop();
    }
    dead.add(key);
    return false;
  };
  if (search(-1, -1)) { return { possible: true }; }
  return {
    possible: false,
    reason: C === 0
      ? 'no FIFO order of the messages fits these lines (a hearer printed a message it could not have got yet)'
      : `no FIFO order of the messages fits these lines with a queue of capacity ${C} (a put would have blocked)`,
  };
}

/** True if `lines` is a complete output the program can print (see checkOrdering). */
export function isPossibleOrdering(lines: readonly string[], params: OrderingParams): boolean {
  return checkOrdering(lines, params).possible;
}

// ---------------------------------------------------------------- observed orderings

export interface ObservedOrdering {
  lines: string[];
  count: number;
  runIds: string[];
}

/**
 * Groups runs by their exact line sequence: most common first (ties: first seen first), each
 * with the runs that printed it, in input order.
 */
export function distinctOrderings(runs: readonly { runId: string; lines: readonly string[] }[]): ObservedOrdering[] {
  const groups = new Map<string, ObservedOrdering & { first: number }>();
  runs.forEach((run, index) => {
    // JSON of the array: an unambiguous key even if a line holds a newline or a separator.
    const key = JSON.stringify(run.lines);
    const group = groups.get(key);
    if (group) { group.count++; group.runIds.push(run.runId); } else { groups.set(key, { lines: [...run.lines], count: 1, runIds: [run.runId], first: index }); }
  });
  return [...groups.values()]
    .sort((x, y) => y.count - x.count || x.first - y.first)
    .map(({ lines, count, runIds }) => ({ lines, count, runIds }));
}
