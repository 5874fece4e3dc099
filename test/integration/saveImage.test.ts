// Pictures for slides: Save Timeline Image and Save Explore Image write a valid PNG (signature,
// IHDR first) whose pixel width is twice the panel's CSS width, in the theme's colours or on a
// light background; without an open panel they reject with a message. The PNGs are kept in
// out/shots for a look.
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/protocol/run';
import { api, openTimelineDuringSuite } from './helpers';

interface Saved { uri: string; width: number; height: number }

const SHOTS = path.resolve(__dirname, '..', '..', 'shots');

function readPng(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  assert.equal(b.toString('latin1', b.length - 8, b.length - 4), 'IEND');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

suite('Save image', function () {
  this.timeout(180_000);
  openTimelineDuringSuite('onRun');
  suiteSetup(() => {
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  test('without an open panel both commands reject with a message', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.saveTimelineImage', vscode.Uri.file(path.join(SHOTS, 'never.png')))), /There is no timeline open/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.saveExploreImage', vscode.Uri.file(path.join(SHOTS, 'never.png')))), /There is no Explore panel open/);
    assert.equal(fs.existsSync(path.join(SHOTS, 'never.png')), false);
  });

  test('Save Timeline Image writes a PNG twice the panel\'s CSS width (theme and light)', async () => {
    const shoutHear = await api();
    const summary = await vscode.commands.executeCommand<RunSummary>('shoutHear.run', { messageCount: 6, napProbability: 0.5, napMs: 20 });
    const drawn = await shoutHear.timeline.waitForRendered((r) => r.runId === summary.runId && r.events === summary.events, 60_000);
    for (const background of ['theme', 'light'] as const) {
      const file = path.join(SHOTS, `timeline-image-${background}.png`);
      fs.rmSync(file, { force: true });
      const saved = await vscode.commands.executeCommand<Saved>('shoutHear.saveTimelineImage', vscode.Uri.file(file), { background });
      const png = readPng(file);
      assert.deepEqual(png, { width: saved.width, height: saved.height });
      assert.equal(png.width, 2 * drawn.page.width, `width ${png.width} is twice the page's ${drawn.page.width} CSS px`);
      assert.ok(png.height > 2 * drawn.page.plotHeight, `height ${png.height} holds the plot (${drawn.page.plotHeight} CSS px) and more`);
      assert.equal(png.height % 2, 0);
      assert.equal(fs.readdirSync(SHOTS).filter((f) => f.endsWith('.tmp')).length, 0, 'no temporary file left');
    }
  });

  test('Save Explore Image writes a PNG of the active tab, twice the panel\'s CSS width', async () => {
    const shoutHear = await api();
    await vscode.commands.executeCommand('shoutHear.runBatch', { runs: 4, overrides: { messageCount: 3, napMs: 1 } });
    const drawn = await shoutHear.explore.waitForRendered((r) => r.batch !== null && r.batch.runs === 4, 60_000);
    const file = path.join(SHOTS, 'explore-image-theme.png');
    fs.rmSync(file, { force: true });
    const saved = await vscode.commands.executeCommand<Saved>('shoutHear.saveExploreImage', vscode.Uri.file(file));
    const png = readPng(file);
    assert.deepEqual(png, { width: saved.width, height: saved.height });
    assert.equal(png.width, 2 * drawn.pageWidth);
    await vscode.commands.executeCommand<Saved>('shoutHear.saveExploreImage', vscode.Uri.file(path.join(SHOTS, 'explore-image-light.png')), { background: 'light' });
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('shoutHear.saveExploreImage', vscode.Uri.file(file), { background: 'sepia' })), /background "theme" or "light"/);
  });
});
