import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { httpCall as call, spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer, withTempHome } from "../helpers/scoped.js";

const TOKEN = "Emu1atorT0ken00000000000000000EF";

describe("evsend emulate (end to end)", () => {
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let url: string;
  let printed: string[];

  before(async () => {
    emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN]);
    url = emulator.url;
    printed = emulator.stdout;
  });
  after(async () => {
    assert.equal(await emulator.stop(), 130);
    assert.ok(!emulator.stderr().includes(TOKEN));
  });

  it("round trip: devo send → recorded and printed, token never exposed", async () => {
    await call(`${url}/_emulator/events`, "DELETE");
    const r = await runEvsend(
      [
        "devo",
        "send",
        "--endpoint",
        url,
        "--domain",
        "d",
        "--tag",
        "my.app.t",
        "--host",
        "h",
        "round trip",
      ],
      {
        env: { ...home.env, EVSEND_DEVO_TOKEN: TOKEN },
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse((await call(`${url}/_emulator/events`, "GET")).body) as {
      total: number;
      next: number | null;
      events: Array<Record<string, unknown>>;
    };
    assert.equal(got.total, 1);
    assert.equal(got.next, null);
    assert.equal(got.events.length, 1);
    assert.equal(got.events[0]!.event, "round trip");
    assert.equal(typeof got.events[0]!.seq, "number");
    assert.deepEqual(got.events[0]!.target, { domain: "d", host: "h", tag: "my.app.t" });
    assert.ok(!JSON.stringify(got).includes(TOKEN));
    assert.equal(
      await emulator.waitForLine((l) => l.includes("round trip")),
      "devo event d h my.app.t: round trip",
    );
    assert.ok(!printed.join("\n").includes(TOKEN));
  });

  it("wrong token → 401 → evsend exit 4", async () => {
    const r = await runEvsend(
      ["devo", "send", "--endpoint", url, "--domain", "d", "--tag", "my.app.t", "x"],
      {
        env: { ...home.env, EVSEND_DEVO_TOKEN: "wrong" },
      },
    );
    assert.equal(r.code, 4, r.stderr);
  });

  const cases: Array<[string, string, string, Buffer | undefined, Record<string, string>, number]> =
    [
      ["event GET", "GET", `/event/d/token!${TOKEN}/h/my.app.t?hi`, undefined, {}, 204],
      ["event without message", "GET", `/event/d/token!${TOKEN}/h/my.app.t`, undefined, {}, 400],
      [
        "stream POST",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("a\nb\n"),
        {},
        200,
      ],
      [
        "stream gzip",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        gzipSync("a\nb"),
        { "content-encoding": "gzip" },
        200,
      ],
      [
        "stream corrupt gzip",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("nope"),
        { "content-encoding": "gzip" },
        400,
      ],
      ["stream GET", "GET", `/stream/d/token!${TOKEN}/h/my.app.t`, undefined, {}, 405],
      [
        "stream brotli",
        "POST",
        `/stream/d/token!${TOKEN}/h/my.app.t`,
        Buffer.from("x"),
        { "content-encoding": "br" },
        415,
      ],
      ["too few segments", "GET", `/event/d/token!${TOKEN}/h?x`, undefined, {}, 400],
      ["no token! prefix", "GET", `/event/d/${TOKEN}/h/my.app.t?x`, undefined, {}, 400],
      ["unknown path", "GET", "/nothing/here", undefined, {}, 404],
      // A web page: DNS rebinding (a name resolving to 127.0.0.1), or another origin's form.
      ["rebound Host", "GET", "/_emulator/events", undefined, { host: "attacker.example" }, 403],
      [
        "cross-origin text/plain post",
        "POST",
        "/event/send?event-identifier=e&access-key=k",
        Buffer.from('{"injected":true}'),
        { origin: "https://attacker.example", "content-type": "text/plain" },
        403,
      ],
      ["wrong token", "GET", "/event/d/token!nope/h/my.app.t?x", undefined, {}, 401],
    ];
  for (const [name, method, path, body, headers, status] of cases) {
    it(`${name} → ${status}`, async () => {
      assert.equal((await call(url + path, method, body, headers)).status, status);
    });
  }

  it("a stream body over 32 MB → 413", async () => {
    const big = Buffer.alloc(32 * 1024 * 1024 + 10, "a\n");
    assert.equal(
      (await call(`${url}/stream/d/token!${TOKEN}/h/my.app.t`, "POST", big)).status,
      413,
    );
  });
});

/** True when the text holds a C0 (other than tab), DEL or C1 control character. */
function hasRawControl(text: string): boolean {
  return [...text].some((c) => {
    const code = c.codePointAt(0)!;
    return (code < 0x20 && code !== 9) || (code >= 0x7f && code <= 0x9f);
  });
}

describe("evsend emulate prints what senders control, escaped", () => {
  it("an event with an OSC 52 (clipboard) sequence never reaches the terminal raw", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env);
    try {
      const evil = "copy \x1b]52;c;ZXZpbA==\x07 \x9b31m done";
      const path = `/event/d/token!t/h/my.app.t?${encodeURIComponent(evil)}`;
      assert.equal((await call(emulator.url + path, "GET")).status, 204);
      const line = await emulator.waitForLine((l) => l.includes("52;c;ZXZpbA=="));
      assert.ok(!hasRawControl(line), JSON.stringify(line));
      assert.match(line, /^devo event d h my\.app\.t: copy \\(x1b|u001b|e)\]52;c;ZXZpbA==/);
    } finally {
      await emulator.stop();
    }
  });
});

describe("evsend -v emulate", () => {
  it("logs each request with its status, tokens masked, and how many events it got", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, ["--devo-token", TOKEN], ["-v"]);
    try {
      const wrong = "Wr0ngT0ken000000000000000000000X";
      await call(`${emulator.url}/event/d/token!${wrong}/h/my.app.t?x`, "GET");
      await call(`${emulator.url}/event/d/token!${TOKEN}/h/my.app.t?y`, "GET");
      assert.equal(await emulator.stop(), 130);
      const lines = emulator.stderr().split("\n");
      for (const status of [401, 204]) {
        assert.ok(
          lines.some((l) =>
            new RegExp(`^GET /event/d/token!\\*{4}/h/my\\.app\\.t → ${status} \\(\\d+ms\\)$`).test(
              l,
            ),
          ),
          emulator.stderr(),
        );
      }
      assert.ok(lines.includes("emulator stopped: 1 event received"), emulator.stderr());
      const all = emulator.stdout.join("\n") + emulator.stderr();
      assert.ok(!all.includes(TOKEN) && !all.includes(wrong));
    } finally {
      await emulator.stop();
    }
  });
});

describe("evsend --json emulate --max-stored", () => {
  it("forgets the oldest past the cap, warns once, counts them; the last line is a summary", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env, ["--max-stored", "4k"], ["--json"]);
    try {
      const body = Array.from({ length: 60 }, (_, i) => `line ${i + 1} ${"x".repeat(90)}`);
      const path = `/stream/d/token!${TOKEN}/h/my.app.t`;
      assert.equal((await call(emulator.url + path, "POST", body.join("\n"))).status, 200);
      await emulator.waitForLine((l) => l.includes('"seq":60'));
      const page = JSON.parse((await call(`${emulator.url}/_emulator/events`, "GET")).body) as {
        total: number;
        kept: number;
        dropped: number;
        events: Array<{ seq: number; event: string }>;
      };
      assert.equal(page.total, 60);
      assert.ok(page.kept > 5 && page.kept < 30, `${page.kept} kept`);
      assert.equal(page.dropped, 60 - page.kept);
      assert.equal(JSON.stringify(page.events).length < 4096 + page.kept, true);
      assert.deepEqual(
        page.events.map((e) => e.event),
        body.slice(page.dropped),
      );
      assert.equal(await emulator.stop(), 130);
      const lines = ndjson(emulator.stdout.join("\n"));
      assert.equal(lines.filter((l) => l.type === "warning").length, 1);
      assert.deepEqual(
        lines.filter((l) => l.type === "result").map((l) => l.seq ?? l.event),
        ["listening", ...body.map((_, i) => i + 1)],
      );
      assert.deepEqual(lines.at(-1), {
        type: "summary",
        exitCode: 130,
        received: 60,
        dropped: page.dropped,
      });
    } finally {
      await emulator.stop();
    }
  });
});

describe("interruption", () => {
  it("SIGINT while waiting on a slow server → exit 130", async (t) => {
    const home = await withTempHome(t);
    const server = await withServer(t, () => {}); // never answers
    let pid = 0;
    const run = runEvsend(
      ["devo", "send", "--endpoint", server.url, "--domain", "d", "--tag", "my.app.t", "x"],
      {
        env: { ...home.env, EVSEND_DEVO_TOKEN: TOKEN },
        onSpawn: (p) => (pid = p),
      },
    );
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    process.kill(pid, "SIGINT");
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
  });
});
