// The `vscode` module is the host project's alone. The other projects (pure, core, webview) map
// the name `vscode` to this file (compilerOptions.paths in tsconfig.base.json), which is not a
// module: an import of `vscode` from them fails to compile with "File '…/vscode-is-host-only.d.ts'
// is not a module". The host and the tests map nothing and get @types/vscode.
