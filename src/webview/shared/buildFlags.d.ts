/**
 * Flags the build (scripts/build.mjs) writes into the webview bundles as constants.
 * __TEST__: true only in the test build of a page (out/webview), so its test hooks are left out
 * of the packaged bundle (dist/webview) entirely.
 */
declare const __TEST__: boolean;
