// The manifest (package.json) as VS Code and the Marketplace read it: categories, palette `when`
// clauses, unique setting orders, described enum choices, keybindings that are not VS Code's own
// defaults, the icon, extensionKind, serializers' activation events, and the F5 files in .vscode/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const rawPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** Localizable strings: package.json says %key%, package.nls.json says what each key reads. */
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const usedNlsKeys = new Set<string>();
/** The manifest as VS Code shows it in English: every %key% replaced by its package.nls.json text. */
function localized(x: unknown): any {
  if (typeof x === 'string') {
    const m = /^%([\w.-]+)%$/.exec(x);
    if (!m) { return x; }
    usedNlsKeys.add(m[1]);
    return nls[m[1]] ?? x;
  }
  if (Array.isArray(x)) { return x.map(localized); }
  if (typeof x === 'object' && x !== null) { return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, localized(v)])); }
  return x;
}
const pkg = localized(rawPkg);
const contributes = pkg.contributes;
const commands: { command: string; title: string; category?: string; enablement?: string }[] = contributes.commands;
const palette: { command: string; when?: string }[] = contributes.menus?.commandPalette ?? [];
const settings: Record<string, Record<string, unknown>> = contributes.configuration.properties;

/** Commands that do nothing useful without a run going or a run kept. */
const NEEDS_A_RUN = ['shoutHear.stop', 'shoutHear.grantLock', 'shoutHear.replayRun', 'shoutHear.exportTrace'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}
const SRC = sourceFiles(path.join(ROOT, 'src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');

test('every command has the category "Shout/Hear" and a title', () => {
  assert.ok(commands.length > 0);
  for (const c of commands) {
    assert.equal(c.category, 'Shout/Hear', c.command);
    assert.ok(c.title.length > 0, c.command);
  }
});

test('commands that need a run are hidden from the palette without one; every command with an enablement is too', () => {
  const ids = new Set(commands.map((c) => c.command));
  for (const id of [...NEEDS_A_RUN, ...commands.filter((c) => c.enablement).map((c) => c.command)]) {
    assert.ok(ids.has(id), `${id} is a command`);
    const entry = palette.find((m) => m.command === id);
    assert.ok(entry?.when, `${id} has a commandPalette "when"`);
  }
  for (const m of palette) { assert.ok(ids.has(m.command), `commandPalette entry for an unknown command ${m.command}`); }
});

test('every shoutHear.* context key in a when clause is set by the extension host', () => {
  const clauses = [
    ...Object.values(contributes.menus ?? {}).flat() as { when?: string }[],
    ...(contributes.keybindings ?? []) as { when?: string }[],
    ...commands.map((c) => ({ when: c.enablement })),
  ].map((x) => x.when ?? '');
  // Quoted strings and what a key is compared with (`view == shoutHear.runs`) are values, not context keys.
  const keys = new Set(clauses.flatMap((w) => w.replace(/'[^']*'/g, '').replace(/(==|!=)\s*[\w.]+/g, '').match(/\bshoutHear\.\w+/g) ?? []));
  assert.ok(keys.has('shoutHear.running') && keys.has('shoutHear.hasRuns'), [...keys].join(', '));
  for (const key of keys) {
    assert.ok(new RegExp(`'setContext',\\s*'${key.replace('.', '\\.')}'`).test(SRC), `${key} is set with setContext somewhere in src/`);
  }
});

test('editor/title actions are on the Timeline and Explore panels, by their view types', () => {
  const viewTypes = [...SRC.matchAll(/_VIEW_TYPE = '([\w.]+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(viewTypes, ['shoutHear.explore', 'shoutHear.timeline']);
  const actions: { command: string; when: string; group?: string }[] = contributes.menus['editor/title'];
  for (const id of ['shoutHear.run', 'shoutHear.stop', 'shoutHear.rerunWithNapProbability']) {
    const a = actions.find((x) => x.command === id);
    assert.ok(a, `${id} in editor/title`);
    for (const vt of viewTypes) { assert.ok(a.when.includes(`activeWebviewPanelId == '${vt}'`), `${id} on ${vt}`); }
  }
  assert.match(actions.find((x) => x.command === 'shoutHear.stop')!.when, /shoutHear\.running/, 'Stop only while running');
  // A serializer per panel, and the activation event that lets VS Code call it after a reload.
  for (const vt of viewTypes) { assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${vt}`), `onWebviewPanel:${vt}`); }
  assert.equal((SRC.match(/registerWebviewPanelSerializer\(/g) ?? []).length, viewTypes.length);
});

test('every setting has an order, and no two share one', () => {
  const orders = Object.entries(settings).map(([k, s]) => { assert.ok(Number.isInteger(s.order), `${k} has an order`); return s.order; });
  assert.equal(new Set(orders).size, orders.length, `orders: ${orders.join(', ')}`);
});

test('every enum choice, null included, has an enumDescription', () => {
  let enums = 0;
  for (const [k, s] of Object.entries(settings)) {
    if (!Array.isArray(s.enum)) { continue; }
    enums++;
    const d = s.enumDescriptions as unknown[] | undefined;
    assert.ok(Array.isArray(d), `${k} has enumDescriptions`);
    assert.equal(d.length, s.enum.length, `${k}: one description per choice (${s.enum.map(String).join(', ')})`);
    for (const text of d) { assert.ok(typeof text === 'string' && text.trim().length > 0, `${k}: descriptions are text`); }
  }
  assert.ok(enums >= 4);
});

/** "Ctrl+Shift+R" and "shift+ctrl+r" are the same key: modifiers in one order, lower case. */
function normalizeChord(chord: string): string {
  const order = ['ctrl', 'shift', 'alt', 'cmd', 'meta', 'win'];
  return chord.trim().toLowerCase().split(/\s+/).map((part) => {
    const bits = part.split('+');
    const key = bits.pop()!;
    return [...bits.sort((a, b) => order.indexOf(a) - order.indexOf(b)), key].join('+');
  }).join(' ');
}

test('keybindings for Run and Stop, none of them one of VS Code\'s default keybindings', () => {
  const defaults = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'vscode-default-keys.json'), 'utf8')) as
    { linux: string[]; mac: string[]; windows: string[] };
  const bindings: { command: string; key: string; mac?: string; when?: string }[] = contributes.keybindings;
  assert.deepEqual(bindings.map((b) => b.command).sort(), ['shoutHear.run', 'shoutHear.stop']);
  assert.ok(defaults.linux.length > 300 && defaults.mac.length > 300 && defaults.windows.length > 300, 'the default lists are whole');
  const check = (chord: string, list: string[], platform: string) => {
    const taken = new Set(list.map(normalizeChord));
    const mine = normalizeChord(chord);
    assert.ok(!taken.has(mine), `${chord} is a default keybinding on ${platform}`);
    const parts = mine.split(' ');
    if (parts.length === 2) {
      // A chord must start with a prefix VS Code itself uses for chords, so it shadows no single key.
      assert.ok([...taken].some((k) => k.startsWith(`${parts[0]} `)), `${parts[0]} is a chord prefix on ${platform}`);
    }
  };
  for (const b of bindings) {
    assert.ok(b.mac, `${b.command} has a macOS key`);
    check(b.key, defaults.linux, 'Linux');
    check(b.key, defaults.windows, 'Windows');
    check(b.mac, defaults.mac, 'macOS');
  }
  assert.equal(normalizeChord('Shift+Ctrl+R'), 'ctrl+shift+r');
  assert.ok(new Set(defaults.linux.map(normalizeChord)).has(normalizeChord('ctrl+shift+p')), 'the check sees a default when there is one');
});

test('the icon is a 128×128 PNG, with a banner, keywords, categories and extensionKind', () => {
  const png = fs.readFileSync(path.join(ROOT, pkg.icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.ok(pkg.icon.startsWith('media/'));
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(pkg.galleryBanner.theme === 'dark' || pkg.galleryBanner.theme === 'light');
  assert.ok(pkg.keywords.length >= 1 && pkg.keywords.length <= 5, 'the Marketplace takes up to five keywords');
  assert.deepEqual(pkg.categories, ['Education', 'Visualization', 'Other']);
  assert.deepEqual(pkg.extensionKind, ['workspace'], 'the processes run where the workspace is');
  const activity = fs.readFileSync(path.join(ROOT, 'media', 'shout-hear-activity.svg'), 'utf8');
  assert.match(activity, /viewBox="0 0 24 24"/);
  assert.match(activity, /currentColor/);
  assert.doesNotMatch(activity, /#[0-9a-f]{3,6}\b/i, 'monochrome: no fixed colours');
});

/** .vscode/*.json are JSON with comments; ours have whole-line comments only. */
function readJsonc(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n'));
}

test('F5: launch configurations and the watch task they start', () => {
  const launch = readJsonc(path.join(ROOT, '.vscode', 'launch.json'));
  const tasks = readJsonc(path.join(ROOT, '.vscode', 'tasks.json'));
  const byName = new Map<string, any>(launch.configurations.map((c: any) => [c.name, c]));
  const run = byName.get('Run Extension');
  const tests = byName.get('Extension Tests');
  assert.ok(run && tests);
  for (const c of [run, tests]) {
    assert.equal(c.type, 'extensionHost');
    assert.ok(c.args.includes('--extensionDevelopmentPath=${workspaceFolder}'));
    const task = tasks.tasks.find((t: any) => t.label === c.preLaunchTask);
    assert.ok(task, `${c.name}'s preLaunchTask is a task`);
    assert.equal(task.isBackground, true);
    assert.equal(pkg.scripts[task.script], 'node scripts/build.mjs --watch');
  }
  assert.ok(tests.args.includes('--extensionTestsPath=${workspaceFolder}/out/test/integration/index'));
  // The problem matcher reads what scripts/build.mjs prints in watch mode (seen with a syntax error).
  const matcher = tasks.tasks.find((t: any) => t.label === run.preLaunchTask).problemMatcher;
  const m = new RegExp(matcher.pattern.regexp).exec('[watch] error src/zzWatchProbe.ts:1:26: Unexpected ";"');
  assert.ok(m);
  assert.deepEqual([m[matcher.pattern.severity], m[matcher.pattern.file], m[matcher.pattern.line], m[matcher.pattern.column], m[matcher.pattern.message]],
    ['error', 'src/zzWatchProbe.ts', '1', '26', 'Unexpected ";"']);
  assert.ok(new RegExp(matcher.background.beginsPattern).test('[watch] build started'));
  assert.ok(new RegExp(matcher.background.endsPattern).test('[watch] build finished'));
  const build = fs.readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
  for (const text of ["'[watch] build started'", "'[watch] build finished'", '`[watch] ${kind} ${at}${m.text}`']) { assert.ok(build.includes(text), text); }
});

test('the CHANGELOG starts from 0.1.0 and has an Unreleased section', () => {
  const log = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(log, /^## \[Unreleased\]/m);
  assert.match(log, /^## \[0\.1\.0\] - \d{4}-\d{2}-\d{2}$/m);
  assert.equal(pkg.version, '0.1.0');
});

test('every manifest string a user reads goes through package.nls.json, and every %key% resolves', () => {
  const unresolved: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') { const m = /^%([\w.-]+)%$/.exec(x); if (m && !(m[1] in nls)) { unresolved.push(m[1]); } return; }
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if (typeof x === 'object' && x !== null) { Object.values(x).forEach(walk); }
  };
  walk(rawPkg);
  assert.deepEqual(unresolved, [], 'keys missing from package.nls.json');
  assert.deepEqual(Object.keys(nls).filter((k) => !usedNlsKeys.has(k)), [], 'package.nls.json keys nothing uses');
  // What users read: titles, names, descriptions, welcome text. Each is a %key%.
  const c = rawPkg.contributes;
  const shown: [string, unknown][] = [
    ['displayName', rawPkg.displayName], ['description', rawPkg.description],
    ...c.commands.flatMap((x: any) => [[`${x.command} title`, x.title], [`${x.command} category`, x.category]]),
    ...c.viewsContainers.activitybar.map((x: any) => [`container ${x.id}`, x.title]),
    ...Object.values(c.views).flat().flatMap((x: any) => [[`view ${x.id}`, x.name], [`view ${x.id} contextualTitle`, x.contextualTitle]]),
    ...c.viewsWelcome.map((x: any) => [`welcome ${x.view}`, x.contents]),
    ['configuration title', c.configuration.title],
    ...Object.entries(c.configuration.properties).flatMap(([k, p]: [string, any]) => [
      [`${k} description`, p.markdownDescription ?? p.description], ...(p.enumDescriptions ?? []).map((d: unknown, i: number) => [`${k} enum ${i}`, d]),
    ]),
    ...(c.walkthroughs ?? []).flatMap((w: any) => [[`walkthrough ${w.id}`, w.title], [`walkthrough ${w.id} description`, w.description]]),
    ['untrusted workspaces', rawPkg.capabilities.untrustedWorkspaces.description],
  ];
  for (const [what, value] of shown) { assert.match(String(value), /^%[\w.-]+%$/, `${what} is a %key%`); }
});

test('the Runs view: in its own activity bar container, with a welcome for no runs, and actions on its items', () => {
  const containers: { id: string; icon: string }[] = pkg.contributes.viewsContainers.activitybar;
  assert.deepEqual(containers.map((x) => x.id), ['shoutHear']);
  assert.ok(fs.existsSync(path.join(ROOT, containers[0].icon)), 'the container icon is in the package');
  const views: { id: string }[] = Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat();
  assert.ok(views.some((v) => v.id === 'shoutHear.runs'));
  const welcomes: { view: string; contents: string }[] = pkg.contributes.viewsWelcome;
  for (const v of views) { assert.ok(welcomes.some((w) => w.view === v.id), `${v.id} has a welcome view`); }
  const welcome = welcomes.find((w) => w.view === 'shoutHear.runs')!.contents;
  assert.match(welcome, /\(command:shoutHear\.run\)/, 'a Run button');
  const walk = /command:workbench\.action\.openWalkthrough\?([^)\s]+)/.exec(welcome);
  assert.ok(walk, 'a link to the walkthrough');
  const [walkId] = JSON.parse(decodeURIComponent(walk[1])) as [string];
  assert.ok(walkId.startsWith(`${rawPkg.publisher}.${rawPkg.name}#`), walkId);
  // The walkthrough is contributed by the Learn work; once it is, the link must name it.
  const walkthroughs: { id: string }[] = pkg.contributes.walkthroughs ?? [];
  if (walkthroughs.length > 0) { assert.ok(walkthroughs.some((w) => walkId.endsWith(`#${w.id}`)), `${walkId} is a contributed walkthrough`); }
  const ids = new Set(commands.map((c) => c.command));
  const itemMenu: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];
  for (const id of ['shoutHear.openRunTimeline', 'shoutHear.replayRun', 'shoutHear.exportTrace', 'shoutHear.compareRunWith', 'shoutHear.forgetRun', 'shoutHear.openExploreTab']) {
    assert.ok(itemMenu.some((m) => m.command === id && m.when.includes('view == shoutHear.runs')), `${id} on the Runs view's items`);
  }
  const titleMenu: { command: string; when: string }[] = pkg.contributes.menus['view/title'];
  for (const id of ['shoutHear.run', 'shoutHear.stop', 'shoutHear.runBatch', 'shoutHear.openTraceFile']) {
    assert.ok(titleMenu.some((m) => m.command === id && m.when.includes('view == shoutHear.runs')), `${id} on the Runs view's title`);
  }
  assert.match(titleMenu.find((m) => m.command === 'shoutHear.stop')!.when, /shoutHear\.running/);
  for (const m of [...itemMenu, ...titleMenu]) { assert.ok(ids.has(m.command), `menu entry for an unknown command ${m.command}`); }
  // Commands that take a Runs view item are not offered in the palette, where they would get none.
  for (const id of ['shoutHear.openRunTimeline', 'shoutHear.compareRunWith', 'shoutHear.forgetRun', 'shoutHear.openExploreTab']) {
    assert.equal(palette.find((m) => m.command === id)?.when, 'false', `${id} is hidden from the palette`);
  }
});
