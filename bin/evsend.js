#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry point without its ES module loader,
// and dist/evsend.cjs is one CommonJS bundle (esbuild.config.js, README: Performance).
"use strict";
// Stack traces (printed with --verbose only) point at src/ through the bundle's source maps.
// Enabled only then: reading the maps would cost every other run start-up time.
if (process.argv.slice(2).some((arg) => arg === "--verbose" || /^-[a-z]*v[a-z]*$/i.test(arg))) {
  process.setSourceMapsEnabled(true);
}
require("../dist/evsend.cjs").main();
