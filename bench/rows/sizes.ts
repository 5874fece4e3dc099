/**
 * Rows: what ships — the production extension bundle and the .vsix package, built in a temp
 * copy of the tree so dist/, out/ and shout-hear.vsix are not touched.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ROOT, noVsix, progress } from '../env';
import { row } from '../report';

function sizeOf(file: string): number | null {
  try { return fs.statSync(file).size; } catch { return null; }
}

/** The production (minified) extension bundle, built into a temp dir without touching dist/. */
async function productionExtensionSize(tmp: string): Promise<number | null> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const outfile = path.join(tmp, 'extension.js');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', target: 'node20',
      format: 'cjs', minify: true, sourcemap: false, external: ['vscode'], outfile, logLevel: 'silent',
    });
    return sizeOf(outfile);
  } catch (err) {
    progress(`production bundle failed: ${(err as Error).message}`);
    return null;
  }
}

/**
 * Packages the extension as `npm run package` would (production build, then vsce), but in a
 * temp copy of the tree, so dist/, out/ and shout-hear.vsix are not touched. If vsce refuses
 * (e.g. relative README images and no repository URL), it retries with placeholder base URLs,
 * which only rewrite links, and says so.
 */
function packageVsix(tmp: string): { size: number | null; ms: number; error?: string; retried?: string; maps?: number } {
  const t0 = performance.now();
  const stage = path.join(tmp, 'stage');
  const skip = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
  fs.mkdirSync(stage);
  for (const name of fs.readdirSync(ROOT)) {
    if (skip.has(name) || name.endsWith('.vsix')) { continue; }
    fs.cpSync(path.join(ROOT, name), path.join(stage, name), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  const why = (r: { stderr: string; stdout: string; error?: Error }) => (r.stderr || r.stdout || String(r.error)).replace(/\s+/g, ' ').trim().slice(0, 240);
  if (build.status !== 0) { return { size: null, ms: performance.now() - t0, error: `production build failed: ${why(build)}` }; }
  const out = path.join(tmp, 'bench.vsix');
  const attempt = (extra: string[]) => spawnSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--out', out, ...extra], {
    cwd: stage, encoding: 'utf8', timeout: 120_000,
  });
  // The same flags as `npm run package` (the project has no public repository URL yet).
  const r = attempt(['--allow-missing-repository', '--no-rewrite-relative-links']);
  const retried: string | undefined = undefined;
  const ms = performance.now() - t0;
  if (r.status !== 0) { return { size: null, ms, error: why(r), retried }; }
  const maps = (fs.readdirSync(path.join(stage, 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.map')).length;
  return { size: sizeOf(out), ms, retried, maps };
}

export async function sizeRows(): Promise<void> {
  // 7. Sizes.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-bench-'));
  try {
    const devExt = sizeOf(path.join(ROOT, 'dist', 'extension.js'));
    const prodExt = await productionExtensionSize(tmp);
    row('size.extension', 'Extension bundle, production (minified)', prodExt === null ? null : prodExt / 1024, 'KB', { cmp: '<=', value: 150 },
      `dist/extension.js as built for development: ${devExt === null ? 'missing' : `${(devExt / 1024).toFixed(1)} KB`}`);
    let vsix: number | null = null;
    let vsixNote = '';
    if (!noVsix) {
      progress('packaging a production .vsix in a temp copy of the tree');
      const p = packageVsix(tmp);
      vsix = p.size;
      vsixNote = p.error ? `vsce failed: ${p.error}` : `production build + vsce in a temp copy of the tree, ${(p.ms / 1000).toFixed(1)} s; ${p.maps} source maps in its dist/`;
      if (p.retried) { vsixNote += `; plain \`vsce package\` failed (${p.retried}), measured with placeholder --baseContentUrl/--baseImagesUrl`; }
    }
    const existing = path.join(ROOT, 'shout-hear.vsix');
    if (vsix === null && sizeOf(existing) !== null) {
      vsix = sizeOf(existing);
      vsixNote = `${vsixNote ? `${vsixNote}; ` : ''}existing shout-hear.vsix of ${fs.statSync(existing).mtime.toISOString()}`;
    }
    row('size.vsix', '.vsix package', vsix === null ? null : vsix / 1024, 'KB', { cmp: '<=', value: 600 }, vsixNote || 'not packaged');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

}
