/**
 * What the Explore panel shows, kept in the workspace's storage so the panel comes back after a
 * window reload (its serializer): the latest batch and sweep views and the tab. The storage is
 * on disk and outlives versions of this code, so what is read back is checked whole and bounded;
 * anything else is dropped (the panel then starts empty). No `vscode` here.
 */
import { EXPLORE_LINES_MAX, type ExploreBatchView, type ExploreStats, type ExploreSweepView, type ExploreTab } from '../../protocol/explore';
import { isObj } from '../../protocol/validate';

export const EXPLORE_STATE_KEY = 'shoutHear.explore.saved';
/** The JSON written is at most this long (a batch of 500 runs with long lines fits). */
export const EXPLORE_SAVED_MAX_CHARS = 8 * 1024 * 1024;
const MAX_ORDERINGS = 500;
const MAX_RUN_IDS = 500;
const MAX_GROUPS = 21;

export interface SavedExplore { version: 1; tab: ExploreTab; batch: ExploreBatchView | null; sweep: ExploreSweepView | null }

/** The record to store; running views are saved as interrupted (a reload ends them). */
export function savedExplore(tab: ExploreTab, batch: ExploreBatchView | null, sweep: ExploreSweepView | null): SavedExplore {
  return { version: 1, tab, batch, sweep };
}

const isNum = (x: unknown): x is number => typeof x === 'number';
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isStr = (x: unknown, max = 10_000): x is string => typeof x === 'string' && x.length <= max;
const isStrList = (x: unknown, maxItems: number, maxLen?: number): x is string[] =>
  Array.isArray(x) && x.length <= maxItems && x.every((s) => isStr(s, maxLen));
const optStr = (x: unknown) => x === undefined || isStr(x);

function isStats(x: unknown): x is ExploreStats {
  // NaN is stored as null by JSON: accept it and turn it back into NaN on read.
  return isObj(x) && ['n', 'mean', 'stddev', 'min', 'max', 'median', 'p10', 'p90'].every((k) => isNum(x[k]) || x[k] === null);
}

function statsBack(x: ExploreStats): ExploreStats {
  const out = { ...x };
  for (const k of Object.keys(out) as (keyof ExploreStats)[]) { if (out[k] === null) { out[k] = NaN; } }
  return out;
}

/** A running view comes back as ended: the reload stopped it. */
function ended<T extends { running: boolean; interruption?: string }>(v: T): T {
  return v.running ? { ...v, running: false, interruption: v.interruption ?? 'the window was reloaded while it ran' } : v;
}

function parseBatch(x: unknown): ExploreBatchView | null | undefined {
  if (x === null) { return null; }
  if (!isObj(x)) { return undefined; }
  const ok = isCount(x.runs) && isCount(x.requested) && typeof x.running === 'boolean' && typeof x.cancelled === 'boolean'
    && optStr(x.interruption) && isCount(x.notOk) && isCount(x.distinct) && (x.possible === null || isStr(x.possible, 400))
    && isStr(x.observed) && isStr(x.settings) && Array.isArray(x.orderings) && x.orderings.length <= MAX_ORDERINGS
    && x.orderings.every((o) => isObj(o) && isCount(o.count) && isStrList(o.runIds, MAX_RUN_IDS, 200)
      && isStrList(o.lines, EXPLORE_LINES_MAX) && isCount(o.truncated) && isStr(o.short, 100_000));
  return ok ? ended(x as unknown as ExploreBatchView) : undefined;
}

function parseSweep(x: unknown): ExploreSweepView | null | undefined {
  if (x === null) { return null; }
  if (!isObj(x)) { return undefined; }
  const ok = Array.isArray(x.probabilities) && x.probabilities.length <= MAX_GROUPS && x.probabilities.every(isNum)
    && isCount(x.runsEach) && isCount(x.runs) && typeof x.running === 'boolean' && typeof x.cancelled === 'boolean'
    && optStr(x.interruption) && isStr(x.settings) && Array.isArray(x.groups) && x.groups.length <= MAX_GROUPS
    && x.groups.every((g) => isObj(g) && isNum(g.napProbability) && isCount(g.runs) && isStrList(g.runIds, MAX_RUN_IDS * 10, 200)
      && isStats(g.durationMs) && isStats(g.lockWaitMs) && isStats(g.maxQueueDepth) && isStats(g.putGetLatencyMs) && isCount(g.distinctOrderings));
  if (!ok) { return undefined; }
  const v = x as unknown as ExploreSweepView;
  return ended({
    ...v,
    groups: v.groups.map((g) => ({
      ...g, durationMs: statsBack(g.durationMs), lockWaitMs: statsBack(g.lockWaitMs),
      maxQueueDepth: statsBack(g.maxQueueDepth), putGetLatencyMs: statsBack(g.putGetLatencyMs),
    })),
  });
}

/** Reads a stored record back: the views it holds, or undefined if it is not one of ours. */
export function parseSavedExplore(raw: unknown): SavedExplore | undefined {
  if (typeof raw !== 'string' || raw.length > EXPLORE_SAVED_MAX_CHARS) { return undefined; }
  let x: unknown;
  try { x = JSON.parse(raw); } catch { return undefined; }
  if (!isObj(x) || x.version !== 1 || (x.tab !== 'batch' && x.tab !== 'sweep')) { return undefined; }
  const batch = parseBatch(x.batch);
  const sweep = parseSweep(x.sweep);
  if (batch === undefined || sweep === undefined) { return undefined; }
  return { version: 1, tab: x.tab, batch, sweep };
}

/** The stored form (a JSON string), or undefined when it would be too long to keep. */
export function serializeSavedExplore(saved: SavedExplore): string | undefined {
  const text = JSON.stringify(saved);
  return text.length <= EXPLORE_SAVED_MAX_CHARS ? text : undefined;
}
