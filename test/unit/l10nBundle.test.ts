// The extension host's messages are localized the VS Code way: every vscode.l10n.t call in src/
// has a literal message, and l10n/bundle.l10n.json (made by `npm run l10n`, @vscode/l10n-dev)
// holds exactly those messages — a new or changed message without a re-export fails here, and so
// does a bundle entry nothing uses any more. package.json points VS Code at the bundle.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) { return sources(p); }
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Each l10n.t call's message in `source`, or a note where the message is not a literal. */
export function l10nMessages(file: string, source: string): { messages: string[]; notLiteral: string[] } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const messages: string[] = [];
  const notLiteral: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't'
      && /(^|\.)l10n$/.test(node.expression.expression.getText(sf))) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) { messages.push(first.text); }
      else {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
        notLiteral.push(`${path.relative(ROOT, file)}:${line + 1}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { messages, notLiteral };
}

test('package.json points VS Code at the l10n bundle, which the .vsix lets in', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.l10n, './l10n');
  assert.ok(fs.existsSync(path.join(ROOT, 'l10n', 'bundle.l10n.json')), 'l10n/bundle.l10n.json is missing: run npm run l10n');
  assert.match(pkg.scripts.l10n, /l10n-dev export --outDir \.\/l10n \.\/src/);
});

test('every vscode.l10n.t message in src/ is a key of l10n/bundle.l10n.json, and every key is used', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
  const used = new Set<string>();
  const notLiteral: string[] = [];
  for (const f of sources(path.join(ROOT, 'src'))) {
    const found = l10nMessages(f, fs.readFileSync(f, 'utf8'));
    found.messages.forEach((m) => used.add(m));
    notLiteral.push(...found.notLiteral);
  }
  assert.ok(used.size > 100, `expected the host's messages, found ${used.size}`);
  assert.deepEqual(notLiteral, [], 'vscode.l10n.t takes a literal message (the bundle is extracted from the source)');
  const missing = [...used].filter((m) => !(m in bundle));
  assert.deepEqual(missing, [], 'messages missing from l10n/bundle.l10n.json: run npm run l10n');
  const stale = Object.keys(bundle).filter((k) => !used.has(k));
  assert.deepEqual(stale, [], 'bundle entries no source uses: run npm run l10n');
  for (const [k, v] of Object.entries(bundle)) { assert.equal(v, k, 'the English bundle reads as the source does'); }
});

test('the scan finds messages and rejects computed ones (so the test above can fail)', () => {
  const f = path.join(ROOT, 'src', 'probe.ts');
  assert.deepEqual(l10nMessages(f, "vscode.l10n.t('Run {0} ended', id); l10n.t(`Export which run?`);").messages, ['Run {0} ended', 'Export which run?']);
  assert.equal(l10nMessages(f, 'vscode.l10n.t(`Run ${id} ended`); vscode.l10n.t(text);').notLiteral.length, 2);
  assert.deepEqual(l10nMessages(f, "t('not l10n'); other.t('no');").messages, []);
});
