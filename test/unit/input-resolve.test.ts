import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { resolveInputs } from "../../src/input/resolve-inputs.js";

describe("resolveInputs: symbolic links, one read per file, --exclude", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-resolve-"));
    // g/real/up → .. : a loop that a glob following links would walk forever.
    await mkdir(join(dir, "g", "real"), { recursive: true });
    await writeFile(join(dir, "g", "real", "a.log"), "a\n");
    await symlink("..", join(dir, "g", "real", "up"));
    // g2/link → real (a linked folder), g2/file.log → real/b.log (a linked file), a broken link.
    await mkdir(join(dir, "g2", "real"), { recursive: true });
    await writeFile(join(dir, "g2", "real", "b.log"), "b\n");
    await symlink("real", join(dir, "g2", "link"));
    await symlink(join("real", "b.log"), join(dir, "g2", "file.log"));
    await symlink("nowhere", join(dir, "g2", "broken.log"));
    execFileSync("mkfifo", [join(dir, "g2", "pipe.log")]);
    // x: names for --exclude.
    await mkdir(join(dir, "x", "sub"), { recursive: true });
    for (const name of ["a.log", "b.debug.log", "sub/c.debug.log", "sub/d.log", ".hidden.log"])
      await writeFile(join(dir, "x", name), `${name}\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const run = async (inputs: string[], exclude: string[] = []) => {
    const warnings: string[] = [];
    const notes: string[] = [];
    const sources = await resolveInputs(inputs, {
      exclude,
      cwd: dir,
      onWarning: (m) => warnings.push(m),
      onVerbose: (m) => notes.push(m),
    });
    return { names: sources.map((s) => s.name), warnings, notes };
  };

  it(
    "a link loop under ** ends: linked folders are not descended into",
    { timeout: 10_000 },
    async () => {
      const started = performance.now();
      const { names } = await run(["g/**/*.log"]);
      assert.deepEqual(names, ["g/real/a.log"]);
      assert.ok(performance.now() - started < 5000);
    },
  );

  it("a linked file is matched; a linked folder, a broken link and a FIFO are not", async () => {
    const { names, notes } = await run(["g2/**/*.log"]);
    assert.deepEqual(names, ["g2/file.log"]);
    assert.ok(notes.includes("g2/real/b.log is the same file as g2/file.log: read once"));
    assert.ok(notes.includes("g2/broken.log: skipped, a symbolic link to nothing"));
    assert.ok(notes.includes("g2/pipe.log: skipped, not a regular file"));
  });

  it("one file named twice (two paths, a link, a glob and a path) is read once", async () => {
    const { names, notes } = await run([
      "g2/real/b.log",
      "g2/link/b.log",
      "g2/./real/b.log",
      "g2/file.log",
      "g2/link/*.log",
    ]);
    assert.deepEqual(names, ["g2/real/b.log"]);
    assert.deepEqual(notes, [
      "g2/link/b.log is the same file as g2/real/b.log: read once",
      "g2/./real/b.log is the same file as g2/real/b.log: read once",
      "g2/file.log is the same file as g2/real/b.log: read once",
      "g2/link/b.log is the same file as g2/real/b.log: read once",
    ]);
  });

  it("a named FIFO or character device given as a path is an input", async () => {
    const { names } = await run(["g2/pipe.log", "/dev/null"]);
    assert.deepEqual(names, ["g2/pipe.log", "/dev/null"]);
  });

  it("--exclude without / matches file names at any depth, hidden ones included", async () => {
    const { names, warnings, notes } = await run(["x/**/*.log", "x/.hidden.log"], ["*.debug.log"]);
    assert.deepEqual(names, ["x/a.log", "x/sub/d.log", "x/.hidden.log"]);
    assert.deepEqual(warnings, []);
    assert.ok(notes.includes("x/sub/c.debug.log: left out by --exclude '*.debug.log'"));
    assert.deepEqual((await run(["x/.hidden.log", "x/a.log"], [".*"])).names, ["x/a.log"]);
  });

  it("--exclude with / matches the path from the current folder, or the absolute path", async () => {
    assert.deepEqual((await run(["x/**/*.log"], ["x/sub/**"])).names, ["x/a.log", "x/b.debug.log"]);
    assert.deepEqual((await run(["x/**/*.log"], [join(dir, "x", "sub", "*")])).names, [
      "x/a.log",
      "x/b.debug.log",
    ]);
    // A pattern with / is not matched against names: sub/*.log names no top-level folder.
    assert.equal((await run(["x/**/*.log"], ["sub/*.log"])).names.length, 4);
  });

  it("--exclude applies to plain paths too (a glob the shell expanded)", async () => {
    const { names, notes } = await run(["x/a.log", "x/b.debug.log"], ["*.debug.log"]);
    assert.deepEqual(names, ["x/a.log"]);
    assert.deepEqual(notes, ["x/b.debug.log: left out by --exclude '*.debug.log'"]);
  });

  it("warns about an --exclude that left out nothing", async () => {
    const { warnings } = await run(["x/a.log"], ["*.debug.log", "*.txt"]);
    assert.deepEqual(warnings, [
      "--exclude '*.debug.log' matched no input",
      "--exclude '*.txt' matched no input",
    ]);
  });

  it("a glob whose every match is excluded says so (not 'matched no file')", async () => {
    await assert.rejects(run(["x/**/*.debug.log", "x/a.log"], ["*.debug.log"]), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(
        e.message,
        /x\/\*\*\/\*\.debug\.log: the glob matched 2 files, all left out by --exclude$/,
      );
      return true;
    });
  });

  it("every input excluded is an input error naming --exclude", async () => {
    await assert.rejects(run(["x/b.debug.log"], ["*.debug.log"]), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, "every input was left out by --exclude, nothing was sent");
      return true;
    });
  });
});
