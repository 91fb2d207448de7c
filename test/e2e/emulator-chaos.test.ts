import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { httpCall, recordedEvents, spawnEmulator } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { withTempHome } from "../helpers/scoped.js";

const TOKEN = "Cha0sT0ken000000000000000000000C";

describe("evsend emulate: failures on purpose (end to end)", () => {
  it("--fail-rate 1 answers every API request with the chosen status and Retry-After; the listing is spared", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, [
      "--fail-rate",
      "100%",
      "--fail-status",
      "429",
      "--retry-after",
      "7",
      "--seed",
      "5",
    ]);
    t.after(() => emulator.stop());
    const r = await new Promise<{ status: number; retryAfter: string | undefined }>(
      (resolve, reject) => {
        import("node:http")
          .then(({ request }) => {
            const req = request(
              `${emulator.url}/event/d/token!x/h/my.app.t`,
              { method: "POST" },
              (res) => {
                res.resume();
                resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] });
              },
            );
            req.on("error", reject);
            req.end("x");
          })
          .catch(reject);
      },
    );
    assert.deepEqual(r, { status: 429, retryAfter: "7" });
    assert.equal((await httpCall(`${emulator.url}/_emulator/events`, "GET")).status, 200);
    assert.match(
      emulator.stderr(),
      /on purpose: fails 100% of requests with 429 \(Retry-After: 7\); --seed 5 repeats/,
    );
  });

  it("--drop-rate 1 destroys the connection without an answer", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, ["--drop-rate", "1"]);
    t.after(() => emulator.stop());
    await assert.rejects(httpCall(`${emulator.url}/event/d/token!x/h/my.app.t`, "POST", "x"), {
      code: "ECONNRESET",
    });
  });

  it("30% failures and 10% dropped connections: devo file still delivers every line, exit 0", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(
      home.env,
      [
        "--devo-token",
        TOKEN,
        "--fail-rate",
        "30%",
        "--fail-status",
        "429,500,503",
        "--drop-rate",
        "10%",
        "--seed",
        "19",
      ],
      ["--json"],
    );
    t.after(() => emulator.stop());
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i} ${"x".repeat(300)}`);
    await writeFile(join(home.home, "app.log"), lines.join("\n") + "\n");
    const r = await runEvsend(
      [
        "--json",
        "--retries",
        "12",
        "devo",
        "file",
        "--endpoint",
        emulator.url,
        "--domain",
        "d",
        "--tag",
        "my.app.t",
        "--batch-size",
        "1k",
        "app.log",
      ],
      { env: { ...home.env, EVSEND_DEVO_TOKEN: TOKEN } },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.type, "summary");
    assert.ok((summary.retries as number) > 0, "the chaos made evsend retry");
    const got = (await recordedEvents(emulator.url)) as string[];
    // Dropped connections never reach the API, so nothing arrives twice here.
    assert.deepEqual([...got].sort(), [...lines].sort());
  });
});
