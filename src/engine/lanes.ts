/**
 * The processes of a run as the trace and the views see them ("lanes"): shouters first, then
 * hearers, then (when the Node engine needs one) the queue process.
 */
import type { ProcessInfo, RunConfig } from '../protocol/run';

/** The Node engine runs a queue process unless it is the lesson's plain 1 × 1 unbounded queue. */
export function usesQueueProcess(config: RunConfig): boolean {
  return config.engine === 'node' && (config.shouters > 1 || config.hearers > 1 || config.queueCapacity > 0);
}

export function planLanes(config: RunConfig): ProcessInfo[] {
  const lanes: ProcessInfo[] = [];
  const name = (role: string, i: number, of: number) => (of === 1 ? role : `${role} ${i + 1}`);
  for (let k = 0; k < config.shouters; k++) { lanes.push({ proc: lanes.length, role: 'shouter', name: name('shouter', k, config.shouters), pid: undefined }); }
  for (let j = 0; j < config.hearers; j++) { lanes.push({ proc: lanes.length, role: 'hearer', name: name('hearer', j, config.hearers), pid: undefined }); }
  if (usesQueueProcess(config)) { lanes.push({ proc: lanes.length, role: 'queue', name: 'queue', pid: undefined }); }
  return lanes;
}
