/** Show Timeline: an open panel keeps what it shows; a new one starts with the newest run. */
import type { Timeline } from '../views/timeline/register';

export function showTimeline(timeline: Timeline): void {
  const existed = timeline.panel !== undefined;
  const p = timeline.open(false);
  if (!existed) { p.showRun(undefined); }
}
