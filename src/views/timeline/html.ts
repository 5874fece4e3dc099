/** The Timeline webview's page: CSP with a nonce, only the bundled script, styles and font. */
import { randomBytes } from 'crypto';

export interface PageUris {
  cspSource: string;
  script: string;
  style: string;
}

export function newNonce(): string { return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, ''); }

/** The page: no data of any run is in it (that comes by message, set as text). */
export function timelineHtml(uris: PageUris, nonce = newNonce()): string {
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
<title>Shout/Hear Timeline</title>
</head>
<body>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
