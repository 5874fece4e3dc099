/**
 * Timeline scale benchmark (`npm run bench:timeline`; never part of `npm test`): loads
 * synthetic traces of 1e4, 1e6 and 5e6 events into the webview bundle built with its test hooks
 * (out/webview: the same code as dist/webview, plus window.__timeline) in
 * headless Chromium (Debian's /usr/bin/chromium via playwright-core, no browser download),
 * drives zoom and pan, and prints load time, frame time p50/p95 and bytes per event beside
 * their targets. Options: --sizes 1e4,1e6 --shot DIR (a PNG per size) --frames N.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const sizes = (opt('sizes') ?? '1e4,1e6,5e6').split(',').map(Number);
const shotDir = opt('shot');
const frames = Number(opt('frames') ?? 120);

const TARGET = { loadMs5e6: 1500, frameP95: 16, bytesPerEvent: 64 };

// A dark theme's variables, as VS Code would put them on <html>.
const THEME = `
--vscode-foreground:#cccccc;--vscode-descriptionForeground:#9d9d9d;--vscode-editor-background:#1f1f1f;
--vscode-font-family:system-ui,sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;
--vscode-charts-blue:#3794ff;--vscode-charts-orange:#d18616;--vscode-charts-purple:#b180d7;--vscode-charts-green:#89d185;
--vscode-charts-yellow:#cca700;--vscode-charts-red:#f14c4c;--vscode-charts-lines:#808080;--vscode-focusBorder:#0078d4;
--vscode-panel-border:#2b2b2b;--vscode-list-hoverBackground:#2a2d2e;--vscode-terminal-ansiCyan:#11a8cd;--vscode-terminal-ansiMagenta:#bc3fbc;
--vscode-editorHoverWidget-background:#202020;--vscode-editorHoverWidget-border:#454545;--vscode-dropdown-background:#313131;
--vscode-dropdown-foreground:#cccccc;--vscode-list-activeSelectionBackground:#04395e;--vscode-list-activeSelectionForeground:#ffffff;`;

function page(dir: string): string {
  const file = path.join(dir, 'bench.html');
  const webview = path.join(root, 'out', 'webview');
  writeFileSync(file, `<!DOCTYPE html><html style="${THEME.replace(/\n/g, '')}"><head><meta charset="UTF-8">
<link rel="stylesheet" href="file://${webview}/timeline.css"></head>
<body class="vscode-dark"><script>
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
</script><script src="file://${webview}/timeline.js"></script></body></html>`);
  return file;
}

/** Runs in the page: makes a trace of exactly n events (about 7 per message) in batches of 2^18. */
function generate(n: number): unknown[] {
  const batches: unknown[] = [];
  const B = 1 << 18;
  let cur: { t: Float64Array; dur: Float32Array; value: Int32Array; aux: Uint16Array; kind: Uint8Array; proc: Uint8Array; from: number } | undefined;
  let at = 0;
  let total = 0;
  const flush = () => {
    if (!cur) { return; }
    const c = cur;
    batches.push({ from: c.from, t: c.t.slice(0, at), dur: c.dur.slice(0, at), value: c.value.slice(0, at), aux: c.aux.slice(0, at), kind: c.kind.slice(0, at), proc: c.proc.slice(0, at) });
    cur = undefined;
  };
  const push = (kind: number, proc: number, value: number, t: number, dur: number, aux: number) => {
    if (total >= n) { return; }
    if (!cur) { cur = { t: new Float64Array(B), dur: new Float32Array(B), value: new Int32Array(B), aux: new Uint16Array(B), kind: new Uint8Array(B), proc: new Uint8Array(B), from: total }; at = 0; }
    cur.t[at] = t; cur.dur[at] = dur; cur.value[at] = value; cur.aux[at] = aux; cur.kind[at] = kind; cur.proc[at] = proc;
    at++; total++;
    if (at === B) { flush(); }
  };
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  let ts = 1000;
  let th = 2000;
  for (let i = 1; total < n; i++) {
    const wait = rnd() < 0.3 ? 2000 + rnd() * 5000 : 0;
    push(9, 255, 0, ts, 0, 0);
    push(2, 0, i, ts, wait, 0);
    ts += wait;
    push(3, 0, i, ts, 3000, 0);
    ts += 3000;
    push(4, 0, i, ts, 0, 0);
    const nap = rnd() < 0.25;
    if (nap) { push(8, 0, i, ts + 100, 50000, 0); ts += 50100; } else { ts += 500; }
    const start = Math.max(th, ts - 400);
    if (start < ts) { push(7, 1, 0, start, ts - start, 0); }
    th = Math.max(th, ts) + 300;
    push(6, 1, i, th, 0, 0);
    push(3, 1, i, th + 200, 2500, 0);
    th += 2800;
  }
  flush();
  return batches;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'out', 'webview', 'timeline.js'))) { throw new Error('out/webview/timeline.js is missing: run node scripts/build.mjs'); }
  const dir = mkdtempSync(path.join(tmpdir(), 'timeline-bench-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files', '--js-flags=--max-old-space-size=4096'],
  });
  const rows: string[][] = [];
  try {
    for (const n of sizes) {
      const p = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      p.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      await p.goto(`file://${page(dir)}`);
      await p.waitForFunction(() => (window as unknown as { __timeline?: unknown }).__timeline !== undefined);
      await p.evaluate(`window.__batches = (${generate.toString()})(${n})`);
      const result = await p.evaluate(async ({ n, frames }) => {
        const w = window as unknown as { __batches: { from: number }[]; __timeline: {
          deliver(m: unknown): void; drawNow(): void; zoomBy(f: number, x?: number): void; panPx(dx: number): void; fit(): void;
          frameTimes: number[]; bytes(): number; events(): number;
        } };
        const tl = w.__timeline;
        const meta = {
          runId: `bench-${n}`, label: `bench ${n.toExponential(0)} events`, seed: 1, startedAt: Date.now(),
          config: { messageCount: Math.floor(n / 8), napProbability: 0.25, napMs: 0.05, seed: 1, useLock: true, runTimeoutSeconds: 60 },
          processes: [{ proc: 0, role: 'shouter', name: 'shouter' }, { proc: 1, role: 'hearer', name: 'hearer' }],
        };
        const t0 = performance.now();
        tl.deliver({ type: 'load', slot: 'main', run: meta, totalEvents: n, live: false });
        for (const b of w.__batches) { tl.deliver({ type: 'events', slot: 'main', runId: meta.runId, batch: b }); }
        tl.fit();
        tl.drawNow();
        const loadMs = performance.now() - t0;
        w.__batches = [];
        tl.frameTimes.length = 0;
        // Drive: zoom in around points, pan, zoom out, through many levels of detail.
        for (let i = 0; i < frames; i++) {
          const phase = i % 40;
          if (phase < 15) { tl.zoomBy(1.6, 300 + (i * 37) % 1100); } else if (phase < 25) { tl.panPx(i % 2 ? 120 : -90); } else { tl.zoomBy(1 / 1.6, 800); }
          tl.drawNow();
        }
        const ft = [...tl.frameTimes].sort((a, b) => a - b);
        const q = (p: number) => ft[Math.min(ft.length - 1, Math.floor(p * ft.length))];
        tl.fit();
        tl.drawNow();
        return { loadMs, p50: q(0.5), p95: q(0.95), bytes: tl.bytes(), events: tl.events() };
      }, { n, frames });
      if (shotDir) { mkdirSync(shotDir, { recursive: true }); await p.screenshot({ path: path.join(shotDir, `bench-${n}.png`) }); }
      const bpe = result.bytes / Math.max(1, result.events);
      rows.push([
        n.toExponential(0), result.events.toLocaleString('en-US'),
        `${result.loadMs.toFixed(0)} ms`, n >= 5e6 ? `≤ ${TARGET.loadMs5e6} ms` : '',
        `${result.p50.toFixed(2)} ms`, `${result.p95.toFixed(2)} ms`, `≤ ${TARGET.frameP95} ms`,
        bpe.toFixed(1), `≤ ${TARGET.bytesPerEvent}`,
      ]);
      await p.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const head = ['size', 'events', 'load', 'target', 'frame p50', 'frame p95', 'target', 'bytes/event', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log('Timeline benchmark (real webview bundle, headless Chromium, 1600×900; frames: zoom/pan sequence)');
  console.log(line(head));
  for (const r of rows) { console.log(line(r)); }
}

main().catch((err) => { console.error(err); process.exit(1); });
