import assert from "node:assert/strict";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { httpCall, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "L1mitT0ken000000000000000000000a";
/** Devo's request limit as evsend and the emulator count it: 32,000,000 bytes. */
const LIMIT = 32_000_000;

/** Writes `parts` to `path`: strings as they are, numbers as that many `x` bytes (streamed). */
async function writeParts(path: string, parts: Array<string | number>): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(1024 * 1024, "x");
  const write = async (chunk: Buffer | string): Promise<void> => {
    if (!out.write(chunk)) await once(out, "drain");
  };
  for (const part of parts) {
    if (typeof part === "string") await write(part);
    else
      for (let left = part; left > 0; left -= block.length)
        await write(left >= block.length ? block : block.subarray(0, left));
  }
  out.end();
  await once(out, "finish");
}

interface Listed {
  events: Array<{ event: string }>;
}

describe(
  "evsend devo file: Devo's request limit (end to end, emulator)",
  { timeout: 180_000 },
  () => {
    const home = useTempHome();
    let emulator: EmulatorProcess;
    let env: NodeJS.ProcessEnv;
    const args = (...rest: string[]): string[] => [
      "devo",
      "file",
      ...rest,
      "--endpoint",
      emulator.url,
    ];
    /** The lengths of the events the emulator recorded (sorted: requests run concurrently). */
    const recordedLengths = async (): Promise<number[]> => {
      const listing = await httpCall(`${emulator.url}/_emulator/events`, "GET");
      await httpCall(`${emulator.url}/_emulator/events`, "DELETE");
      return (JSON.parse(listing.body) as Listed).events
        .map((e) => e.event.length)
        .sort((a, b) => a - b);
    };

    before(async () => {
      // Room for a 32 MB event: the store keeps events as JSON.
      emulator = await spawnEmulator(home.env, ["--max-stored", "100m"]);
      env = {
        ...home.env,
        EVSEND_DEVO_TOKEN: TOKEN,
        EVSEND_DEVO_DOMAIN: "acme",
        EVSEND_DEVO_TAG: "my.app.limits",
      };
    });
    after(async () => {
      await emulator.stop();
    });

    it("a 5 MB line with the default --batch-size (4m) is delivered, alone in its own request", async () => {
      const file = join(home.home, "five.log");
      await writeParts(file, ["first\n", 5_000_000, "\nlast\n"]);
      const r = await runEvsend([...args("five.log"), "--json"], { env });
      assert.equal(r.code, 0, r.stderr);
      const summary = ndjson(r.stdout).at(-1)!;
      assert.equal(summary.delivered, 3);
      assert.equal(summary.rejected, 0);
      assert.equal(summary.requests, 3);
      assert.deepEqual(await recordedLengths(), [4, 5, 5_000_000]);
      assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
    });

    it("a line of exactly 32,000,000 bytes is delivered; one byte more is rejected with file:line", async () => {
      const file = join(home.home, "huge.log");
      await writeParts(file, ["a\n", LIMIT, "\n", LIMIT + 1, "\nb\n"]);
      // 32 MB may take long on a loaded machine; timeouts are not what this tests.
      const r = await runEvsend([...args("huge.log"), "--timeout", "5m"], { env });
      assert.equal(r.code, 6, r.stderr);
      assert.match(
        r.stderr,
        /^warning: huge\.log:3: line of 32000001 bytes is longer than the 32000000-byte request limit; not sent$/m,
      );
      assert.match(
        r.stdout,
        /^huge\.log: 4 lines, partial; delivered lines 1-2, 4; lines 3 rejected$/m,
      );
      assert.match(
        r.stdout,
        /^delivered 3 of 4 lines from 1 file in 3 requests \(0 empty skipped, 1 rejected, \d+ retries\)$/m,
      );
      assert.deepEqual(await recordedLengths(), [1, 1, LIMIT]);
    });

    it("the emulator answers 413 to a body one byte over 32,000,000", async () => {
      const body = Buffer.alloc(LIMIT + 1, "y");
      const url = `${emulator.url}/stream/acme/token!${TOKEN}/h/my.app.limits`;
      const answer = await httpCall(url, "POST", body);
      assert.equal(answer.status, 413);
      assert.match(answer.body, /32000000/);
    });
  },
);
