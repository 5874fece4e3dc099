/**
 * What a replay must enforce to print the same lines again: the order in which processes took
 * the print lock (or, without it, wrote their pieces), and which hearer got each message. The
 * seed (hence the naps) comes along in the config.
 */
import { EventKind, PrintFlags } from '../protocol/events';
import type { RunConfig } from '../protocol/run';
import type { TraceStore } from '../trace/traceStore';
import type { ReplayPlan } from './run';

export function replayPlanOf(runId: string, config: RunConfig, trace: TraceStore): ReplayPlan {
  const turns: { t: number; proc: number }[] = [];
  const gets: { t: number; hearer: number }[] = [];
  trace.scan((kind, proc, _value, t, _dur, _aux, flags) => {
    // Each Print is one lock turn: a whole line with the lock, one piece without it. The order
    // of the turns is the one the kernel or the scheduler chose in the original run.
    if (kind === EventKind.Print && (!config.useLock || !(flags & PrintFlags.NoLock))) { turns.push({ t, proc }); }
    if (kind === EventKind.Get) { gets.push({ t, hearer: proc - config.shouters }); }
  });
  turns.sort((a, b) => a.t - b.t);
  gets.sort((a, b) => a.t - b.t);
  return {
    of: runId,
    grants: turns.map((x) => x.proc),
    ...(config.hearers > 1 ? { getOrder: gets.map((g) => g.hearer) } : {}),
  };
}
