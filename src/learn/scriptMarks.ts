/**
 * The program view of a traced user program: at an instant, each process's current line in the
 * user's own file (the site of its last event at or before that instant, or of the span it is
 * in) and what it is doing. No `vscode` import.
 */
import { EventKind } from '../protocol/events';
import type { ProcessState } from './stateAt';

export interface ScriptMark { name: string; proc: number; state: ProcessState; line: number }

/** What scriptMarksAt reads of a traced program's run (engine/scriptRun.ts's ScriptRun is one). */
export interface TracedProgramRun {
  readonly file: string;
  readonly trace: { readonly chunks: readonly { length: number; t: Float64Array; dur: Float32Array; kind: Uint8Array; proc: Uint16Array; site: Uint16Array }[] };
  readonly meta: { readonly sites: ReadonlyMap<number, { file: string; line: number }> };
  lanes(): { proc: number; name: string }[];
}

const SPAN_STATE: Partial<Record<number, ProcessState>> = {
  [EventKind.LockWait]: 'lockWait', [EventKind.Print]: 'printing', [EventKind.Nap]: 'napping',
  [EventKind.GetWait]: 'getWait', [EventKind.PutBlocked]: 'putBlocked', [EventKind.JoinWait]: 'getWait',
};

/** tMs: ms since the run's start (the events' t0). Lanes with no located event yet get no mark. */
export function scriptMarksAt(run: TracedProgramRun, tMs: number): ScriptMark[] {
  const tNs = tMs * 1e6;
  const last = new Map<number, { t: number; kind: number; site: number; inSpan: boolean }>();
  const exited = new Set<number>();
  for (const c of run.trace.chunks) {
    for (let i = 0; i < c.length; i++) {
      const t = c.t[i];
      if (t > tNs) { continue; }
      const proc = c.proc[i];
      if (c.kind[i] === EventKind.Exit) { exited.add(proc); continue; }
      const site = c.site[i];
      if (site === 0 || run.meta.sites.get(site)?.file !== run.file) { continue; }
      const prev = last.get(proc);
      if (!prev || t >= prev.t) { last.set(proc, { t, kind: c.kind[i], site, inSpan: t + c.dur[i] >= tNs }); }
    }
  }
  return run.lanes().flatMap((lane) => {
    const at = last.get(lane.proc);
    if (!at) { return []; }
    const state: ProcessState = exited.has(lane.proc) ? 'exited' : at.inSpan ? SPAN_STATE[at.kind] ?? 'running' : 'running';
    return [{ name: lane.name, proc: lane.proc, state, line: run.meta.sites.get(at.site)!.line }];
  });
}
