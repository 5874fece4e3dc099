/**
 * The page's test hooks, `window.__timeline`: frame times of recent draws, and a way to feed and
 * drive the page without a host (the benchmark, bench/timelineBench.ts). Compiled in only when
 * the build sets __TEST__ (out/webview); the packaged bundle (dist/webview) has none of this.
 */
import type { HostToTimeline } from '../../protocol/timeline';
import { onMessage } from './messages';
import { panPx, setFollow, zoomBy } from './navigate';
import { drawNow } from './plot';
import type { Page } from './state';

export function installTestHooks(p: Page): void {
  const { s } = p;
  (window as unknown as { __timeline: unknown }).__timeline = {
    frameTimes: s.frameTimes,
    drawNow: () => drawNow(p),
    zoomBy: (factor: number, anchorX?: number) => zoomBy(p, factor, anchorX),
    panPx: (dx: number) => panPx(p, dx),
    fit: () => setFollow(p, 'fit'),
    bytes: () => s.runs.reduce((b, r) => b + (r?.byteSize ?? 0), 0),
    events: () => s.runs[0]?.length ?? 0,
    deliver: (m: HostToTimeline) => onMessage(p, m),
  };
}
