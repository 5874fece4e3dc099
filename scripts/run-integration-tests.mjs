// Runs the integration suite (test/integration, built to out/test/integration) inside a real
// VS Code extension host. Which host:
//   1. SHOUT_HEAR_VSCODE=/path/to/code (a desktop VS Code): @vscode/test-electron with it.
//   2. The offline host beside the project (../shared/vscode-host/run-extension-tests, or
//      VSCODE_HOST_SCRIPT): code-server + headless Chromium, no internet needed.
//   3. Otherwise @vscode/test-electron downloads VS Code (needs internet).
// If none can start, this fails (exit 1): the integration tests are never skipped.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testsPath = path.join(root, 'out', 'test', 'integration', 'index.js');
const workspace = path.join(root, 'test', 'fixtures', 'workspace');
const shots = path.join(root, 'out', 'shots');

if (!existsSync(testsPath)) {
  console.error(`integration tests: ${testsPath} is missing; run \`npm run build\` first`);
  process.exit(1);
}
mkdirSync(shots, { recursive: true });

async function viaTestElectron(vscodeExecutablePath) {
  const { runTests } = await import('@vscode/test-electron');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    launchArgs: [workspace, '--disable-extensions'],
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
  });
}

const offlineHost = process.env.VSCODE_HOST_SCRIPT ?? path.resolve(root, '..', 'shared', 'vscode-host', 'run-extension-tests');

try {
  if (process.env.SHOUT_HEAR_VSCODE) {
    console.log(`integration tests: @vscode/test-electron with ${process.env.SHOUT_HEAR_VSCODE}`);
    await viaTestElectron(process.env.SHOUT_HEAR_VSCODE);
  } else if (existsSync(offlineHost)) {
    console.log(`integration tests: offline VS Code host ${offlineHost}`);
    const r = spawnSync('bash', [offlineHost,
      '--extensionDevelopmentPath', root, '--extensionTestsPath', testsPath,
      '--workspace', workspace, '--shots', shots, '--timeout', '900'], { stdio: 'inherit' });
    if (r.status !== 0) { throw new Error(`the offline host exited with ${r.status ?? r.signal}`); }
  } else {
    console.log('integration tests: no offline host found; @vscode/test-electron will download VS Code');
    await viaTestElectron(undefined);
  }
} catch (err) {
  console.error(`integration tests FAILED: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
