import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  ndjson,
  runEvsend,
  startServer,
  type SeenRequest,
  type TestServer,
} from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "F1leT0ken0000000000000000000000A";

/** The lines a request carried (gunzipped when it says so). */
function linesOf(request: SeenRequest): string[] {
  const body =
    request.headers["content-encoding"] === "gzip" ? gunzipSync(request.body) : request.body;
  return body.toString("utf8").split("\n");
}

describe("evsend devo file (end to end)", () => {
  const home = useTempHome();
  let server: TestServer;
  /** What the test server answers, per request index; 200 by default. */
  let answer: (req: SeenRequest, index: number) => number;
  let env: NodeJS.ProcessEnv;
  const args = (...rest: string[]): string[] => [
    "devo",
    "file",
    "--domain",
    "acme",
    "--tag",
    "my.app.test",
    "--host",
    "h1",
    ...rest,
  ];

  before(async () => {
    server = await startServer((req, res, index) => res.writeHead(answer(req, index)).end());
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN, EVSEND_DEVO_ENDPOINT: server.url };
    await mkdir(join(home.home, "logs"));
    await writeFile(join(home.home, "logs", "a.log"), "a1\na2\r\n\na4\n");
    await writeFile(join(home.home, "logs", "b.log"), "b1\nb2"); // no final newline
    await writeFile(join(home.home, "logs", "c.log.gz"), gzipSync("c1\nc2\n"));
    await writeFile(join(home.home, "first.log"), "f1\n");
  });
  beforeEach(() => {
    server.requests.length = 0;
    answer = () => 200;
  });
  after(async () => {
    await server.close();
  });

  it("files + glob + .gz + stdin: every line once, in order, small files in one request", async () => {
    const r = await runEvsend(args("first.log", "logs/*", "-", "--concurrency", "1"), {
      env,
      stdin: gzipSync("s1\ns2\n"),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const received = server.requests.map((req) => {
      assert.equal(req.method, "POST");
      assert.equal(req.url, `/stream/acme/token!${TOKEN}/h1/my.app.test`);
      return linesOf(req);
    });
    // b.log has no final newline: its last line is not glued to c.log's first.
    assert.deepEqual(received, [["f1", "a1", "a2", "a4", "b1", "b2", "c1", "c2", "s1", "s2"]]);
    assert.deepEqual(r.stdout.split("\n").slice(0, 5), [
      "first.log: 1 line, delivered",
      "logs/a.log: 3 lines, delivered",
      "logs/b.log: 2 lines, delivered",
      "logs/c.log.gz: 2 lines, delivered",
      "stdin: 2 lines, delivered",
    ]);
    assert.match(
      r.stdout,
      /^delivered 10 of 10 lines from 5 files in 1 request \(1 empty skipped, 0 rejected, 0 retries\)$/m,
    );
  });

  it("batches at line boundaries under --batch-size; --gzip bodies decode to the same lines", async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `event ${i} ${"x".repeat(i % 50)}`);
    await writeFile(join(home.home, "many.log"), lines.join("\n") + "\n");
    const r = await runEvsend(args("many.log", "--batch-size", "2k", "--gzip", "--json"), { env });
    assert.equal(r.code, 0, r.stderr);
    const bodies = server.requests.map((req) => {
      assert.equal(req.headers["content-encoding"], "gzip");
      const plain = gunzipSync(req.body);
      assert.ok(plain.length <= 2048, `body of ${plain.length} bytes`);
      return plain.toString("utf8").split("\n");
    });
    assert.ok(bodies.length > 5);
    assert.deepEqual(bodies.flat().sort(), [...lines].sort());
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.type, "summary");
    assert.equal(summary.exitCode, 0);
    assert.equal(summary.delivered, 300);
    assert.equal(summary.requests, bodies.length);
  });

  it("413 splits the batch until the server takes it", async () => {
    // Lines of 100 bytes; the server takes one at a time; halving goes on down to 128 bytes
    // (1/8 of --batch-size), so a one-line body of 100 bytes is still tried.
    const line = (n: number): string => `l${n}`.padEnd(100, ".");
    await writeFile(join(home.home, "four.log"), [1, 2, 3, 4].map(line).join("\n") + "\n");
    answer = (req) => (linesOf(req).length > 1 ? 413 : 200);
    const r = await runEvsend(args("four.log", "--concurrency", "1", "--batch-size", "1k"), {
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      server.requests.map((req) => linesOf(req).map((l) => l.slice(0, 2))),
      // l3+l4 is as large as l1+l2, which was refused: it is halved without asking again.
      [["l1", "l2", "l3", "l4"], ["l1", "l2"], ["l1"], ["l2"], ["l3"], ["l4"]],
    );
  });

  it("a line longer than --batch-size goes alone in its own request; exit 0", async () => {
    await writeFile(join(home.home, "long.log"), `ok1\nok2\n${"y".repeat(2000)}\nok4\n`);
    const r = await runEvsend(args("long.log", "--batch-size", "1k"), { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^long\.log: 4 lines, delivered$/m);
    assert.deepEqual(
      server.requests.map((req) => linesOf(req).map((l) => l.slice(0, 3))),
      [["ok1", "ok2"], ["yyy"], ["ok4"]],
    );
    assert.equal(linesOf(server.requests[1]!)[0]!.length, 2000);
  });

  it("a failing batch stops the run; the summary says which lines were and were not delivered", async () => {
    // 400 lines of 9 bytes: four batches of at most 1 KiB (102 lines each).
    const lines = Array.from({ length: 400 }, (_, i) => `line-${String(i + 1).padStart(4, "0")}`);
    await writeFile(join(home.home, "fail.log"), lines.join("\n"));
    answer = (_req, index) => (index === 2 ? 400 : 200);
    const r = await runEvsend(
      args("fail.log", "first.log", "--batch-size", "1k", "--concurrency", "1", "--json"),
      { env },
    );
    assert.equal(r.code, 6, r.stderr);
    assert.equal(server.requests.length, 3);
    const out = ndjson(r.stdout);
    const fail = out.find((o) => o.type === "result" && o.file === "fail.log")!;
    const first = out.find((o) => o.type === "result" && o.file === "first.log")!;
    assert.equal(fail.status, "partial");
    assert.deepEqual(fail.ranges, {
      delivered: [[1, 204]],
      warned: [],
      failed: [[205, 306]],
      rejected: [],
      notSent: [],
    });
    assert.equal(fail.notSentFrom, 307);
    assert.equal(first.status, "not sent");
    assert.match(r.stderr, /^error: Devo rejected the request \(HTTP 400\)$/m);
    assert.equal(out.at(-1)!.exitCode, 6);
  });

  it("auth failure with nothing delivered → exit 4, token masked everywhere", async () => {
    answer = () => 401;
    const r = await runEvsend(["-v", ...args("first.log")], { env });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /Devo refused the token \(HTTP 401\)/);
    assert.match(r.stderr, /token!\*\*\*\*/);
    assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN));
    assert.match(r.stdout, /^first\.log: 1 line, failed; lines 1 failed$/m);
  });

  it("missing file, directory, empty glob → exit 5 listing each, nothing sent", async () => {
    const r = await runEvsend(args("first.log", "nope.log", "logs", "none/*.log"), { env });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /nope\.log: no such file/);
    assert.match(r.stderr, /logs: is a directory/);
    assert.match(r.stderr, /none\/\*\.log: the glob matched no file/);
    assert.equal(server.requests.length, 0);
  });

  it("damaged gzip: exit 5, the error names the file", async () => {
    const whole = gzipSync("z".repeat(5000));
    await writeFile(join(home.home, "bad.gz"), whole.subarray(0, 30));
    const r = await runEvsend(args("bad.gz"), { env });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /bad\.gz: not valid gzip data/);
  });

  it("--dry-run shows the batch plan, sends nothing, needs no token", async () => {
    const r = await runEvsend(["-n", ...args("logs/a.log", "logs/b.log")], {
      env: { ...home.env, EVSEND_DEVO_ENDPOINT: server.url },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 0);
    assert.match(
      r.stdout,
      /^POST http:\/\/127\.0\.0\.1:\d+\/stream\/acme\/token!\*\*\*\*\/h1\/my\.app\.test$/m,
    );
    assert.match(r.stdout, /body: 14 bytes: a1\\na2\\na4\\nb1\\nb2/);
    assert.match(r.stdout, /5 lines: logs\/a\.log lines 1-4, logs\/b\.log lines 1-2/);
    assert.match(r.stdout, /^would send 5 of 5 lines from 2 files in 1 request /m);
  });

  it("SIGINT: stops reading, lets the request in flight finish, reports it, exit 130", async (t) => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line-${String(i + 1).padStart(5, "0")}`);
    await writeFile(join(home.home, "slow.log"), lines.join("\n"));
    let release: (() => void) | undefined;
    const slow = await withServer(t, (_req, res) => {
      release = () => res.writeHead(200).end();
    });
    let pid = 0;
    const run = runEvsend(
      [
        "--json",
        ...args("slow.log", "--batch-size", "1k", "--concurrency", "1", "--endpoint", slow.url),
      ],
      { env, onSpawn: (p) => (pid = p) },
    );
    while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    process.kill(pid, "SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    release?.();
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    assert.equal(slow.requests.length, 1, "no request after the interrupt");
    const out = ndjson(r.stdout);
    const result = out.find((o) => o.type === "result")!;
    assert.deepEqual((result.ranges as Record<string, unknown>).delivered, [[1, 93]]); // 93 lines of 10 bytes + \n fill 1 KiB
    assert.equal(result.notSentFrom, 94);
    assert.equal(out.at(-1)!.exitCode, 130);
  });

  it("binary input: a warning, bytes passed through unchanged; an empty file is 'empty'", async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x80, 0x0d, 0x0a, 0x41]);
    await writeFile(join(home.home, "blob.bin"), bytes);
    await writeFile(join(home.home, "empty.log"), "");
    const r = await runEvsend(args("blob.bin", "empty.log"), { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: blob\.bin looks binary \(it holds NUL bytes\)/m);
    assert.deepEqual(server.requests[0]!.body, Buffer.from([0x00, 0xff, 0x0a, 0x80, 0x0a, 0x41]));
    assert.match(r.stdout, /^empty\.log: 0 lines, empty$/m);
  });

  it("empty input: exit 0, nothing sent", async () => {
    const r = await runEvsend(args("-"), { env, stdin: "\n\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.length, 0);
    assert.match(r.stdout, /^delivered 0 of 0 lines from 1 file in 0 requests \(2 empty skipped/m);
  });
});
