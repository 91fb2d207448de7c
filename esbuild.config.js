// `npm run build` (node esbuild.config.js): bundles src/cli.ts and its dependencies into dist/evsend.js with esbuild.
// One file, plus chunks for what only some commands load, starts faster than ~60 modules and
// undici's ~100 files resolved one by one (README: Performance). Type checking is
// `npm run typecheck` (tsc); esbuild only strips types.
//
// `--clean` (prepack) first empties dist/, so a package ships exactly one build. Without it the
// build never removes what a running evsend may still load: chunks are named by content hash,
// and a process started from the previous dist/evsend.js imports the previous chunks lazily
// (tests spawn evsend while another build runs). Each file is written whole and renamed into
// place, the entry point last, so no process ever reads half a file.
import { build } from "esbuild";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const outdir = join(root, "dist");
/** Chunks of older builds are removed once no evsend started from that build can still run. */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** `undici` as imported by src/transport/client.ts: the dispatcher part only (see the file). */
const undiciDispatcherOnly = {
  name: "undici-dispatcher-only",
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.endsWith(join("src", "transport", "client.ts"))
        ? { path: join(root, "src", "transport", "undici-dispatcher.js") }
        : undefined,
    );
  },
};

if (process.argv.includes("--clean")) await rm(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { evsend: "src/cli.ts" },
  outdir,
  bundle: true,
  // Dynamic imports stay lazy: undici, the emulator, ora and fast-glob load only when used.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  // --verbose stack traces point at src/ (bin/evsend.js enables source maps for -v).
  sourcemap: "linked",
  sourcesContent: false,
  // Bundled CommonJS packages (undici, commander) call require() for Node's built-ins.
  banner: {
    js: 'import { createRequire as __evsendCreateRequire } from "node:module"; const require = __evsendCreateRequire(import.meta.url);',
  },
  plugins: [undiciDispatcherOnly],
  write: false,
  logLevel: "warning",
});

const entry = join(outdir, "evsend.js");
const files = [...result.outputFiles].sort(
  (a, b) => Number(a.path === entry) - Number(b.path === entry),
);
for (const file of files) {
  await mkdir(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents);
  await rename(temporary, file.path);
}

const current = new Set(files.map((f) => relative(outdir, f.path)));
for (const name of await readdir(join(outdir, "chunks")).catch(() => [])) {
  const path = join(outdir, "chunks", name);
  if (current.has(join("chunks", name))) continue;
  const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
  if (Date.now() - mtimeMs > STALE_AFTER_MS) await rm(path, { force: true });
}
