import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { InputError, UsageError } from "../../src/errors.js";
import { resolveInputs } from "../../src/input/resolve-inputs.js";
import { openSource } from "../../src/input/sources.js";

async function readAll(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

const noStdin = () => Readable.from([]);

describe("resolveInputs", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-sources-"));
    await mkdir(join(dir, "logs", "sub"), { recursive: true });
    for (const name of ["b.log", "a.log", "c.debug.log", "sub/d.log"])
      await writeFile(join(dir, "logs", name), `${name}\n`);
    await writeFile(join(dir, "weird[1].log"), "x\n");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const names = async (inputs: string[], exclude: string[] = []): Promise<string[]> =>
    (await resolveInputs(inputs, { exclude, cwd: dir })).map((s) => s.name);

  it("keeps the order given, sorts a glob's matches, and names each file once", async () => {
    assert.deepEqual(await names(["logs/b.log", "logs/*.log", "-"]), [
      "logs/b.log",
      "logs/a.log",
      "logs/c.debug.log",
      "stdin",
    ]);
  });
  it("applies --exclude with a path pattern to glob matches; ** reaches subfolders", async () => {
    assert.deepEqual(await names(["logs/**/*.log"], ["**/*.debug.log"]), [
      "logs/a.log",
      "logs/b.log",
      "logs/sub/d.log",
    ]);
  });
  it("a file whose name has glob characters is taken literally", async () => {
    assert.deepEqual(await names(["weird[1].log"]), ["weird[1].log"]);
  });
  it("reports every unusable input at once, before anything is read", async () => {
    await assert.rejects(
      resolveInputs(["logs/a.log", "missing.log", "logs", "nothing/*.log"], {
        exclude: [],
        cwd: dir,
      }),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.match(error.message, /3 inputs are unusable, nothing was sent/);
        assert.match(error.message, /missing\.log: no such file/);
        assert.match(error.message, /logs: is a directory/);
        assert.match(error.message, /nothing\/\*\.log: the glob matched no file/);
        return true;
      },
    );
  });
  it("stdin named twice is a usage error", async () => {
    await assert.rejects(resolveInputs(["-", "-"], { exclude: [], cwd: dir }), UsageError);
  });
});

describe("openSource", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-open-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("reads plain files as they are", async () => {
    const path = join(dir, "plain.log");
    await writeFile(path, "a\nb\n");
    assert.equal(
      await readAll(openSource({ kind: "file", name: "plain.log", path }, noStdin)),
      "a\nb\n",
    );
  });
  it("decompresses gzip by its magic bytes, whatever the name, members concatenated", async () => {
    const path = join(dir, "looks-plain.log");
    await writeFile(path, Buffer.concat([gzipSync("one\n"), gzipSync("two\n")]));
    assert.equal(
      await readAll(openSource({ kind: "file", name: "x", path }, noStdin)),
      "one\ntwo\n",
    );
  });
  it("decompresses gzip on stdin", async () => {
    const stdin = Readable.from([gzipSync("from stdin\n")]);
    assert.equal(
      await readAll(openSource({ kind: "stdin", name: "stdin" }, () => stdin)),
      "from stdin\n",
    );
  });
  it("a one-byte file is not mistaken for gzip", async () => {
    const path = join(dir, "one");
    await writeFile(path, "\x1f");
    assert.equal(await readAll(openSource({ kind: "file", name: "one", path }, noStdin)), "\x1f");
  });
  it("damaged gzip is an InputError naming the file", async () => {
    const path = join(dir, "cut.log.gz");
    const whole = gzipSync("x".repeat(10_000));
    await writeFile(path, whole.subarray(0, whole.length - 20));
    await assert.rejects(
      readAll(openSource({ kind: "file", name: "cut.log.gz", path }, noStdin)),
      (error: unknown) =>
        error instanceof InputError && /cut\.log\.gz: not valid gzip data/.test(error.message),
    );
  });
});
