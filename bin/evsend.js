#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry point without its ES module loader,
// and dist/evsend.cjs is one CommonJS bundle (esbuild.config.js, README: Performance).
"use strict";
const { join } = require("node:path");

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
