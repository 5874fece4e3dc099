// The webview pages' words live in one module per page (src/webview/timeline/strings.ts,
// src/webview/explore/strings.ts) so that a translation has one place to change. This test reads
// every other page module's source and fails if it puts a literal with letters where the user
// sees or hears it: textContent/title/label/placeholder assignments, aria-label/title attributes,
// el()'s text, iconButton()'s label, the canvas's fillText, option and chart `label`/`title`/`text`
// properties, and the lines pushed into hover and status descriptions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WEBVIEW = path.join(ROOT, 'src', 'webview');

/** Properties whose assigned value the user sees or hears. */
const TEXT_PROPERTIES = new Set(['textContent', 'innerText', 'innerHTML', 'title', 'placeholder', 'ariaLabel', 'label', 'alt']);
/** Attributes whose value the user sees or hears. */
const TEXT_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt']);
/** Object-literal keys that carry words (options, chart titles and series, verdict text). */
const TEXT_KEYS = new Set(['label', 'title', 'text', 'tooltip', 'placeholder', 'info', 'name']);
/** Calls and the index of their argument that is shown: el(tag, class, text), iconButton(icon, label), … */
const TEXT_ARGUMENTS: Record<string, number> = { el: 2, iconButton: 1, heading: 1, fillText: 0, push: 0, unshift: 0, empty: 1, tag: 0, setLines: 1, show: 3 };

/** Words, not CSS colours ("rgba(" is a colour the canvas is given, never shown as text). */
const hasLetter = (s: string) => /\p{L}/u.test(s.replace(/\b(?:rgba?|hsla?)\(/g, ''));

/** The literal parts of a value expression that have letters (not descending into calls or conditions). */
function wordyLiterals(e: ts.Expression): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) { return hasLetter(e.text) ? [e.text] : []; }
  if (ts.isTemplateExpression(e)) {
    const own = [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].filter(hasLetter);
    return [...own, ...e.templateSpans.flatMap((s) => wordyLiterals(s.expression))];
  }
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) { return wordyLiterals(e.expression); }
  if (ts.isConditionalExpression(e)) { return [...wordyLiterals(e.whenTrue), ...wordyLiterals(e.whenFalse)]; }
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === ts.SyntaxKind.PlusToken || k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.BarBarToken) {
      return [...wordyLiterals(e.left), ...wordyLiterals(e.right)];
    }
    if (k === ts.SyntaxKind.AmpersandAmpersandToken) { return wordyLiterals(e.right); }
  }
  if (ts.isArrayLiteralExpression(e)) { return e.elements.flatMap((x) => wordyLiterals(x)); }
  return [];
}

function calleeName(c: ts.CallExpression): string | undefined {
  if (ts.isIdentifier(c.expression)) { return c.expression.text; }
  if (ts.isPropertyAccessExpression(c.expression)) { return c.expression.name.text; }
  return undefined;
}

/** Every place in `source` (a page module's text) where a literal with letters is shown to the user. */
export function literalTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, value: ts.Expression) => {
    const texts = wordyLiterals(value);
    if (texts.length === 0) { return; }
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push(`${path.relative(ROOT, file)}:${line + 1}: ${texts.map((t) => JSON.stringify(t)).join(' … ')}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.EqualsToken || node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken)
      && ts.isPropertyAccessExpression(node.left) && TEXT_PROPERTIES.has(node.left.name.text)) {
      report(node, node.right);
    } else if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name === 'setAttribute' && node.arguments.length === 2 && ts.isStringLiteral(node.arguments[0]) && TEXT_ATTRIBUTES.has(node.arguments[0].text)) {
        report(node, node.arguments[1]);
      } else if (name !== undefined && name in TEXT_ARGUMENTS && node.arguments[TEXT_ARGUMENTS[name]]) {
        report(node, node.arguments[TEXT_ARGUMENTS[name]]);
      }
    } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && TEXT_KEYS.has(node.name.text)) {
      report(node, node.initializer);
    } else if (ts.isPropertyAssignment(node) && ts.isComputedPropertyName(node.name)) {
      report(node, node.initializer); // a table of words by kind: { [EventKind.Nap]: 'nap' }
    } else if (ts.isReturnStatement(node) && node.expression) {
      report(node, node.expression); // a function that makes the words for a hover, a label, a name
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function pageModules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) { return pageModules(p); }
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') && d.name !== 'strings.ts' ? [p] : [];
  });
}

test('webview page modules take every word they show from their strings module', () => {
  const modules = pageModules(WEBVIEW);
  assert.ok(modules.length > 20, `expected the page modules under src/webview, found ${modules.length}`);
  const found = modules.flatMap((f) => literalTexts(f, fs.readFileSync(f, 'utf8')));
  assert.deepEqual(found, [], 'these texts belong in the page\'s strings.ts (parameterised sentences as functions there)');
});

test('the scan catches each kind of shown literal (so the test above can fail)', () => {
  const caught = (src: string) => literalTexts(path.join(WEBVIEW, 'timeline', 'probe.ts'), src).length;
  assert.equal(caught("dom.status.textContent = 'Selection cleared.';"), 1);
  assert.equal(caught('dom.status.textContent = `Line ${n} has no event`;'), 1);
  assert.equal(caught("b.title = ok ? T.fit : 'Fit the run';"), 1);
  assert.equal(caught("b.setAttribute('aria-label', `Grant ${name}`);"), 1);
  assert.equal(caught("row.append(el('span', '', 'Explain'));"), 1);
  assert.equal(caught("iconButton('play', 'Play / pause', go);"), 1);
  assert.equal(caught("ctx.fillText('event order', 8, 12);"), 1);
  assert.equal(caught("setOptions(sel, [{ value: 'time', label: 'real time' }], 'time');"), 1);
  assert.equal(caught("out.push(`message ${v}`);"), 1);
  assert.equal(caught("h.textContent += ` — compared with ${x}`;"), 1);
  assert.equal(caught("const W = { [EventKind.Nap]: 'nap' }; function f() { return `${d} idle`; }"), 2);
  assert.equal(caught("return { slot, info: [`queue depth ${d}`, T.at(at)] };"), 1);
  // What is not shown words: class names, attribute values that are not text, the strings module's texts.
  assert.equal(caught("const row = el('div', `verdict ${ok ? 'ok' : 'bad'}`); row.setAttribute('role', 'status');"), 0);
  assert.equal(caught("dom.status.textContent = T.aligned(s.align === 'first' ? 'a' : 'b'); b.title = T.grantTitle(name);"), 0);
  assert.equal(caught("el('td', 'num', String(n)); el('td', 'num', `${n}%`); label.title = x ?? '';"), 0);
  assert.equal(caught("return `rgba(${r}, ${g}, ${b}, ${a})`;"), 0);
});
