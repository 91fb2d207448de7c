import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readdir, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { openInput, readBounded, TooLargeError } from "../../src/input/open.js";

// A real garbage collection, so a descriptor owned by a collectable object would show up closed.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function collect(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString("utf8");
}

/** How many of this process's descriptors are open on `path` (from /proc). */
async function descriptorsOn(path: string): Promise<number> {
  const fds = await readdir("/proc/self/fd");
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")),
  );
  return targets.filter((target) => target === path).length;
}

/**
 * Writes `line` `times` times into the FIFO from another process, after `delayMs` (opening it
 * blocks until a reader has).
 */
function writeLater(fifo: string, line: string, times: number, delayMs: number): void {
  const script = `setTimeout(() => require("fs").writeFileSync(process.argv[1], process.argv[2].repeat(${times})), ${delayMs})`;
  spawn(process.execPath, ["-e", script, fifo, line], { stdio: "ignore" }).unref();
}

describe("openInput", () => {
  let dir: string;
  let n = 0;
  const fifo = (): string => {
    const path = join(dir, `fifo${++n}`);
    execFileSync("mkfifo", [path]);
    return path;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-open-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a regular file: kind, size, dev:ino id; chunks in one reused buffer", async () => {
    const path = join(dir, "plain.log");
    await writeFile(path, "a\nb\n");
    const input = await openInput(path);
    assert.equal(input.kind, "file");
    assert.equal(input.size, 4);
    assert.match(input.id, /^\d+:\d+$/);
    assert.equal(await collect(input.chunks), "a\nb\n");
  });

  it("files read one after the other share one read buffer (5,000 files are not 5 GB)", async () => {
    const memory: ArrayBufferLike[] = [];
    for (const name of ["one", "two", "three"]) {
      const path = join(dir, name);
      await writeFile(path, `${name}\n`);
      const input = await openInput(path);
      for await (const chunk of input.chunks) memory.push(chunk.buffer);
    }
    assert.equal(new Set(memory).size, 1);
  });

  it("a FIFO opens at once with no writer, and is read when one comes", async () => {
    const path = fifo();
    // No writer exists until open() returns: one that waited for a writer would wait forever.
    // The 10 s bound only turns that hang into a failure; it is far from the real few ms.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error("open() waited for a writer")), 10_000);
    });
    const input = await Promise.race([openInput(path), waited]).finally(() => clearTimeout(timer));
    assert.deepEqual([input.kind, input.size], ["fifo", undefined]);
    writeLater(path, "x\n", 3, 50);
    assert.equal(await collect(input.chunks), "x\nx\nx\n");
  });

  it("garbage collection never closes a FIFO's descriptor (a hang) nor twice (EBADF)", async () => {
    const path = fifo();
    /** Keeps nothing but the chunks, as a reader does; nothing is left once it returns. */
    const read = async (): Promise<string> => collect((await openInput(path)).chunks);
    const collecting = setInterval(gc, 5);
    try {
      const reading = read();
      writeLater(path, "0123456789abcdef\n", 200_000, 50);
      assert.equal(await reading, "0123456789abcdef\n".repeat(200_000));
      // A collection now would close the (closed, maybe reused) descriptor again: an
      // uncaught EBADF fails this test file.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      clearInterval(collecting);
    }
  });

  it("Ctrl-C (the signal) ends a read that waits on a FIFO with no writer", async () => {
    const controller = new AbortController();
    const input = await openInput(fifo(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(collect(input.chunks), { name: "AbortError" });
  });

  it("an aborted signal refuses to open", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(openInput(join(dir, "plain.log"), controller.signal), {
      name: "AbortError",
    });
  });

  it("character devices: /dev/null is empty", async () => {
    const input = await openInput("/dev/null");
    assert.equal(input.kind, "device");
    assert.equal(await collect(input.chunks), "");
  });

  it("close() before reading releases the descriptor; a second close is harmless", async () => {
    const path = join(dir, "closed.log");
    await writeFile(path, "a\nb\n");
    const input = await openInput(path);
    assert.equal(await descriptorsOn(path), 1);
    await input.close();
    assert.equal(await descriptorsOn(path), 0, "close() left the descriptor open");
    // The freed number is likely given to the next open: a second close must not close that one.
    const next = await openInput(path);
    await input.close();
    assert.equal(await descriptorsOn(path), 1, "the second close() closed another descriptor");
    assert.equal(await collect(next.chunks), "a\nb\n");
    assert.equal(await descriptorsOn(path), 0);
  });
});

describe("readBounded", () => {
  it("reads a small input whole; /dev/zero fails fast at the limit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "evsend-bounded-"));
    try {
      await writeFile(join(dir, "s"), "secret\n");
      assert.equal((await readBounded(join(dir, "s"), 100)).toString(), "secret\n");
      await assert.rejects(readBounded("/dev/zero", 4096), TooLargeError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
