#!/usr/bin/env node
// Stack traces (printed with --verbose only) point at src/ through the bundle's source maps.
// Enabled only then: reading the maps would cost every other run start-up time.
if (process.argv.slice(2).some((arg) => arg === "--verbose" || /^-[a-z]*v[a-z]*$/i.test(arg))) {
  process.setSourceMapsEnabled(true);
}
const { main } = await import("../dist/evsend.js");
await main();
