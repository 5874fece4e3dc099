// `npm run package` makes a .vsix with only what runs and what the listing shows. Packaging
// rebuilds dist/ and out/ (the production build clears them), so it runs in a copy of the
// project (node_modules linked), which also holds src/, test/, bench/ and .vscode/ to prove
// they stay out. A few seconds: part of the unit tests.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAX_VSIX_BYTES = 600 * 1024;
/** The Python programs the extension runs: the lesson's, and the tracer of a user's own program. */
const SHIPPED_PYTHON = ['python/shout_hear.py', 'python/trace_program.py', 'python/sh_trace_patch.py', 'python/sh_trace_objects.py', 'python/sh_trace_spool.py'];

/** The names in a zip file, from its central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): string[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'a zip: end of central directory found');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const COPY = ['package.json', 'package-lock.json', 'tsconfig.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE',
  'src', 'scripts', 'media', 'docs', 'python', 'test', 'bench', '.vscode', 'l10n'];

test('npm run package: the bundles, media, README images, CHANGELOG, LICENSE, the Python program — and nothing else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shout-hear-package-'));
  try {
    for (const name of COPY) {
      const from = path.join(ROOT, name);
      if (fs.existsSync(from)) { fs.cpSync(from, path.join(dir, name), { recursive: true, filter: (f) => !f.includes('__pycache__') }); }
    }
    for (const name of fs.readdirSync(ROOT)) {
      if (/^package\.nls.*\.json$/.test(name)) { fs.copyFileSync(path.join(ROOT, name), path.join(dir, name)); }
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', 'package'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    const vsix = path.join(dir, 'shout-hear.vsix');
    const bytes = fs.statSync(vsix).size;
    assert.ok(bytes < MAX_VSIX_BYTES, `the .vsix is ${bytes} bytes; the listing's budget is ${MAX_VSIX_BYTES}`);

    const entries = zipEntries(fs.readFileSync(vsix));
    const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    assert.deepEqual(entries.filter((e) => !e.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);

    // What must be there.
    // vsce stores README.md as readme.md, CHANGELOG.md as changelog.md and LICENSE as LICENSE.txt.
    for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', ...SHIPPED_PYTHON, 'dist/extension.js', 'dist/cli.js',
      'dist/workers/shouter.js', 'dist/workers/hearer.js', 'dist/workers/queue.js', 'dist/webview/timeline.js', 'dist/webview/explore.js',
      'media/icon.png', 'media/shout-hear-activity.svg']) {
      assert.ok(files.includes(f), `${f} is in the .vsix`);
    }
    const media = path.join(dir, 'media');
    for (const f of fs.readdirSync(media, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(media, f)).isFile())) {
      assert.ok(files.includes(`media/${f.split(path.sep).join('/')}`), `media/${f} is in the .vsix`);
    }
    for (const f of fs.readdirSync(dir).filter((n) => /^package\.nls.*\.json$/.test(n))) { assert.ok(files.includes(f), `${f} is in the .vsix`); }
    // The host's localized messages (package.json's "l10n" folder).
    for (const f of fs.readdirSync(path.join(dir, 'l10n'))) { assert.ok(files.includes(`l10n/${f}`), `l10n/${f} is in the .vsix`); }
    assert.ok(files.includes('l10n/bundle.l10n.json'), 'l10n/bundle.l10n.json is in the .vsix');
    // Every image the README shows resolves inside the package (the details page of an installed .vsix).
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    assert.ok(images.length >= 4, `README images: ${images.join(', ')}`);
    for (const img of images) {
      if (/^https?:/.test(img)) { continue; }
      assert.ok(files.includes(path.posix.normalize(img)), `README image ${img} is in the .vsix`);
    }

    // And nothing else.
    const allowed = (f: string) =>
      (f.startsWith('dist/') && !f.endsWith('.map')) || f.startsWith('media/') || /^docs\/[^/]+\.png$/.test(f)
      || /^package(\.nls(\.[\w-]+)?)?\.json$/.test(f) || /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/.test(f)
      || ['readme.md', 'changelog.md', 'LICENSE.txt', ...SHIPPED_PYTHON].includes(f);
    assert.deepEqual(files.filter((f) => !allowed(f)), [], 'files in the .vsix that should not be');
    for (const f of files) {
      assert.doesNotMatch(f, /^(src|test|out|bench|scripts|node_modules|\.vscode)\//, f);
      assert.doesNotMatch(f, /\.(map|ts)$/, f);
      assert.doesNotMatch(f, /(^|\/)test_[^/]*\.py$/, f);
    }
    console.log(`# .vsix: ${bytes} bytes, ${files.length} files`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
