// src/output/stdio.ts: stdout and stderr on a pipe or a file are written with fs.writeSync, in
// order, with EAGAIN handed over to Node's own stream and other errors as the stream's 'error'.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, describe, it } from "node:test";
import { DescriptorWriter, writerFor } from "../../src/output/stdio.js";
import { guardStream, writeGuarded } from "../../src/output/streams.js";

const dir = mkdtempSync(join(tmpdir(), "evsend-stdio-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A Writable that keeps what it is given. */
function collector(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString() });
}

/** A FIFO opened at both ends without blocking: [read end, write end]. */
function fifo(name: string): [number, number] {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return [reader, writer];
}

/** Everything there is to read from a non-blocking descriptor now. */
function drain(fd: number): string {
  const parts: Buffer[] = [];
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") break;
      throw error;
    }
    if (n === 0) break;
    parts.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(parts).toString();
}

describe("DescriptorWriter", () => {
  it("writes strings and buffers to a file, in order, before write() returns", () => {
    const path = join(dir, "out.txt");
    const fd = openSync(path, "w");
    const writer = new DescriptorWriter(fd, () => assert.fail("no fallback for a file"));
    writer.write("héllo\n");
    writer.write(Buffer.from("world\n"));
    assert.equal(readFileSync(path, "utf8"), "héllo\nworld\n");
    closeSync(fd);
  });

  it("hands a write the pipe refuses (EAGAIN) and all later ones to the fallback, in order", async () => {
    const [reader, writerFd] = fifo("full");
    const fallback = collector();
    const writer = new DescriptorWriter(writerFd, () => fallback);
    // Lines of 1,000 bytes until well past the pipe's capacity (64 KiB on Linux).
    const lines = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(999, ".")}\n`);
    for (const line of lines) writer.write(line);
    await new Promise((resolve) => setImmediate(resolve));
    const inPipe = drain(reader);
    assert.ok(inPipe.length > 0 && inPipe.length < lines.join("").length, "the pipe filled up");
    assert.equal(inPipe + fallback.text(), lines.join(""));
    closeSync(reader);
    closeSync(writerFd);
  });

  it("reports EPIPE as the stream's 'error': guarded output then ends quietly", async () => {
    const [reader, writerFd] = fifo("gone");
    closeSync(reader);
    const writer = new DescriptorWriter(writerFd, () => assert.fail("EPIPE is not EAGAIN"));
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => writer.once("error", resolve));
    guardStream(writer);
    writeGuarded(writer, "first\n");
    assert.equal((await failed).code, "EPIPE");
    writeGuarded(writer, "second\n"); // no throw, no second error
    closeSync(writerFd);
  });
});

describe("writerFor (processStdio's choice)", () => {
  const node = collector();
  const choice = (path: string): unknown => {
    const fd = openSync(path, "w");
    try {
      return writerFor(fd, () => node);
    } finally {
      closeSync(fd);
    }
  };

  it("writes a file, a pipe and /dev/null itself", () => {
    assert.ok(choice(join(dir, "chosen.txt")) instanceof DescriptorWriter);
    assert.ok(choice("/dev/null") instanceof DescriptorWriter);
    const [reader, writerFd] = fifo("chosen");
    try {
      assert.ok(writerFor(writerFd, () => node) instanceof DescriptorWriter);
    } finally {
      closeSync(reader);
      closeSync(writerFd);
    }
  });

  it("leaves any other character device (a terminal, maybe) to Node's stream", () => {
    assert.equal(choice("/dev/zero"), node);
  });
});
