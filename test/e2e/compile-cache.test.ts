// bin/evsend.js turns on Node's compile cache (Node >= 22) in evsend's cache directory, and falls
// back silently where it cannot: these tests prove the behaviour (what is written, that a run
// works and prints the same with or without it), never its timing (that is `npm run bench`).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdir, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withTempHome } from "../helpers/scoped.js";
import { runEvsend } from "../helpers/spawn.js";

/** Whether this Node has `module.enableCompileCache` (22.1 and later). */
const hasCompileCache =
  typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown })
    .enableCompileCache === "function";

/** Every file below `dir` (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe(`the compile cache (Node ${process.version})`, () => {
  it("is written to $XDG_CACHE_HOME/evsend/compile-cache where Node has one; runs print the same", async (t) => {
    const home = await withTempHome(t);
    const cache = join(home.env.XDG_CACHE_HOME!, "evsend", "compile-cache");
    const first = await runEvsend(["--help"], { env: home.env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, "");
    const files = await filesUnder(cache);
    if (hasCompileCache) assert.ok(files.length > 0, `nothing cached in ${cache}`);
    else assert.deepEqual(files, []);
    // A second run, reading the cache where there is one: the same output.
    const second = await runEvsend(["--help"], { env: home.env });
    assert.deepEqual([second.code, second.stdout, second.stderr], [0, first.stdout, ""]);
  });

  it("falls back silently when the cache directory cannot be made (XDG_CACHE_HOME is a file)", async (t) => {
    const home = await withTempHome(t);
    const file = join(home.home, "not-a-dir");
    await writeFile(file, "");
    const env = { ...home.env, XDG_CACHE_HOME: file };
    const plain = await runEvsend(["--help"], { env: home.env });
    const r = await runEvsend(["--help"], { env });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, plain.stdout, ""]);
  });

  it("falls back silently when the cache directory is read-only", async (t) => {
    const home = await withTempHome(t);
    const base = join(home.home, "read-only-cache");
    await mkdir(base);
    await chmod(base, 0o555);
    const r = await runEvsend(
      ["devo", "send", "--dry-run", "--domain", "d", "--tag", "my.app.t", "--host", "h", "x"],
      {
        env: { ...home.env, XDG_CACHE_HOME: base },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /my\.app\.t/);
    assert.doesNotMatch(r.stderr, /cache/i);
    // (Run as root the mode does not stop writes; the case above covers an unwritable path then.)
  });

  it("stays off when NODE_DISABLE_COMPILE_CACHE is set", async (t) => {
    const home = await withTempHome(t);
    const r = await runEvsend(["--help"], {
      env: { ...home.env, NODE_DISABLE_COMPILE_CACHE: "1" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      await filesUnder(join(home.env.XDG_CACHE_HOME!, "evsend", "compile-cache")),
      [],
    );
  });
});
