import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { holdingBack } from "../../src/bulk/record-batcher.js";
import {
  emptyState,
  formatState,
  loadState,
  validateState,
  writeStateNow,
  type StateDocument,
} from "../../src/bulk/checkpoint/state-file.js";

const ENTRY = {
  path: "/var/log/app.log",
  id: "2049:77",
  fingerprint: `sha256:${"a".repeat(64)}`,
  fingerprintBytes: 12,
  offset: 12,
  lines: 2,
  updatedAt: "2026-01-01T00:00:00.000Z",
};

async function collect(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk.toString());
  return out;
}

async function* from(...texts: string[]): AsyncGenerator<Buffer> {
  for (const text of texts) yield Buffer.from(text);
}

describe("the state file", () => {
  it("round-trips: written atomically with mode 0600, read back the same", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "evsend-state-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "s.json");
    assert.deepEqual(await loadState(path), emptyState(), "no file yet: empty");
    const doc: StateDocument = { ...emptyState(), files: [ENTRY] };
    writeStateNow(path, doc);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await loadState(path), doc);
    // One line per file, for humans and diffs.
    assert.equal((await readFile(path, "utf8")).split("\n")[4], `    ${JSON.stringify(ENTRY)}`);
  });

  it("refuses what is not an evsend state of this version, naming the file", () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /not a JSON object/],
      [{ kind: "other", version: 1, files: [] }, /another program's/],
      [{ kind: "evsend-checkpoints", version: 2, files: [] }, /written by a newer evsend/],
      [{ kind: "evsend-checkpoints", version: 0, files: [] }, /version 0 is unknown/],
      [{ kind: "evsend-checkpoints", version: 1, files: {} }, /"files" is not a list/],
      [
        { kind: "evsend-checkpoints", version: 1, files: [{ ...ENTRY, offset: -1 }] },
        /files\[0\] is not a checkpoint/,
      ],
      [
        { kind: "evsend-checkpoints", version: 1, files: [{ ...ENTRY, fingerprint: "md5:x" }] },
        /files\[0\] is not a checkpoint/,
      ],
    ];
    for (const [value, why] of cases) {
      assert.throws(
        () => validateState("/s.json", value),
        (error: Error & { exitCode?: number }) =>
          error.message.startsWith("/s.json is not a usable evsend state file: ") &&
          why.test(error.message) &&
          error.exitCode === 5,
      );
    }
    const doc = { ...emptyState(), files: [ENTRY] };
    assert.deepEqual(validateState("/s.json", JSON.parse(formatState(doc))), doc);
  });
});

describe("holdingBack", () => {
  it("passes everything up to the last newline; what follows it never", async () => {
    assert.equal((await collect(holdingBack(from("a\nb", "c\nd", "e")))).join(""), "a\nbc\n");
    assert.equal((await collect(holdingBack(from("no newline yet")))).join(""), "");
    assert.equal((await collect(holdingBack(from("x\n", "", "y\n")))).join(""), "x\ny\n");
  });
});
