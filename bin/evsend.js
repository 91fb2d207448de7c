#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry point without its ES module loader,
// and dist/evsend.cjs is one CommonJS bundle (esbuild.config.js, README: Performance).
"use strict";
const { isAbsolute, join } = require("node:path");

const args = process.argv.slice(2);
// The run's first two words (`devo send`; none for --help): which commands' code a cache holds.
const command = args
  .filter((arg) => !arg.startsWith("-"))
  .slice(0, 2)
  .join(" ");

// V8 flags for a process that sends a few requests and ends, on Node 20 (V8 11.3). undici parses
// HTTP responses with WebAssembly; there V8 compiles it twice, quickly (Liftoff) and then
// optimized (TurboFan) on background threads, and a process that is done still waits for that
// second compilation (100 ms and more of CPU after the last response: a one-off send took 2.6x
// as long without them). Liftoff's code is plenty for parsing a few small responses. Node 22 and
// 24 need none (a send measured 0.94-0.95x without them). Set only for a run that may send: one
// whose first word is not one of evsend's commands that never send (--help and --version have
// none), as loading node:v8 costs a run about a tenth of Node's own start-up (it loads Node's
// streams). In the CLI's own process only (the in-process tests, which call `run`, keep V8's
// defaults). V8 keeps a code cache only for the flags it was made with: these runs keep theirs
// apart (bin/code-cache.js).
const NEVER_SEND = new Set(["", "help", "completion", "emulate"]);
const liftoff =
  Number(process.versions.node.split(".")[0]) < 22 && !NEVER_SEND.has(command.split(" ")[0]);
if (liftoff) require("node:v8").setFlagsFromString("--liftoff-only --no-wasm-tier-up");

// Stack traces (printed with --verbose only) point at src/ through the bundle's source maps.
// Enabled only then: reading the maps would cost every other run start-up time.
const verbose = args.some((arg) => arg === "--verbose" || /^-[a-z]*v[a-z]*$/i.test(arg));
if (verbose) process.setSourceMapsEnabled(true);

/**
 * The compiled code of the bundle is kept in evsend's cache directory, as the Eventhos token
 * is: $XDG_CACHE_HOME/evsend/compile-cache (an absolute XDG_CACHE_HOME only), else
 * ~/.cache/evsend/compile-cache; a later run skips most of parsing and compiling it (the cache
 * every repeated cron or CI run profits from). Off with NODE_DISABLE_COMPILE_CACHE, as Node's
 * own, and for --verbose (Node maps stack traces only of code it loads itself). Where it cannot
 * be used evsend loads the bundle as usual and says nothing (bin/code-cache.js).
 */
function load(bundle) {
  if (verbose || process.env.NODE_DISABLE_COMPILE_CACHE) return require(bundle);
  const xdg = process.env.XDG_CACHE_HOME;
  // os.homedir() is $HOME where that is set: node:os only where it is not.
  const home = process.env.HOME || require("node:os").homedir();
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, ".cache");
  const { codeCacheLoader } = require("./code-cache.js");
  const dir = join(base, "evsend", "compile-cache");
  return codeCacheLoader(dir, command, liftoff ? "liftoff" : "").load(bundle, module);
}

const bundle = join(__dirname, "..", "dist", "evsend.cjs");
let cli;
try {
  cli = load(bundle);
} catch (error) {
  // A checkout that was never built (the package itself always holds dist/): say how to fix it.
  const missing =
    (error.code === "MODULE_NOT_FOUND" && error.requireStack?.[0] === __filename) ||
    (error.code === "ENOENT" && error.path === bundle);
  if (!missing) throw error;
  process.stderr.write(
    `error: evsend is not built: ${bundle} is missing\n` +
      `hint: run \`npm ci && npm run build\` in ${join(__dirname, "..")}\n`,
  );
  process.exitCode = 1;
}
cli?.main();
