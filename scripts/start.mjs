// `npm start`: open VS Code with Shout/Hear loaded (after `npm run build`).
//  - desktop `code` on PATH: a new window with the extension under development;
//  - otherwise: a browser VS Code served on 127.0.0.1 by the offline host beside the project
//    (../shared/vscode-host), whose URL is printed. Ctrl+C stops it.
import { spawn, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspace = path.join(root, 'test', 'fixtures', 'workspace');
const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;

if (hasCode && !process.env.SHOUT_HEAR_BROWSER) {
  console.log('Opening VS Code with Shout/Hear loaded; run "Shout/Hear: Run Shout/Hear" from the Command Palette.');
  spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
} else {
  const host = process.env.VSCODE_HOST_SCRIPT ?? path.resolve(root, '..', 'shared', 'vscode-host', 'run-extension-tests');
  if (!existsSync(host)) {
    console.error(`No desktop \`code\` on PATH and no offline VS Code host at ${host}.\nInstall VS Code, or set VSCODE_HOST_SCRIPT to a run-extension-tests script.`);
    process.exit(1);
  }
  const port = process.env.PORT ?? '0';
  const server = spawn('bash', [host, '--serve', '--extensionDevelopmentPath', root, '--workspace', workspace,
    ...(port !== '0' ? ['--port', port] : []), '--timeout', '86400'], { stdio: ['ignore', 'pipe', 'inherit'] });
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (text) => {
    for (const line of text.split('\n')) {
      if (line.startsWith('URL ')) {
        console.log(`\nShout/Hear is loaded in a browser VS Code. Open this URL (the whole of it):\n\n  ${line.slice(4)}\n\nThen run "Shout/Hear: Run Shout/Hear" from the Command Palette (F1). Ctrl+C stops the server.`);
      } else if (line.trim()) { console.log(line); }
    }
  });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
}
