// bin/evsend.js keeps V8's code cache of the bundle (and of each vendor file a run loads) in
// evsend's cache directory (bin/code-cache.js), and falls back silently where it cannot: these
// tests prove the behaviour (what is written, when it is written again, that a run works and
// prints the same with, without or with a damaged cache), never its timing (`npm run bench`).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withServer, withTempHome } from "../helpers/scoped.js";
import { cacheFile, runEvsend } from "../helpers/spawn.js";

/** Every file below `dir` (none when it does not exist). */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A cache file's header fields: magic, build id, then the commands. */
async function header(path: string): Promise<string[]> {
  const bytes = await readFile(path);
  return bytes.toString("latin1", 0, bytes.indexOf(10)).split("\t");
}

const DRY_RUN = ["devo", "send", "--dry-run", "--domain", "d", "--tag", "my.app.t", "--host", "h"];

describe(`the code cache (Node ${process.version})`, () => {
  it("is written to $XDG_CACHE_HOME/evsend/compile-cache on the first run; later runs print the same", async (t) => {
    const home = await withTempHome(t);
    const cache = cacheFile(home, "evsend.cjs");
    const first = await runEvsend(["--help"], { env: home.env });
    assert.deepEqual([first.code, first.stderr], [0, ""]);
    const fields = await header(cache);
    assert.equal(fields[0], "evsend-code-cache 3");
    assert.match(fields[1]!, /^[0-9a-f]{16}$/);
    assert.ok((await readFile(cache)).length > 10_000, "V8's data follows the header");
    assert.deepEqual(fields.slice(2), [""], "--help: the run without command words");
    for (const dir of [join(home.env.XDG_CACHE_HOME!, "evsend"), join(cache, "..")]) {
      assert.equal((await stat(dir)).mode & 0o777, 0o700, dir);
    }
    assert.equal((await stat(cache)).mode & 0o777, 0o600);

    // The same command again reads it and leaves it as it is.
    const written = (await stat(cache)).mtimeMs;
    const second = await runEvsend(["--help"], { env: home.env });
    assert.deepEqual([second.code, second.stdout, second.stderr], [0, first.stdout, ""]);
    assert.equal((await stat(cache)).mtimeMs, written);

    // Another command adds its code once.
    for (let run = 0; run < 2; run++) {
      const completion = await runEvsend(["completion", "bash"], { env: home.env });
      assert.equal(completion.code, 0, completion.stderr);
      assert.deepEqual((await header(cache)).slice(2), ["", "completion bash"]);
    }
    // A command that may send has its own cache where it sets V8 flags (Node 20), else the same.
    const sending = cacheFile(home, "evsend.cjs", true);
    const before = sending === cache ? ["", "completion bash"] : [];
    for (const event of ["x", "y"]) {
      const send = await runEvsend([...DRY_RUN, event], { env: home.env });
      assert.equal(send.code, 0, send.stderr);
      assert.deepEqual((await header(sending)).slice(2), [...before, "devo send"]);
    }
  });

  it("holds V8's data twice, the same both times", async (t) => {
    const home = await withTempHome(t);
    const cache = cacheFile(home, "evsend.cjs");
    assert.equal((await runEvsend(["--help"], { env: home.env })).code, 0);
    const bytes = await readFile(cache);
    const data = bytes.subarray(bytes.indexOf(10) + 1);
    assert.equal(data.length % 2, 0);
    const half = data.length / 2;
    assert.ok(data.subarray(0, half).equals(data.subarray(half)));
  });

  it("holds the vendor files a run loads (undici for a request)", async (t) => {
    const home = await withTempHome(t);
    const server = await withServer(t, (_req, res) => res.end());
    const env = { ...home.env, EVSEND_DEVO_TOKEN: "Map5T0ken000000000000000000000AB" };
    const args = ["devo", "send", "--endpoint", server.url, "--domain", "d", "--tag", "my.app.t"];
    for (const event of ["first", "second"]) {
      const r = await runEvsend([...args, "--host", "h", event], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^accepted: 1 event/);
    }
    const files = await filesUnder(join(cacheFile(home, "x", true), ".."));
    assert.deepEqual(files.map((f) => f.split("/").at(-1)).sort(), [
      "evsend.cjs.cache",
      "undici.cjs.cache",
    ]);
  });

  for (const [what, damage] of [
    [
      // (What crashed Node 20's V8 before evsend checked its data: V8 itself does not.)
      "bytes of V8's data changed",
      (bytes: Buffer) => {
        for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 400; i++) bytes[i]! ^= 0x5a;
        return bytes;
      },
    ],
    ["bytes at its end changed", (bytes: Buffer) => bytes.fill(0x5a, bytes.length - 4000)],
    [
      "bytes of the first copy of V8's data changed",
      (bytes: Buffer) => {
        const start = bytes.indexOf(10) + 2000;
        for (let i = start; i < start + 400; i++) bytes[i]! ^= 0x5a;
        return bytes;
      },
    ],
    ["cut short", (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    [
      "of another build",
      (bytes: Buffer) =>
        Buffer.from(
          bytes.toString("latin1").replace(/\t[0-9a-f]{16}\t/, "\t0123456789abcdef\t"),
          "latin1",
        ),
    ],
    ["not a cache at all", () => Buffer.from("hello\n")],
  ] as const) {
    it(`is replaced, silently, when it is ${what}`, async (t) => {
      const home = await withTempHome(t);
      const cache = cacheFile(home, "evsend.cjs");
      const plain = await runEvsend(["--help"], { env: home.env });
      const good = await readFile(cache);
      await writeFile(cache, damage(Buffer.from(good)));
      const r = await runEvsend(["--help"], { env: home.env });
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, plain.stdout, ""]);
      // Written again for this build, and read by the next run (which leaves it as it is).
      assert.equal((await header(cache))[1], good.toString("latin1").split("\t")[1]);
      const written = (await stat(cache)).mtimeMs;
      const after = await runEvsend(["--help"], { env: home.env });
      assert.deepEqual([after.code, after.stdout, after.stderr], [0, plain.stdout, ""]);
      assert.equal((await stat(cache)).mtimeMs, written);
    });
  }

  it("is not read, and is replaced, when others could have written it (it runs as code)", async (t) => {
    const home = await withTempHome(t);
    const cache = cacheFile(home, "evsend.cjs");
    const plain = await runEvsend(["--help"], { env: home.env });
    await chmod(cache, 0o622);
    const r = await runEvsend(["--help"], { env: home.env });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, plain.stdout, ""]);
    assert.equal((await stat(cache)).mode & 0o777, 0o600, "written again, the user's own");
  });

  it("is not read when another user owns it (run as root only: chown)", async (t) => {
    if (process.getuid?.() !== 0) return t.skip("needs root to give the file to another user");
    const home = await withTempHome(t);
    const cache = cacheFile(home, "evsend.cjs");
    const plain = await runEvsend(["--help"], { env: home.env });
    await chown(cache, 65534, 65534);
    const r = await runEvsend(["--help"], { env: home.env });
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, plain.stdout, ""]);
    assert.equal((await stat(cache)).uid, 0, "written again, the user's own");
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
    const r = await runEvsend([...DRY_RUN, "x"], { env: { ...home.env, XDG_CACHE_HOME: base } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /my\.app\.t/);
    assert.doesNotMatch(r.stderr, /cache/i);
    // (Run as root the mode does not stop writes; the case above covers an unwritable path then.)
  });

  for (const [what, env, args] of [
    ["NODE_DISABLE_COMPILE_CACHE is set", { NODE_DISABLE_COMPILE_CACHE: "1" }, ["--help"]],
    ["the run is --verbose (stack traces through source maps)", {}, ["-v", ...DRY_RUN, "x"]],
  ] as const) {
    it(`stays off when ${what}`, async (t) => {
      const home = await withTempHome(t);
      const r = await runEvsend([...args], { env: { ...home.env, ...env } });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        await filesUnder(join(home.env.XDG_CACHE_HOME!, "evsend", "compile-cache")),
        [],
      );
    });
  }
});
