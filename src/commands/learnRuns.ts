/**
 * The runs the learning commands explain: a kept run by id, else the one the Timeline shows,
 * else the newest — never a picker — read through the learning modules' trace view.
 */
import type { TimelineSource } from '../views/timeline/source';
import type { RunStore } from '../host/runStore';
import type { TimelineView } from '../views/timeline/register';
import { CHUNK_BITS } from '../trace/traceStore';
import { columnsOfChunks, type LearnRun } from '../learn/traceView';
import { isRunId } from '../protocol/validate';

/** What the learning commands need of the Timeline's run history. */
export interface KeptRuns {
  sourceOf(runId: string): TimelineSource | undefined;
  newestSource(): TimelineSource | undefined;
  shownRunId(): string | undefined;
  keptRunIds(): string[];
}

/** The kept runs as the learning commands see them: the run store, and what the Timeline shows. */
export function keptRunsOf(store: RunStore, timeline: TimelineView): KeptRuns {
  return {
    sourceOf: (runId) => store.get(runId)?.source,
    newestSource: () => store.newest?.source,
    shownRunId: () => timeline.shownRunId(),
    keptRunIds: () => store.ids(),
  };
}

export function checkRunId(runId: unknown, what: string): string {
  if (!isRunId(runId)) {
    throw new Error(`${what}: runId must be the id of a kept run (a string such as "run-3"), not ${JSON.stringify(runId)?.slice(0, 60)}.`);
  }
  return runId;
}

/** The run by id (rejects naming the kept ones), or with no id the shown, else the newest run. */
export function findSource(runs: KeptRuns, runId: unknown, what: string): TimelineSource {
  if (runId === undefined || runId === null) {
    const shown = runs.shownRunId();
    const source = (shown ? runs.sourceOf(shown) : undefined) ?? runs.newestSource();
    if (!source) { throw new Error(`${what}: there is no run to explain yet. Run Shout/Hear first (or open a trace file).`); }
    return source;
  }
  const id = checkRunId(runId, what);
  const source = runs.sourceOf(id);
  if (!source) {
    const kept = runs.keptRunIds();
    throw new Error(`${what}: run ${id} is not kept (runs live in memory for this window only). Kept: ${kept.length ? kept.join(', ') : 'none'}.`);
  }
  return source;
}

export function learnRunOf(source: TimelineSource): LearnRun {
  return {
    runId: source.id,
    config: source.config,
    lanes: source.processes().map((p) => ({ proc: p.proc, name: p.name, role: p.role })),
    trace: columnsOfChunks(source.trace, CHUNK_BITS),
    live: source.verdict === undefined,
  };
}
