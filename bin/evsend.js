#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry point without its ES module loader,
// and dist/evsend.cjs is one CommonJS bundle (esbuild.config.js, README: Performance).
"use strict";
const { isAbsolute, join } = require("node:path");

// On Node >= 22, Node keeps the compiled code of the bundle (and of each vendor file, when first
// loaded) on disk, and a later run skips most of parsing and compiling it: the cache every
// repeated cron or CI run profits from. It lives in evsend's cache directory, as the Eventhos
// token does: $XDG_CACHE_HOME/evsend (an absolute XDG_CACHE_HOME only), else ~/.cache/evsend.
// Where it cannot be used (older Node, a directory that cannot be made or written, the cache
// disabled with NODE_DISABLE_COMPILE_CACHE) Node compiles as usual and says nothing.
function enableCompileCache() {
  // Not even asked on Node 20: loading node:module there brings the ES module loader along.
  if (Number(process.versions.node.split(".")[0]) < 22) return;
  const { enableCompileCache: enable } = require("node:module");
  if (typeof enable !== "function") return;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(require("node:os").homedir(), ".cache");
  try {
    enable(join(base, "evsend", "compile-cache"));
  } catch {
    // compiled as usual
  }
}
enableCompileCache();

// Stack traces (printed with --verbose only) point at src/ through the bundle's source maps.
// Enabled only then: reading the maps would cost every other run start-up time.
if (process.argv.slice(2).some((arg) => arg === "--verbose" || /^-[a-z]*v[a-z]*$/i.test(arg))) {
  process.setSourceMapsEnabled(true);
}

const bundle = join(__dirname, "..", "dist", "evsend.cjs");
let cli;
try {
  cli = require(bundle);
} catch (error) {
  // A checkout that was never built (the package itself always holds dist/): say how to fix it.
  if (error.code !== "MODULE_NOT_FOUND" || error.requireStack?.[0] !== __filename) throw error;
  process.stderr.write(
    `error: evsend is not built: ${bundle} is missing\n` +
      `hint: run \`npm ci && npm run build\` in ${join(__dirname, "..")}\n`,
  );
  process.exitCode = 1;
}
cli?.main();
