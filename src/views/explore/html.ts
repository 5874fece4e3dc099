/** The Explore webview's page: CSP with a nonce, only the bundled script and styles; data comes by message. */
import { newNonce, type PageUris } from '../timeline/html';

export function exploreHtml(uris: PageUris, nonce = newNonce()): string {
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
<title>Shout/Hear Explore</title>
</head>
<body>
<script nonce="${nonce}" src="${uris.script}"></script>
</body>
</html>`;
}
