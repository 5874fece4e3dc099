// Bundles one entry per target with esbuild: the extension, each worker, the CLI (all Node,
// CommonJS), the webview pages (scripts from src/webview, styles and fonts from media/), and the
// tests and benchmarks into out/. Type checking is `npm run typecheck`.
// Usage: node scripts/build.mjs [--production] [--watch]
// --watch (npm run watch, the F5 pre-launch task) rebuilds every target on change and prints
// "[watch] build started" / "[watch] build finished" around each round of rebuilds, and each
// problem as "[watch] error file:line:column: text": what .vscode/tasks.json's problem matcher reads.
import * as esbuild from 'esbuild';
import { globSync } from 'glob';
import { chmodSync, rmSync } from 'fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** The webview scripts and styles, into outdir; `test` compiles in the pages' test hooks. */
function webviewTargets(outdir, test) {
  const browser = { bundle: true, platform: 'browser', target: 'es2022', logLevel: 'warning', outdir,
    sourcemap: production && !test ? false : 'linked', minify: production && !test };
  return [
    { ...browser, format: 'iife', define: { __TEST__: String(test) },
      entryPoints: { timeline: 'src/webview/timeline/main.ts', explore: 'src/webview/explore/main.ts' } },
    { ...browser, entryPoints: { timeline: 'media/timeline.css', explore: 'media/explore.css' },
      loader: { '.ttf': 'file' }, assetNames: '[name]' },
  ];
}

const targets = [
  // What ships: dist/ only.
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { shouter: 'src/workers/shouter.ts', hearer: 'src/workers/hearer.ts', queue: 'src/workers/queueBroker.ts', scheduler: 'src/workers/scheduler.ts' }, outdir: 'dist/workers' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // The webview pages (browser): their scripts, and their styles from media/ with the codicon
  // font beside them. The packaged pages carry no test hooks (__TEST__ false).
  ...webviewTargets('dist/webview', false),
  // Tests and benchmarks: out/, never packaged. Their dependencies stay in node_modules.
  { ...node, sourcemap: 'inline', minify: false, packages: 'external',
    entryPoints: globSync('test/unit/**/*.test.ts'), outbase: 'test', outdir: 'out/test' },
  { ...node, sourcemap: 'inline', minify: false, packages: 'external',
    entryPoints: globSync('test/integration/**/*.ts'), outbase: 'test', outdir: 'out/test' },
  { ...node, sourcemap: false, minify: false, packages: 'external',
    entryPoints: globSync('bench/*.ts'), outdir: 'out/bench' },
  // The same pages with their test hooks (window.__timeline) compiled in, for the benchmark.
  ...webviewTargets('out/webview', true),
].filter((t) => (Array.isArray(t.entryPoints) ? t.entryPoints.length > 0 : true));

if (!watch) { rmSync('dist', { recursive: true, force: true }); rmSync('out', { recursive: true, force: true }); }

if (watch) {
  // One "started"/"finished" pair for all targets: the round ends when no target is building.
  // The setup token keeps the first round open until every target's context has started.
  let building = 1;
  const begin = () => { if (building++ === 0) { console.log('[watch] build started'); } };
  const end = () => { if (--building === 0) { console.log('[watch] build finished'); } };
  const report = {
    name: 'watch-report',
    setup(build) {
      build.onStart(begin);
      build.onEnd((result) => {
        for (const [kind, list] of [['error', result.errors], ['warning', result.warnings]]) {
          for (const m of list) {
            const at = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
            console.log(`[watch] ${kind} ${at}${m.text}`);
          }
        }
        end();
      });
    },
  };
  console.log('[watch] build started');
  for (const t of targets) { await (await esbuild.context({ ...t, plugins: [report] })).watch(); }
  end();
  console.log('[watch] watching for changes (Ctrl+C stops)');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
}
