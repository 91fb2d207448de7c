import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { createContext, type Runtime } from "../../src/context.js";
import type { SendOutcome } from "../../src/bulk/deliver.js";
import { ndjsonParser } from "../../src/input/ndjson.js";
import { ONE_PER_REQUEST, type BulkSpec } from "../../src/bulk/records.js";
import { services } from "../../src/services/index.js";
import { runBulkCommand } from "../../src/bulk/run-bulk-command.js";
import { TEST_GLOBALS, bareRuntime } from "../helpers/runtime.js";

const EVENTS = 3000;

/** 3,000 one-line events of ~64 bytes: ~190 KB, more than one read chunk. */
function ndjson(): string {
  const lines: string[] = [];
  for (let i = 1; i <= EVENTS; i++) lines.push(JSON.stringify({ n: i, pad: "x".repeat(40) }));
  return `${lines.join("\n")}\n`;
}

/**
 * Runs a one-event-per-request bulk command in-process with a spinner that records its frames;
 * the sink accepts `quick` events at once, then holds the next one until a status line drawn
 * while it waits was seen, then accepts the rest.
 */
async function runHeld(dir: string, input: string, quick: number) {
  const frames: string[] = [];
  const stream = (): PassThrough => new PassThrough().resume();
  const runtime: Runtime = {
    ...bareRuntime(),
    cwd: dir,
    homedir: dir,
    stdin: Readable.from([]),
    stdout: stream(),
    stderr: stream(),
  };
  const ctx = createContext(runtime, { ...TEST_GLOBALS }, services);
  // The status line as the terminal would get it, without a terminal.
  ctx.output.progress = async () => ({
    update: (text) => void frames.push(text),
    clear() {},
    render() {},
    stop() {},
  });
  let sent = 0;
  let held: string | undefined;
  const spec: BulkSpec<unknown> = {
    parse: ndjsonParser((value) => value),
    limits: ONE_PER_REQUEST,
    words: { record: "event", records: "events" },
    async send(): Promise<SendOutcome> {
      sent += 1;
      if (sent === quick + 1) {
        const seen = frames.length;
        // Two frames while it waits: the second was surely drawn after the first ones settled.
        while (frames.length < seen + 2) await new Promise((r) => setTimeout(r, 20));
        held = frames.at(-1);
      }
      return { ok: true };
    },
  };
  await runBulkCommand(ctx, { inputs: [input], exclude: [], concurrency: 1, spec });
  assert.equal(runtime.exitCode, 0);
  assert.equal(sent, EVENTS);
  return held ?? assert.fail("no status line while a request was held");
}

function percentOf(frame: string): number {
  const match = / (\d+)% of /.exec(frame);
  return Number(match?.[1] ?? assert.fail(`no percentage in ${frame}`));
}

describe("bulk progress follows what the service accepted", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-progress-"));
    await writeFile(join(dir, "events.ndjson"), ndjson());
    await writeFile(join(dir, "events.ndjson.gz"), gzipSync(ndjson()));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("150 of 3,000 events accepted, the rest read ahead: under 5%, not 100%", async () => {
    const frame = await runHeld(dir, "events.ndjson", 150);
    // Exactly the bytes of the first 150 lines: where the last accepted event ends.
    const text = ndjson();
    const end = text.split("\n").slice(0, 150).join("\n").length + 1;
    assert.equal(percentOf(frame), Math.floor((end / text.length) * 100), frame);
    assert.match(frame, / 8\.5 KiB · /, frame);
    assert.match(frame, /^0\/1 file · 150 events · /, frame);
  });

  it("a gzip input: the accepted events map back to the bytes as stored", async () => {
    const frame = await runHeld(dir, "events.ndjson.gz", 1500);
    // Half the events end half-way through the decompressed text: about half the stored bytes.
    const percent = percentOf(frame);
    assert.ok(percent >= 45 && percent <= 55, frame);
    assert.match(frame, /^0\/1 file · 1500 events · /, frame);
  });
});
