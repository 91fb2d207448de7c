import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { recordedEvents, spawnEmulator } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { withServer, withTempHome } from "../helpers/scoped.js";

describe("--rejects (end to end)", () => {
  it("invalid records are appended as read; the file replays with the same command once fixed", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env);
    t.after(() => emulator.stop());
    const env = {
      ...home.env,
      EVSEND_EVENTHOS_URL: emulator.url,
      EVSEND_EVENTHOS_EVENT: "order-created-9O_CE0Lcrz",
      EVSEND_EVENTHOS_ACCESS_KEY: "k3y0000000000000000",
    };
    await writeFile(join(home.home, "in.ndjson"), '{"a":1}\n{bad json\n\n{"a":3}\nnope\n');
    const send = (...rest: string[]) =>
      runEvsend(["--json", "eventhos", "send", ...rest], { env, cwd: home.home });
    let r = await send("--ndjson", "in.ndjson", "--rejects", "rejects.ndjson", "--state", "s.json");
    assert.equal(r.code, 6, r.stderr);
    const rejects = join(home.home, "rejects.ndjson");
    assert.equal(await readFile(rejects, "utf8"), "{bad json\nnope\n");
    assert.equal((await stat(rejects)).mode & 0o777, 0o600);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.rejectsFile, "rejects.ndjson");
    assert.equal(summary.rejectsAppended, 2);

    // A second run with the same state reads nothing new: nothing appended twice.
    r = await send("--ndjson", "in.ndjson", "--rejects", "rejects.ndjson", "--state", "s.json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(rejects, "utf8"), "{bad json\nnope\n");

    // Fixed by hand, then sent with the same command.
    await writeFile(rejects, '{"fixed":2}\n{"fixed":5}\n');
    r = await send("--ndjson", "rejects.ndjson");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await recordedEvents(emulator.url), [
      { a: 1 },
      { a: 3 },
      { fixed: 2 },
      { fixed: 5 },
    ]);
    assert.match(
      (
        await runEvsend(["eventhos", "send", "--ndjson", "-", "--rejects", "r"], {
          env,
          stdin: "{}\n",
        })
      ).stderr,
      /--rejects copies rejected records from their files; stdin is read once/,
    );
  });

  it("a batch the service refuses (400) is appended whole and the run goes on; it replays", async (t) => {
    const home = await withTempHome(t);
    let refusals = 0;
    // Refuses the first request that carries the BAD line, with the server's reason.
    const server = await withServer(t, (req, res) => {
      if (req.body.includes("BAD") && refusals++ === 0) res.writeHead(400).end("malformed batch");
      else res.writeHead(200).end();
    });
    const env = {
      ...home.env,
      EVSEND_DEVO_TOKEN: "t".repeat(32),
      EVSEND_DEVO_ENDPOINT: server.url,
    };
    const lines = Array.from(
      { length: 30 },
      (_, i) =>
        `${i === 14 ? "BAD" : "ok "} line ${String(i + 1).padStart(2, "0")} ${"x".repeat(80)}`,
    );
    await writeFile(join(home.home, "app.log"), lines.join("\n") + "\n");
    const devo = (...rest: string[]) =>
      runEvsend(
        [
          "--json",
          "devo",
          "file",
          "--domain",
          "d",
          "--tag",
          "my.app.t",
          "--concurrency",
          "1",
          ...rest,
        ],
        { env, cwd: home.home },
      );
    const args = ["--batch-size", "1k", "--rejects", "app.rejects", "--state", "s.json"];
    let r = await devo(...args, "app.log");
    assert.equal(r.code, 6, r.stderr);
    const refused = server.requests.find((q) => q.body.includes("BAD"))!;
    const refusedLines = refused.body.toString().split("\n");
    assert.ok(
      refusedLines.length > 1 && refusedLines.length < 30,
      "the refused batch is one of several",
    );
    // The rejects file holds exactly the refused batch's lines, as read.
    assert.equal(
      await readFile(join(home.home, "app.rejects"), "utf8"),
      refusedLines.join("\n") + "\n",
    );
    assert.match(
      r.stderr,
      /refused with its batch \(lines \d+-\d+\): Devo rejected the request \(HTTP 400\)/,
    );
    const out = ndjson(r.stdout);
    const summary = out.at(-1)!;
    assert.equal(summary.rejectsAppended, refusedLines.length);
    const file = out.find((o) => o.type === "result")!;
    assert.equal(file.rejected, refusedLines.length);
    assert.equal(file.delivered, 30 - refusedLines.length);
    // Every other line went, after the refusal too; the checkpoint passed the rejected batch.
    const sent = server.requests
      .filter((q) => q !== refused)
      .flatMap((q) => q.body.toString().split("\n"));
    assert.deepEqual(
      sent,
      lines.filter((l) => !refusedLines.includes(l)),
    );
    assert.equal(file.deliveredOffset, Buffer.byteLength(lines.join("\n") + "\n"));

    // The same command again reads nothing new; the rejects file replays with it.
    r = await devo(...args, "app.log");
    assert.equal(r.code, 0, r.stderr);
    const before = server.requests.length;
    r = await devo("--batch-size", "1k", "app.rejects");
    assert.equal(r.code, 0, r.stderr);
    const replayed = server.requests.slice(before).flatMap((q) => q.body.toString().split("\n"));
    assert.deepEqual(replayed, refusedLines);

    // Without --rejects, a refused batch stops the run as before.
    refusals = 0;
    r = await devo("--batch-size", "1k", "app.log");
    assert.equal(r.code, 6, r.stderr);
    assert.doesNotMatch(r.stderr, /refused with its batch/);
    assert.equal(ndjson(r.stdout).find((o) => o.type === "result")!.rejected, 0);
  });

  it("databoom history: the rows of a refused batch are appended as read (record batches)", async (t) => {
    const home = await withTempHome(t);
    const at = (m: number): string => new Date(Date.UTC(2024, 4, 1, 0, m)).toISOString();
    const server = await withServer(t, (req, res) => {
      if (req.body.includes(at(2))) res.writeHead(400).end('{"message":"BAD_DATE"}');
      else res.writeHead(200).end('{"message":"ALL_INFO_PROCESSED"}');
    });
    const rows = Array.from({ length: 6 }, (_, m) => `${at(m)},${m}`);
    await writeFile(join(home.home, "p.csv"), `date,a\r\n${rows.join("\r\n")}\r\n`);
    const r = await runEvsend(
      [
        "--retries",
        "0",
        "--json",
        "databoom",
        "history",
        "--url",
        server.url,
        "--device",
        "d",
      ].concat(["--batch-points", "2", "--concurrency", "1", "--rejects", "p.rejects", "p.csv"]),
      { env: { ...home.env, EVSEND_DATABOOM_TOKEN: "made-up-rejects-token-77" }, cwd: home.home },
    );
    assert.equal(r.code, 6, r.stderr);
    assert.equal(server.requests.length, 3);
    // Rows 3 and 4 (lines 4-5) were the refused batch: copied byte for byte, CRLF kept.
    assert.equal(
      await readFile(join(home.home, "p.rejects"), "utf8"),
      `${rows[2]}\r\n${rows[3]}\r\n`,
    );
    const result = ndjson(r.stdout).find((o) => o.type === "result")!;
    assert.deepEqual([result.delivered, result.rejected], [4, 2]);
    assert.deepEqual((result.ranges as { rejected: unknown }).rejected, [[4, 5]]);
    assert.match(r.stderr, /p\.csv:4: refused with its batch \(lines 4-5\): Databoom rejected/);
  });

  it("guance push --ndjson: each event the service refuses (400) is appended; the rest goes", async (t) => {
    const home = await withTempHome(t);
    const secret = "s3cr3tS3cr3tS3cr3t";
    const emulator = await spawnEmulator(home.env, [
      ...["--guance-secret", secret, "--fail-rate", "0.3", "--fail-status", "400", "--seed", "7"],
    ]);
    t.after(() => emulator.stop());
    const lines = Array.from({ length: 20 }, (_, i) => `{"status":"info","title":"t${i + 1}"}`);
    await writeFile(join(home.home, "e.ndjson"), lines.join("\n") + "\n");
    const env = {
      ...home.env,
      EVSEND_GUANCE_URL: `${emulator.url}/api/v1/push-events/${secret}/datakit/push`,
      EVSEND_GUANCE_API_KEY: "apikey0000000000",
    };
    const r = await runEvsend(
      [
        "--json",
        "guance",
        "push",
        "--ndjson",
        "e.ndjson",
        "--rejects",
        "r.ndjson",
        "--rate",
        "6000",
      ],
      { env, cwd: home.home },
    );
    const result = ndjson(r.stdout).find((o) => o.type === "result")!;
    const rejected = (result.ranges as { rejected: Array<[number, number]> }).rejected.flatMap(
      ([a, b]) => lines.slice(a - 1, b),
    );
    assert.ok(rejected.length > 0 && rejected.length < 20, `${rejected.length} refused`);
    assert.equal(r.code, 6, r.stderr);
    assert.equal(result.delivered, 20 - rejected.length);
    assert.equal(await readFile(join(home.home, "r.ndjson"), "utf8"), rejected.join("\n") + "\n");
    assert.match(r.stderr, /e\.ndjson:\d+: Guance rejected the event \(HTTP 400\)/);
    assert.equal((await recordedEvents(emulator.url)).length, 20 - rejected.length);
  });
});
