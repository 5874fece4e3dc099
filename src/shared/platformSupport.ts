/**
 * Where Shout/Hear's processes can run. They need a named pipe (mkfifo) and process groups, so
 * Linux and macOS; on native Windows the message names the route that works today: open the
 * folder in WSL, a Dev Container, Codespaces or over Remote SSH, where the extension runs on
 * Linux (extensionKind "workspace"). Core: no `vscode`, so the CLI says the same.
 */

/** The message for a platform the runs cannot start on; undefined where they can. */
export function unsupportedPlatformMessage(platform: string, where: 'extension' | 'cli'): string | undefined {
  if (platform !== 'win32') { return undefined; }
  const route = where === 'extension'
    ? 'Open your folder in WSL (the WSL extension: "WSL: Connect to WSL"), in a Dev Container, in a GitHub Codespace, or on a Linux or macOS machine over Remote SSH: Shout/Hear then runs there, with the same commands and views (README: "Remote and Windows").'
    : 'Run it inside WSL (e.g. `wsl npx shout-hear`), or on a Linux or macOS machine.';
  return `Shout/Hear runs its processes on Linux and macOS (they need a named pipe, mkfifo); native Windows is not supported yet. ${route}`;
}
