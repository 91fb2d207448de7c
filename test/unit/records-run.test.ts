import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createContext, type GlobalOptions, type Runtime } from "../../src/context.js";
import { AuthError } from "../../src/errors.js";
import { services } from "../../src/services/index.js";
import type { SendOutcome } from "../../src/bulk/deliver.js";
import { ndjsonParser } from "../../src/input/ndjson.js";
import type { BulkSpec, RecordBatch } from "../../src/bulk/records.js";
import { runBulkCommand, type BulkRequests } from "../../src/bulk/run-bulk-command.js";
import { TEST_GLOBALS } from "../helpers/runtime.js";

/** A made-up secret: it must never be printed. */
const SECRET = "s3cr3t-Made-Up-Bulk-Token-0000";

interface Point {
  signal: string;
  values: number[];
}

function validate(value: unknown): Point | { error: string } {
  const v = value as Partial<Point> | null;
  if (typeof v?.signal !== "string" || !Array.isArray(v.values))
    return { error: "needs signal and values" };
  return { signal: v.signal, values: v.values };
}

function sink(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { text(): string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

const GLOBALS: GlobalOptions = TEST_GLOBALS;

/** Runs a bulk command of a made-up "points" service in-process; `answer` plays the server. */
async function run(
  dir: string,
  inputs: string[],
  answer: (batch: RecordBatch<Point>) => SendOutcome,
  globals: Partial<GlobalOptions> = {},
) {
  const stdout = sink();
  const stderr = sink();
  const runtime: Runtime = {
    argv: [],
    env: {},
    cwd: dir,
    homedir: dir,
    hostname: "h",
    stdin: Readable.from([]),
    stdout,
    stderr,
    signal: new AbortController().signal,
    version: "0",
    exitCode: 0,
  };
  const ctx = createContext(runtime, { ...GLOBALS, ...globals }, services);
  ctx.redactor.add(SECRET);
  const sent: number[][] = [];
  const spec = (requests: BulkRequests): BulkSpec<Point> => ({
    parse: ndjsonParser(validate, (p) => p.values.length),
    limits: { maxWeight: 4, maxRecords: 100, hardWeight: 6 },
    words: { record: "row", records: "rows", weight: "points" },
    batchOption: "--batch-points",
    async send(batch) {
      sent.push(batch.segments.flatMap((s) => s.lines));
      if (requests.dryRun) {
        await requests.send(
          {
            method: "POST",
            url: `https://points.example/push?key=${SECRET}`,
            headers: { authorization: `Bearer ${SECRET}` },
            body: JSON.stringify(batch.values),
          },
          `${batch.values.length} rows`,
        );
        return { ok: true };
      }
      return answer(batch);
    },
    counters: () => [{ key: "devices", label: "devices", value: 1 }],
  });
  await runBulkCommand(ctx, { inputs, exclude: [], concurrency: 1, spec });
  return { code: runtime.exitCode, stdout: stdout.text(), stderr: stderr.text(), sent };
}

describe("runBulkCommand", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-bulk-"));
    const line = (signal: string, n: number): string =>
      JSON.stringify({ signal, values: Array.from({ length: n }, (_, i) => i) });
    await writeFile(
      join(dir, "a.ndjson"),
      [line("t", 2), line("t", 2), "{bad", line("h", 1), line("big", 5), line("huge", 7)].join(
        "\n",
      ),
    );
    await writeFile(join(dir, "b.ndjson"), `${line("p", 1)}\n\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("batches by weight, reports in the service's words, rejects with file:line, exit 6", async () => {
    const r = await run(dir, ["a.ndjson", "b.ndjson"], () => ({ ok: true }));
    assert.equal(r.code, 6, r.stderr);
    // Rows 1-2 fill 4 points; row 4 starts a batch that row 5 (5 points, over 4) leaves alone.
    assert.deepEqual(r.sent, [
      [1, 2],
      [4, 4],
      [5, 5],
      [1, 1],
    ]);
    assert.match(r.stderr, /^warning: a\.ndjson:3: invalid JSON at column 2: .*; not sent$/m);
    assert.match(
      r.stderr,
      /^warning: a\.ndjson:6: row of 7 points is over the limit of 6 points per request; not sent$/m,
    );
    assert.equal(
      r.stdout,
      [
        "a.ndjson: 6 rows, partial; delivered lines 1-2, 4-5; lines 3, 6 rejected",
        "b.ndjson: 1 row, delivered",
        "delivered 5 of 7 rows from 2 files in 4 requests (1 empty skipped, 2 rejected, 0 retries)",
        "11 points delivered, 1 devices",
      ].join("\n") +
        "\n" +
        r.stdout.split("\n").at(-2) +
        "\n",
    );
  });

  it("warned batches: delivered for the exit code, shown with their lines", async () => {
    const r = await run(dir, ["b.ndjson"], () => ({ ok: true, warned: "no contract for p" }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: b\.ndjson line 1: delivered, but no contract for p$/m);
    assert.match(r.stdout, /^b\.ndjson: 1 row, warned; lines 1 warned$/m);
    assert.match(r.stdout, /\(1 empty skipped, 0 rejected, 1 with a warning, 0 retries\)$/m);
  });

  it("--json: results and summary keyed in the service's words, counters included", async () => {
    const r = await run(dir, ["b.ndjson"], () => ({ ok: true }), { json: true });
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.type, l.rows, l.status ?? l.exitCode]),
      [
        ["result", 1, "delivered"],
        ["summary", 1, 0],
      ],
    );
    const summary = lines.at(-1)!;
    assert.deepEqual([summary.points, summary.devices, summary.warned], [1, 1, 0]);
    assert.equal(summary.bytesRead, 29); // the engine counts the bytes; the parser the rows
  });

  it("a failure stops the run with its own exit code when nothing was delivered", async () => {
    const r = await run(dir, ["b.ndjson"], () => ({ ok: false, error: new AuthError("refused") }));
    assert.equal(r.code, 4);
    assert.match(r.stdout, /^b\.ndjson: 1 row, failed; lines 1 failed$/m);
  });

  it("--dry-run: every request shown masked, nothing delivered, the secret never printed", async () => {
    const r = await run(dir, ["a.ndjson"], () => assert.fail("sent in a dry run"), {
      dryRun: true,
      json: true,
    });
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.filter((l) => l.type === "request").length, 3);
    assert.equal(lines.at(-1)!.dryRun, true);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
  });

  it("an unusable input: nothing is sent, exit 5 (InputError)", async () => {
    await assert.rejects(
      run(dir, ["a.ndjson", "missing.ndjson"], () => assert.fail("sent")),
      /missing\.ndjson: no such file/,
    );
  });
});
