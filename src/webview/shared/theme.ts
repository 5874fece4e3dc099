/**
 * The VS Code theme as a page sees it: the `--vscode-*` variables on the body, read with a
 * fallback, and a signal when the user switches theme. Shared by every webview page.
 */

/** A reader of the body's theme variables: `v('--vscode-foreground', '#ccc')`. */
export type ThemeVar = (name: string, fallback: string) => string;

/** The current values (call again after a theme change: VS Code rewrites them in place). */
export function themeVars(): ThemeVar {
  const style = getComputedStyle(document.body);
  return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}

/** True under the high-contrast themes (dark or light), which VS Code marks with body classes. */
export function isHighContrast(): boolean {
  const c = document.body.classList;
  return c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light');
}

/** Calls fn when VS Code switches theme (it changes the body's classes and variables). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(fn).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}
