/**
 * The webview bundles as the build leaves them (run after `npm run build`): the packaged pages in
 * dist/webview carry no test hooks, the test build in out/webview does, and each page's styles
 * (from media/) sit beside its script with the codicon font they name.
 */
import { strict as assert } from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');

test('the packaged Timeline page has no test hooks; its test build has them', () => {
  assert.ok(!read('dist', 'webview', 'timeline.js').includes('__timeline'), 'dist/webview/timeline.js names window.__timeline');
  assert.ok(read('out', 'webview', 'timeline.js').includes('__timeline'), 'out/webview/timeline.js lacks window.__timeline');
});

test('each page\'s styles are built from media/ beside its script, the codicon font with them', () => {
  for (const page of ['timeline', 'explore']) {
    assert.ok(existsSync(path.join(ROOT, 'media', `${page}.css`)), `media/${page}.css`);
    assert.ok(existsSync(path.join(ROOT, 'dist', 'webview', `${page}.js`)), `dist/webview/${page}.js`);
    assert.ok(existsSync(path.join(ROOT, 'dist', 'webview', `${page}.css`)), `dist/webview/${page}.css`);
  }
  // The codicon stylesheet is bundled in and its font copied beside it, under the name it uses.
  const css = read('dist', 'webview', 'timeline.css');
  assert.match(css, /\.codicon-zoom-in:before/);
  assert.match(css, /url\("?\.\/codicon\.ttf/);
  assert.ok(existsSync(path.join(ROOT, 'dist', 'webview', 'codicon.ttf')), 'dist/webview/codicon.ttf');
  // uPlot's stylesheet comes first in the Explore page's styles (the page's own rules win).
  const explore = read('dist', 'webview', 'explore.css');
  assert.ok(explore.indexOf('.uplot') >= 0 && explore.indexOf('.uplot') < explore.indexOf('.tabpanel'), 'uPlot styles before the page\'s');
});

test('the pages carry no wire code: the frame limit and the text codecs stay with the workers and the host', () => {
  // src/protocol/wire.ts is for processes and the host; the pages import the event vocabulary
  // (protocol/events.ts) and their own message contracts only. (Before the protocol split,
  // dist/webview/timeline.js held MAX_FRAME_PAYLOAD and a module-level TextEncoder.)
  for (const page of ['timeline', 'explore']) {
    for (const dir of ['dist', 'out']) {
      const js = read(dir, 'webview', `${page}.js`);
      for (const worker of ['MAX_FRAME_PAYLOAD', 'TextEncoder', 'TextDecoder', 'FrameDecoder', 'writeTraceRecord', 'TRACE_RECORD_BYTES']) {
        assert.ok(!js.includes(worker), `${dir}/webview/${page}.js carries ${worker}`);
      }
    }
  }
});
