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
// so a test that spawns evsend while a build runs never reads half a file. bin/evsend.js loads
// each through bin/code-cache.js, with V8's code cache kept between runs (keyed on the build id
// each file starts with).
import { build } from "esbuild";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const outdir = join(root, "dist");
const require = createRequire(import.meta.url);

const escapeRegExp = (text) => text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");

/**
 * Every rewrite below (a patch, a stand-in, a path left out of undici, a vendor module) records
 * its name here when it applies. A dependency update or a change in src/ can make a rewrite's
 * pattern match nothing, and the dependency is then bundled as it is, costing start-up time with
 * no error: checkRewritesApplied fails the build instead, after bundling and before dist/ is
 * written, naming each rewrite that never applied.
 */
const applied = new Set();
const rewrites = [];

/** Declares a rewrite by name (with how to update it) and returns a function that marks it applied. */
function rewrite(name, hint) {
  rewrites.push({ name, hint });
  return () => applied.add(name);
}

function checkRewritesApplied() {
  const missed = rewrites.filter(({ name }) => !applied.has(name));
  if (missed.length === 0) return;
  throw new Error(
    "esbuild.config.js: these rewrites applied to nothing in this build:\n" +
      missed.map(({ name, hint }) => `  ${name}\n    hint: ${hint}`).join("\n") +
      "\nUpdate each entry in esbuild.config.js to what the code imports now, or remove it if" +
      " the import is gone for good (the comment above its list says what it saves).",
  );
}

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
    exports: { Agent: "function", EnvHttpProxyAgent: "function" },
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

const vendorApplied = Object.fromEntries(
  Object.keys(VENDOR).map((name) => [
    name,
    {
      imported: rewrite(
        `vendor ${name}: imported by src/`,
        `src/ no longer imports "${name}": remove it from VENDOR, or fix vendorModules' filter`,
      ),
      external: rewrite(
        `vendor ${name}: ./vendor/${name}.cjs required at run time`,
        "vendorModules' `./vendor/` filter no longer matches the require() its modules hold",
      ),
    },
  ]),
);

/**
 * In the main bundle, `import … from "<vendor>"` (static or `await import()`) resolves to an ES
 * module that requires ./vendor/<name>.cjs when it is first evaluated and exports its declared
 * names as they are: as lazy as a plain require, with no interop helper in between.
 */
const vendorModules = {
  name: "vendor-modules",
  setup(build) {
    const names = Object.keys(VENDOR).map((name) => name.replace(/-/g, "\\-"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => {
      vendorApplied[args.path].imported();
      return { path: args.path, namespace: "vendor" };
    });
    build.onResolve({ filter: /^\.\/vendor\// }, (args) => {
      if (args.namespace !== "vendor") return undefined;
      vendorApplied[/^\.\/vendor\/(.*)\.cjs$/.exec(args.path)?.[1]]?.external();
      return { path: args.path, external: true };
    });
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

const HTTP2_CONSTANTS = JSON.parse(
  await readFile(join(root, "src", "transport", "undici-http2-constants.json"), "utf8"),
);

/**
 * What client-h2.js must still do for its patch to hold: read exactly the constants in
 * HTTP2_CONSTANTS, by destructuring, and nothing of node:http2 but those and connect().
 */
function checkHttp2Uses(source) {
  const destructured = /const \{\s*constants: \{([^}]*)\}\s*\} = http2\b/.exec(source);
  if (!destructured)
    return "no longer reads node:http2's constants as `const { constants: { … } } = http2`";
  const names = destructured[1]
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const held = Object.keys(HTTP2_CONSTANTS);
  if (names.sort().join() !== held.sort().join()) {
    return (
      `reads the http2 constants ${names.join(", ")}; src/transport/undici-http2-constants.json ` +
      `holds ${held.join(", ")}: make it hold exactly the ones read, with node:http2's values`
    );
  }
  const others = [...source.matchAll(/\bhttp2\.(\w+)/g)].map((match) => match[1]);
  const unknown = others.filter((name) => name !== "connect");
  if (unknown.length > 0)
    return `uses http2.${unknown.join(", http2.")}, which the patch does not provide`;
  return undefined;
}

/**
 * What client.js must still do for its patch to hold: read nothing of node:http but maxHeaderSize.
 */
function checkHttpUses(source) {
  const others = [...source.matchAll(/\bhttp\.(\w+)/g)].map((match) => match[1]);
  const unknown = others.filter((name) => name !== "maxHeaderSize");
  if (unknown.length > 0)
    return `uses http.${unknown.join(", http.")}, which the patch does not provide`;
  return undefined;
}

/**
 * Work that dependencies do when they are evaluated (mostly loading Node built-ins) for features
 * evsend never turns on or a one-off run barely uses: it costs every run. Each patch replaces
 * statements (`edits`, each a [from, to] pair) with code that does it on first use; a patch
 * whose statement is not found fails the build, so a dependency update cannot silently undo it.
 */
const PATCHES = [
  {
    // commander spawns executables only for stand-alone subcommands (evsend has none).
    file: /node_modules[\\/]commander[\\/]lib[\\/]command\.js$/,
    edits: [
      [
        "const childProcess = require('node:child_process');",
        "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      ],
    ],
  },
  {
    // undici's HTTP/2 client loads node:http2 (and with it node:tls and node:crypto) only to read
    // protocol constants; evsend never enables HTTP/2 (allowH2), so connect() is never called.
    // The constants are the few it reads, from src/transport/undici-http2-constants.json (a test
    // checks them against node:http2 on the running Node), never a snapshot of the Node that
    // runs the build.
    file: /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/,
    edits: [
      [
        "http2 = require('node:http2')",
        `http2 = { constants: ${JSON.stringify(HTTP2_CONSTANTS)}, connect: (...args) => require('node:http2').connect(...args) }`,
      ],
    ],
    check: checkHttp2Uses,
  },
  {
    // undici loads node:http (its client, server and agent: 3-4 ms of a one-off run on Node 24)
    // for two things: the default of maxHeaderSize, which evsend always passes
    // (src/transport/client.ts), and, in util.destroy, to tell an http.IncomingMessage body
    // apart, which evsend never sends. Both load node:http when they are reached, not before.
    file: /node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    edits: [
      ["const http = require('node:http')", "const http = null"],
      [
        `const getDefaultNodeMaxHeaderSize = http &&
  http.maxHeaderSize &&
  Number.isInteger(http.maxHeaderSize) &&
  http.maxHeaderSize > 0
  ? () => http.maxHeaderSize
  : () => { throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid') }`,
        `const getDefaultNodeMaxHeaderSize = () => {
  const { maxHeaderSize } = require('node:http')
  if (Number.isInteger(maxHeaderSize) && maxHeaderSize > 0) return maxHeaderSize
  throw new InvalidArgumentError('http module not available or http.maxHeaderSize invalid')
}`,
      ],
    ],
    check: checkHttpUses,
  },
  {
    file: /node_modules[\\/]undici[\\/]lib[\\/]core[\\/]util\.js$/,
    edits: [
      ["const { IncomingMessage } = require('node:http')\n", ""],
      [
        "if (Object.getPrototypeOf(stream).constructor === IncomingMessage) {",
        "if (Object.getPrototypeOf(stream).constructor?.name === 'IncomingMessage' &&\n" +
          "      Object.getPrototypeOf(stream).constructor === require('node:http').IncomingMessage) {",
      ],
    ],
    check: (source) =>
      source.match(/\bIncomingMessage\b/g)?.length === 2
        ? undefined
        : "uses IncomingMessage somewhere the patch does not cover",
  },
  {
    // undici builds a search tree of about 100 well-known header names when it is loaded, only to
    // turn response header names into strings a little faster than Buffer#toString does. A run
    // that reads a few responses reads a few dozen names: the tree is built at the 256th lookup
    // instead, and until then every name takes the fallback undici already has, which gives the
    // same string (test/unit/undici-header-names.test.ts).
    file: /node_modules[\\/]undici[\\/]lib[\\/]core[\\/]tree\.js$/,
    edits: [
      [
        `const tree = new TernarySearchTree()

for (let i = 0; i < wellknownHeaderNames.length; ++i) {
  const key = headerNameLowerCasedRecord[wellknownHeaderNames[i]]
  tree.insert(key, key)
}
`,
        `let built = null
let lookups = 0
const tree = {
  lookup (key) {
    if (built === null) {
      if (++lookups <= 256) return null
      built = new TernarySearchTree()
      for (let i = 0; i < wellknownHeaderNames.length; ++i) {
        const name = headerNameLowerCasedRecord[wellknownHeaderNames[i]]
        built.insert(name, name)
      }
    }
    return built.lookup(key)
  }
}
`,
      ],
    ],
  },
];

const patchApplied = PATCHES.map((patch) =>
  rewrite(
    `patch ${patch.file}: ${patch.edits[0][0].split("\n")[0]}`,
    "no bundled file's path matches the patch's `file` (renamed or moved in its package?)",
  ),
);

const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    for (const [index, patch] of PATCHES.entries()) {
      build.onLoad({ filter: patch.file }, async (args) => {
        const original = await readFile(args.path, "utf8");
        const problem = patch.check?.(original);
        if (problem) throw new Error(`${args.path} ${problem} (update esbuild.config.js)`);
        let source = original;
        for (const [from, to] of patch.edits) {
          if (!source.includes(from)) {
            throw new Error(`${args.path} no longer holds: ${from} (update esbuild.config.js)`);
          }
          source = source.replace(from, to);
        }
        patchApplied[index]();
        return { contents: source, loader: "js" };
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
    name: "node:module imported by src/",
    // In the CommonJS bundle, `createRequire(import.meta.url)` is the bundle's own require:
    // node:module (which loads part of Node's ES module loader) is needed only for other paths.
    module: /^node:module$/,
    // evsend's own src/ only: a dependency's createRequire must resolve from its own files.
    importer: new RegExp(`^${escapeRegExp(join(root, "src") + sep)}`),
    contents: `export function createRequire(from) {
      return from === __evsendModule.url ? require : require("node:module").createRequire(from);
    }`,
  },
  {
    name: "node:assert imported by undici",
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
  {
    name: "chalk's supports-color in the main bundle",
    // chalk detects the terminal's colours when it loads (node:tty, and with it node:net and the
    // streams, before evsend has decided anything), for its default instances only. evsend never
    // uses those: every Chalk it makes is given its level (src/output/output.ts colorLevel for
    // messages, 1 for help, which commander strips where the stream has no colours). In the
    // main bundle only: ora's own chalk (dist/vendor/ora.cjs) keeps its detection.
    module: /^#supports-color$/,
    importer: /node_modules[\\/]chalk[\\/]source[\\/]index\.js$/,
    mainOnly: true,
    contents: "export default { stdout: false, stderr: false };",
  },
];

const standInApplied = STAND_INS.map((standIn) =>
  rewrite(
    `stand-in ${standIn.name}`,
    `no import matching ${standIn.module} from a file matching ${standIn.importer}`,
  ),
);

/** The stand-ins plugin of the main bundle (`main`) or of a vendor file. */
const standIns = (main) => ({
  name: "stand-ins",
  setup(build) {
    STAND_INS.forEach((standIn, index) => {
      if (standIn.mainOnly && !main) return;
      build.onResolve({ filter: standIn.module }, (args) => {
        if (!standIn.importer.test(args.importer)) return undefined;
        standInApplied[index]();
        return { path: String(index), namespace: "stand-in" };
      });
    });
    build.onLoad({ filter: /.*/, namespace: "stand-in" }, (args) => ({
      contents: STAND_INS[Number(args.path)].contents,
      resolveDir: root,
      loader: "js",
    }));
  },
});

/**
 * Parts of undici that its dispatcher requires only on paths evsend never takes: FormData bodies
 * (fetch's body code, a third of the bundle) and the WebAssembly HTTP parser for machines without
 * SIMD. They are left out of dist/vendor/undici.cjs, so that a one-off run does not parse them,
 * and required from the installed undici package if ever needed.
 */
const UNDICI_UNUSED = ["web/fetch/body.js", "llhttp/llhttp-wasm.js"];

const undiciUnusedApplied = Object.fromEntries(
  UNDICI_UNUSED.map((path) => [
    path,
    rewrite(
      `undici-unused ${path}`,
      `undici/lib/dispatcher/ no longer requires ../${path}: find what it requires instead`,
    ),
  ]),
);

const undiciUnused = {
  name: "undici-unused",
  setup(build) {
    const paths = UNDICI_UNUSED.map(escapeRegExp);
    build.onResolve({ filter: new RegExp(`^\\.\\./(${paths.join("|")})$`) }, (args) => {
      if (!/node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]/.test(args.importer)) {
        return undefined;
      }
      undiciUnusedApplied[args.path.slice(3)]();
      return { path: `undici/lib/${args.path.slice(3)}`, external: true };
    });
  },
};

/**
 * Each bundle file starts with its build id, a hash of its contents, which bin/code-cache.js keys
 * its code cache on (V8 itself tells sources apart only by their length). The placeholder has the
 * id's length, so replacing it moves nothing the source map points at.
 */
const BUILD_ID_PLACEHOLDER = `/*evsend-build:${"0".repeat(16)}*/`;

/**
 * A built file with its build id in place. Fails the build when the file is not ASCII:
 * bin/code-cache.js reads it as latin1 (faster than utf8, and the same for ASCII); esbuild
 * escapes whatever is not (its default charset), and minifying drops the comments.
 */
function withBuildId(file) {
  if (!file.path.endsWith(".cjs")) return file;
  const text = file.text;
  // eslint-disable-next-line no-control-regex -- every character that is not ASCII
  const at = /[^\x00-\x7f]/.exec(text);
  if (at)
    throw new Error(
      `${file.path}: not ASCII at ${at.index}: ${JSON.stringify(text.slice(at.index, at.index + 40))}`,
    );
  if (!text.startsWith(BUILD_ID_PLACEHOLDER)) throw new Error(`${file.path}: no build id`);
  const id = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const contents = Buffer.from(text.replace("0".repeat(16), id), "latin1");
  return { path: file.path, contents };
}

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // Whitespace, comments and syntax only: names stay (stack traces, commander's error names).
  // 615 -> 417 KB for V8 to read and hash, and no comment with a character that is not ASCII.
  minifyWhitespace: true,
  minifySyntax: true,
  // --verbose stack traces point at src/ (bin/evsend.js enables source maps for -v).
  sourcemap: "linked",
  sourcesContent: false,
  // import() of a vendor file becomes require(): no ES module loader at run time.
  supported: { "dynamic-import": false },
  // src/ is ES modules: import.meta.url is the bundle's own URL, as each file's is under tsx,
  // made when it is first read (few runs read it). The version is the package's at build time:
  // no package.json to read on every run.
  define: {
    "import.meta.url": "__evsendModule.url",
    __EVSEND_VERSION__: JSON.stringify(
      JSON.parse(await readFile(join(root, "package.json"), "utf8")).version,
    ),
  },
  // BUILD_ID_PLACEHOLDER becomes the file's build id once it is built (withBuildId).
  banner: {
    js: `${BUILD_ID_PLACEHOLDER}var __evsendModule = { get url() { return require("node:url").pathToFileURL(__filename).href; } };`,
  },
  plugins: [lazyBuiltins, undiciUnused],
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
      plugins: [...common.plugins, standIns(false)],
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
    plugins: [...common.plugins, standIns(true), vendorModules],
  }),
]);

checkRewritesApplied();

const entry = join(outdir, "evsend.cjs");
const files = [
  ...builds.flatMap((result) => result.outputFiles).map(withBuildId),
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
