// `npm run build` (node esbuild.config.js): bundles evsend with esbuild into dist/ (README:
// Performance). Type checking is `npm run typecheck` (tsc); esbuild only strips types.
//
//   dist/evsend.cjs        src/cli.ts with all of evsend's own code, commander and chalk
//   dist/vendor/<name>.cjs each larger dependency that only some commands use, bundled alone
//                          and loaded by require() when first needed (undici on the first
//                          request, ora for a spinner, fast-glob for a glob, csv-parse for CSV)
//
// CommonJS, not ES modules: Node 20 loads one CommonJS file without starting its ES module loader
// (resolving, reading and linking each module asynchronously), which was a fifth of a one-off
// run. A vendor file holds one package and its own dependencies, never evsend's code, so no
// module of evsend exists twice. `--clean` (prepack) first empties dist/, so a package ships
// exactly one build. Each file is written whole and renamed into place, the entry point last,
// so a test that spawns evsend while a build runs never reads half a file.
import { build } from "esbuild";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const outdir = join(root, "dist");
const require = createRequire(import.meta.url);

/**
 * The dependencies bundled on their own, by the name evsend imports them with. undici is its
 * dispatcher part only (src/transport/undici-dispatcher.js says why).
 */
const VENDOR = {
  undici: "./src/transport/undici-dispatcher.js",
  ora: "ora",
  "fast-glob": "fast-glob",
  "csv-parse": "csv-parse",
};

/** In the main bundle, `import … from "<vendor>"` becomes require("./vendor/<name>.cjs"). */
const vendorExternal = {
  name: "vendor-external",
  setup(build) {
    const names = Object.keys(VENDOR).map((name) => name.replace(/-/g, "\\-"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({
      path: `./vendor/${args.path}.cjs`,
      external: true,
    }));
  },
};

/**
 * Node built-ins that dependencies load when they are evaluated but use only in features evsend
 * never turns on: loading them costs every run. Each patch replaces one statement with an object
 * that loads the module on first use; a patch whose statement is not found fails the build, so a
 * dependency update cannot silently undo it.
 */
const PATCHES = [
  {
    // commander spawns executables only for stand-alone subcommands (evsend has none).
    file: /node_modules[\\/]commander[\\/]lib[\\/]command\.js$/,
    from: "const childProcess = require('node:child_process');",
    to: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  },
  {
    // undici's HTTP/2 client loads node:http2 (and with it node:tls and node:crypto) only to read
    // protocol constants; evsend never enables HTTP/2 (allowH2), so connect() is never called.
    file: /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/,
    from: "http2 = require('node:http2')",
    to: `http2 = { constants: ${JSON.stringify(require("node:http2").constants)}, connect: (...args) => require('node:http2').connect(...args) }`,
  },
];

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    for (const patch of PATCHES) {
      build.onLoad({ filter: patch.file }, async (args) => {
        const source = await readFile(args.path, "utf8");
        if (!source.includes(patch.from)) {
          throw new Error(`${args.path} no longer holds: ${patch.from} (update esbuild.config.js)`);
        }
        return { contents: source.replace(patch.from, patch.to), loader: "js" };
      });
    }
  },
};

/**
 * Stand-ins for two Node built-ins, resolved by importer: each replaces a module whose loading
 * costs every run milliseconds with a few lines that give the same result.
 */
const STAND_INS = [
  {
    // In the CommonJS bundle, `createRequire(import.meta.url)` is the bundle's own require:
    // node:module (which loads part of Node's ES module loader) is needed only for other paths.
    module: /^node:module$/,
    // evsend's own src/ only: a dependency's createRequire must resolve from its own files.
    importer: new RegExp(`^${(join(root, "src") + sep).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}`),
    contents: `export function createRequire(from) {
      return from === __evsendModuleUrl ? require : require("node:module").createRequire(from);
    }`,
  },
  {
    // undici checks its own invariants with assert(value); node:assert loads Node's assertion
    // machinery although a check that holds needs none of it. The real module is loaded when a
    // check fails (to throw its AssertionError) or for anything but a plain call.
    module: /^(node:)?assert$/,
    importer: /node_modules[\\/]undici[\\/]/,
    contents: `const real = () => require("node:assert");
    function assert(value, message) {
      if (!value) real()(value, message);
    }
    module.exports = new Proxy(assert, { get: (target, key) => (key in target ? target[key] : real()[key]) });`,
  },
];

const standIns = {
  name: "stand-ins",
  setup(build) {
    STAND_INS.forEach((standIn, index) => {
      build.onResolve({ filter: standIn.module }, (args) =>
        standIn.importer.test(args.importer)
          ? { path: String(index), namespace: "stand-in" }
          : undefined,
      );
    });
    build.onLoad({ filter: /.*/, namespace: "stand-in" }, (args) => ({
      contents: STAND_INS[Number(args.path)].contents,
      resolveDir: root,
      loader: "js",
    }));
  },
};

/**
 * Parts of undici that its dispatcher requires only on paths evsend never takes: FormData bodies
 * (fetch's body code, a third of the bundle) and the WebAssembly HTTP parser for machines without
 * SIMD. They are left out of dist/vendor/undici.cjs, so that a one-off run does not parse them,
 * and required from the installed undici package if ever needed.
 */
const undiciUnused = {
  name: "undici-unused",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(web\/fetch\/body|llhttp\/llhttp-wasm)\.js$/ }, (args) =>
      /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]/.test(args.importer)
        ? { path: `undici/lib/${args.path.slice(3)}`, external: true }
        : undefined,
    );
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // --verbose stack traces point at src/ (bin/evsend.js enables source maps for -v).
  sourcemap: "linked",
  sourcesContent: false,
  // import() of a vendor file becomes require(): no ES module loader at run time.
  supported: { "dynamic-import": false },
  // src/ is ES modules: import.meta.url is the bundle's own URL, as each file's is under tsx.
  define: { "import.meta.url": "__evsendModuleUrl" },
  banner: { js: 'var __evsendModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyBuiltins, standIns, undiciUnused],
  write: false,
  logLevel: "warning",
};

if (process.argv.includes("--clean")) await rm(outdir, { recursive: true, force: true });

const builds = await Promise.all([
  ...Object.entries(VENDOR).map(([name, entry]) =>
    build({
      ...common,
      stdin: {
        contents: `module.exports = require(${JSON.stringify(entry)});`,
        resolveDir: root,
        sourcefile: `vendor-${name}.cjs`,
      },
      outfile: join(outdir, "vendor", `${name}.cjs`),
    }),
  ),
  build({
    ...common,
    entryPoints: ["src/cli.ts"],
    outfile: join(outdir, "evsend.cjs"),
    plugins: [...common.plugins, vendorExternal],
  }),
]);

const entry = join(outdir, "evsend.cjs");
const files = builds
  .flatMap((result) => result.outputFiles)
  .sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of files) {
  await mkdir(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents);
  await rename(temporary, file.path);
}
