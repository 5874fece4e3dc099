/**
 * The HTML of our webview pages: a CSP of `default-src 'none'` with a nonce for the one bundled
 * script, styles, fonts and images from the bundled assets only. No data is in the page: it comes
 * by message and is set as text.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export interface PageUris {
  cspSource: string;
  script: string;
  style: string;
}

export function newNonce(): string { return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, ''); }

export function pageHtml(title: string, uris: PageUris, nonce = newNonce()): string {
  const csp = [
    "default-src 'none'",
    `style-src ${uris.cspSource}`,
    `font-src ${uris.cspSource}`,
    `img-src ${uris.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uris.style}">
<title>${title}</title>
</head>
<body>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}

/** Scripts on; local resources: only the bundled webview assets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}
