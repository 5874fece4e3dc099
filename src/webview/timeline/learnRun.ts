/**
 * The page's runs as the learning modules read them (src/learn/): a RunData seen as a LearnRun,
 * and what is derived from it once per run and length — its state index (the same stateAt the
 * shoutHear.stateAt command uses), its narration (the same explainRun as Explain This Run) and
 * its event-order axis. Cached on the run object, rebuilt when more events arrive.
 */
import { buildEventOrder, type EventOrderAxis } from '../../learn/eventOrder';
import { explainRun, type Narration } from '../../learn/explain';
import { indexStates, type StateIndex } from '../../learn/stateAt';
import { columnsOfArrays, type LearnRun } from '../../learn/traceView';
import type { RunData } from './model';

export function learnRunOfPage(run: RunData): LearnRun {
  const n = run.length;
  return {
    runId: run.runId,
    config: run.meta.config,
    lanes: run.meta.processes.map((p) => ({ proc: p.proc, name: p.name, role: p.role })),
    trace: columnsOfArrays({ length: n, kind: run.kind, proc: run.proc, value: run.value, aux: run.aux, flags: run.flags, t: run.t, dur: run.dur }),
    live: run.live,
  };
}

interface Derived { key: string; states?: StateIndex; narration?: Narration; order?: EventOrderAxis }
const derived = new WeakMap<RunData, Derived>();

function cacheOf(run: RunData): Derived {
  const key = `${run.length}/${run.live}`;
  let d = derived.get(run);
  if (!d || d.key !== key) { d = { key }; derived.set(run, d); }
  return d;
}

export function statesOf(run: RunData): StateIndex {
  const d = cacheOf(run);
  d.states ??= indexStates(learnRunOfPage(run));
  return d.states;
}

export function narrationOf(run: RunData): Narration {
  const d = cacheOf(run);
  d.narration ??= explainRun(learnRunOfPage(run));
  return d.narration;
}

/** The run's event-order axis (its process events only: the host lane's grants stay out of the order). */
export function orderAxisOf(run: RunData): EventOrderAxis {
  const d = cacheOf(run);
  d.order ??= buildEventOrder(run.t.subarray(0, run.length), run.dur.subarray(0, run.length));
  return d.order;
}
