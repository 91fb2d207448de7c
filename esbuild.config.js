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
import { Buffer } from "node:buffer";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const outdir = join(root, "dist");
const require = createRequire(import.meta.url);

/**
 * The dependencies bundled on their own, by the name evsend imports them with, each with the
 * shape evsend's code expects of it: every export it uses and what `typeof` must say of it
 * (`default.isDynamicPattern`: a property of the default export). undici is its dispatcher part
 * only (src/transport/undici-dispatcher.js says why).
 *
 * A vendor file exports exactly these names, and the main bundle imports it through a small ES
 * module that reads them off by name (vendorModules below) — never through esbuild's CommonJS
 * interop, whose `default` for an ES-module-only package (ora) in a `"type": "module"` importer is
 * the module object, not its default export. The build fails when src/ imports a name a vendor
 * does not declare (esbuild: no matching export), or when a built vendor file's exports are not
 * the declared shape (checkVendorShapes, after the build).
 */
const VENDOR = {
  undici: {
    entry: "./src/transport/undici-dispatcher.js",
    exports: { EnvHttpProxyAgent: "function" },
  },
  ora: { entry: "ora", exports: { default: "function" } },
  "fast-glob": {
    entry: "fast-glob",
    exports: { default: "function", "default.isDynamicPattern": "function" },
  },
  "csv-parse": { entry: "csv-parse", exports: { parse: "function", CsvError: "function" } },
  micromatch: {
    entry: "micromatch",
    exports: { default: "function", "default.matcher": "function" },
  },
};

/** The top-level export names of a vendor (`default` for `default.matcher`). */
const exportNames = (name) => [
  ...new Set(Object.keys(VENDOR[name].exports).map((path) => path.split(".")[0])),
];

/** A vendor file's source: re-exports the declared names of its package, nothing else. */
const vendorEntry = (name) =>
  `export { ${exportNames(name).join(", ")} } from ${JSON.stringify(VENDOR[name].entry)};`;

/**
 * In the main bundle, `import … from "<vendor>"` (static or `await import()`) resolves to an ES
 * module that requires ./vendor/<name>.cjs when it is first evaluated and exports its declared
 * names as they are: as lazy as a plain require, with no interop helper in between.
 */
const vendorModules = {
  name: "vendor-modules",
  setup(build) {
    const names = Object.keys(VENDOR).map((name) => name.replace(/-/g, "\\-"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({
      path: args.path,
      namespace: "vendor",
    }));
    build.onResolve({ filter: /^\.\/vendor\// }, (args) =>
      args.namespace === "vendor" ? { path: args.path, external: true } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
      contents: [
        `const vendor = require(${JSON.stringify(`./vendor/${args.path}.cjs`)});`,
        ...exportNames(args.path).map((name) =>
          name === "default"
            ? "export default vendor.default;"
            : `export const ${name} = vendor.${name};`,
        ),
      ].join("\n"),
      loader: "js",
    }));
  },
};

/** Fails the build when a built vendor file does not export what VENDOR declares. */
function checkVendorShapes() {
  const problems = [];
  for (const [name, { exports }] of Object.entries(VENDOR)) {
    const file = join(outdir, "vendor", `${name}.cjs`);
    delete require.cache[file];
    const vendor = require(file);
    for (const [path, type] of Object.entries(exports)) {
      const value = path.split(".").reduce((object, key) => object?.[key], vendor);
      if (typeof value !== type) problems.push(`${name}: ${path} is ${typeof value}, not ${type}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`vendor files are not the shape evsend expects:\n  ${problems.join("\n  ")}`);
  }
}

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
  metafile: true,
  logLevel: "warning",
};

/**
 * dist/THIRD-PARTY-NOTICES.txt: the name, version, licence and licence text of every package
 * whose code is in a bundle (found in the builds' metafiles), as their licences ask of a copy.
 */
async function thirdPartyNotices(results) {
  const packages = new Map();
  for (const input of results.flatMap((result) => Object.keys(result.metafile.inputs))) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match && !packages.has(match[1])) packages.set(match[1], join(root, match[1]));
  }
  const notices = [];
  for (const dir of [...packages.values()].sort()) {
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    const names = await readdir(dir);
    const licenceFile = names.find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    if (!licenceFile) throw new Error(`${pkg.name}: no licence file to ship with the bundle`);
    const text = (await readFile(join(dir, licenceFile), "utf8")).trim();
    notices.push(`${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  return {
    path: join(outdir, "THIRD-PARTY-NOTICES.txt"),
    contents: Buffer.from(
      "evsend's bundles (dist/) contain code of these packages, under these licences.\n\n" +
        notices.join(`\n${"-".repeat(78)}\n\n`),
    ),
  };
}

if (process.argv.includes("--clean")) await rm(outdir, { recursive: true, force: true });

const builds = await Promise.all([
  ...Object.keys(VENDOR).map((name) =>
    build({
      ...common,
      stdin: {
        contents: vendorEntry(name),
        resolveDir: root,
        sourcefile: `vendor-${name}.mjs`,
      },
      outfile: join(outdir, "vendor", `${name}.cjs`),
    }),
  ),
  build({
    ...common,
    entryPoints: ["src/cli.ts"],
    outfile: join(outdir, "evsend.cjs"),
    plugins: [...common.plugins, vendorModules],
  }),
]);

const entry = join(outdir, "evsend.cjs");
const files = [
  ...builds.flatMap((result) => result.outputFiles),
  await thirdPartyNotices(builds),
].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of files) {
  // The vendor files are all in place when the entry point comes: check them before it is.
  if (file.path === entry) checkVendorShapes();
  await mkdir(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents);
  await rename(temporary, file.path);
}
