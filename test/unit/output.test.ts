import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { describe, it } from "node:test";
import { AuthError, RejectedError } from "../../src/errors.js";
import { createOutput, type OutputOptions } from "../../src/output/output.js";
import { Redactor, ServerValue } from "../../src/transport/redact.js";

function capture(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.isTTY = isTTY;
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

function make(overrides: Partial<OutputOptions> = {}, tty = false, secrets = ["SECRET"]) {
  const stdout = capture(tty);
  const stderr = capture(tty);
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  const output = createOutput({
    stdout,
    stderr,
    env: {},
    json: false,
    quiet: false,
    verbose: false,
    color: true,
    redactor,
    ...overrides,
  });
  return { output, stdout, stderr };
}

describe("createOutput", () => {
  it("human: results on stdout, warnings and errors on stderr, no colour off a TTY", () => {
    const { output, stdout, stderr } = make();
    output.result("accepted SECRET", { a: 1 });
    output.warn("careful");
    output.error(new AuthError("refused", { hint: "fix the token" }), 4);
    assert.equal(stdout.text(), "accepted ****\n");
    assert.equal(stderr.text(), "warning: careful\nerror: refused\nhint: fix the token\n");
  });

  it("json: NDJSON objects, error last with exitCode, secrets masked", () => {
    const { output, stdout } = make({ json: true });
    output.result("ignored", { token: "SECRET" });
    output.warn("w");
    output.error(new AuthError("refused SECRET"), 4);
    const lines = stdout
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines, [
      { type: "result", token: "****" },
      { type: "warning", message: "w" },
      { type: "error", exitCode: 4, message: "refused ****" },
    ]);
  });

  it("quiet keeps the first summary line of a run that did not fully succeed, on stderr", () => {
    const { output, stdout, stderr } = make({ quiet: true });
    output.summary(["delivered 2 of 3 rows", "read 1 KB"], {}, 6);
    assert.equal(stdout.text(), "");
    assert.equal(stderr.text(), "delivered 2 of 3 rows\n");
  });

  it("quiet hides results, info and summary, keeps warnings and errors", () => {
    const { output, stdout, stderr } = make({ quiet: true });
    output.result("r", {});
    output.info("i");
    output.summary(["s"], {}, 0);
    output.warn("w");
    assert.equal(stdout.text(), "");
    assert.equal(stderr.text(), "warning: w\n");
  });

  it("verbose logs attempts; otherwise one line per scheduled retry, none with --quiet", () => {
    const log = {
      method: "GET",
      url: "u",
      attempt: 1,
      maxAttempts: 6,
      durationMs: 5,
      status: 503,
      retryInMs: 1200,
    };
    const plain = make();
    plain.output.attempt(log);
    plain.output.attempt({ ...log, attempt: 6, retryInMs: undefined });
    assert.equal(
      plain.stderr.text(),
      "retrying in 1.2s: 503 Service Unavailable (attempt 2 of 6)\n",
    );
    const network = make();
    network.output.attempt({
      ...log,
      status: undefined,
      error: "connect ECONNREFUSED 127.0.0.1:9",
      retryInMs: 300,
    });
    assert.equal(
      network.stderr.text(),
      "retrying in 300ms: connect ECONNREFUSED 127.0.0.1:9 (attempt 2 of 6)\n",
    );
    const quiet = make({ quiet: true });
    quiet.output.attempt(log);
    assert.equal(quiet.stderr.text() + quiet.stdout.text(), "");
    const loud = make({ verbose: true });
    loud.output.attempt({ ...log, retryInMs: 700 });
    assert.equal(loud.stderr.text(), "GET u → 503 (5ms, attempt 1, retry in 700ms)\n");
  });

  it("--json: a retry object on stdout, nothing on stderr", () => {
    const { output, stdout, stderr } = make({ json: true });
    output.attempt({
      method: "POST",
      url: "http://h/x",
      attempt: 2,
      maxAttempts: 6,
      durationMs: 5,
      status: 429,
      retryInMs: 2000,
    });
    assert.equal(stderr.text(), "");
    assert.deepEqual(JSON.parse(stdout.text()), {
      type: "retry",
      attempt: 3,
      maxAttempts: 6,
      inMs: 2000,
      reason: "429 Too Many Requests",
      status: 429,
      method: "POST",
      url: "http://h/x",
    });
  });

  it("colour on a TTY, off with NO_COLOR or --no-color", () => {
    const tty = make({}, true);
    tty.output.warn("x");
    assert.ok(tty.stderr.text().includes("\u001b["), "an ANSI colour sequence");
    const noColor = make({ env: { NO_COLOR: "1" } }, true);
    noColor.output.warn("x");
    assert.equal(noColor.stderr.text(), "warning: x\n");
    const flag = make({ color: false }, true);
    flag.output.warn("x");
    assert.equal(flag.stderr.text(), "warning: x\n");
  });

  it("dry-run request: masked URL and headers, body size and start", () => {
    const { output, stdout } = make();
    output.request({
      method: "POST",
      url: "http://h/stream/d/token!SECRET/h/t",
      headers: { authorization: "Bearer SECRET", "content-type": "text/plain" },
      body: Buffer.from("line one\nline two"),
    });
    assert.equal(
      stdout.text(),
      [
        "POST http://h/stream/d/token!****/h/t",
        "  authorization: ****",
        "  content-type: text/plain",
        "  body: 17 bytes: line one\\nline two",
        "",
      ].join("\n"),
    );
  });

  it("dry-run body start: masked before it is cut (no first characters of a secret)", () => {
    const { output, stdout } = make({}, false, ["TheWholeSecretValue"]);
    const body = `${"x".repeat(190)}TheWholeSecretValue`;
    output.request({ method: "POST", url: "http://h/", headers: {}, body });
    assert.match(stdout.text(), /body: 209 bytes: x{190}\*\*\*\*\n$/);
  });

  it("no spinner without a TTY, with CI=true, --json, --quiet or no terminal width", async () => {
    for (const [opts, tty] of [
      [{}, false],
      [{ env: { CI: "true" } }, true],
      [{ json: true }, true],
      [{ quiet: true }, true],
      [{}, true], // a terminal that reports no width (columns 0)
    ] as Array<[Partial<OutputOptions>, boolean]>) {
      const { output, stderr } = make(opts, tty);
      (stderr as { columns?: number }).columns = 0;
      const progress = await output.progress("working");
      progress.update("still working");
      progress.stop();
      assert.equal(stderr.text(), "", JSON.stringify(opts));
    }
  });
});

const OSC52 = "\u001b]52;c;ZWNobyBwd25lZA==\u0007";

describe("createOutput: outside text on a terminal", () => {
  it("escapes control characters in results, warnings, errors, hints and dry-run requests", () => {
    const { output, stdout, stderr } = make({}, false, []);
    output.result(`event: ${OSC52}`, {});
    output.warn(`server said ${OSC52}`);
    output.error(new RejectedError(`HTTP 400: ${OSC52}`, { hint: `fix\u009b` }), 1);
    output.request({ method: "GET", url: `http://h/x?${OSC52}`, headers: { "x-a": "\u0007" } });
    const all = stdout.text() + stderr.text();
    // eslint-disable-next-line no-control-regex -- looking for raw control characters
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(all), JSON.stringify(all));
    assert.match(stdout.text(), /^event: \\x1b\]52;c;ZWNobyBwd25lZA==\\x07$/m);
    assert.match(stderr.text(), /^error: HTTP 400: \\x1b\]52/m);
    assert.match(stderr.text(), /^hint: fix\\u009b$/m);
  });

  it("keeps evsend's own colours on a terminal while escaping the message's", () => {
    const { output, stderr } = make({ env: { FORCE_COLOR: "1" } }, true, []);
    output.warn(`x${OSC52}`);
    const text = stderr.text();
    assert.ok(text.startsWith("\u001b["), JSON.stringify(text)); // chalk's yellow
    assert.ok(text.includes("x\\x1b]52"), JSON.stringify(text));
    assert.ok(!text.includes("\u0007"), JSON.stringify(text));
  });

  it("--json: DEL and C1 escaped, the line parses back to the same text", () => {
    const { output, stdout } = make({ json: true }, false, []);
    output.result(undefined, { event: "a\u009b[2Jb\u007f" });
    const line = stdout.text().trim();
    assert.ok(!/[\u007f-\u009f]/.test(line), line);
    assert.deepEqual(JSON.parse(line), { type: "result", event: "a\u009b[2Jb\u007f" });
  });
});

describe("createOutput: masking structured values", () => {
  it("a token `0` masks no number and no key of the JSON output", () => {
    const { output, stdout } = make({ json: true }, false, ["0", "type"]);
    output.result(undefined, { status: 200, attempts: 10, note: "token 0" });
    output.summary([], { requests: 0 }, 0);
    const lines = stdout
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      { type: "result", status: 200, attempts: 10, note: "token ****" },
      { type: "summary", exitCode: 0, requests: 0 },
    ]);
  });

  it("a one-character token masks no word of evsend's own: type, service, outcome, status, method", () => {
    const { output, stdout } = make({ json: true }, false, ["e"]);
    output.result(undefined, { service: "devo", mode: "event", outcome: "delivered", note: "e" });
    output.result(undefined, { file: "f", status: "partial" });
    output.request({ method: "GET", url: "http://h/e", headers: {} });
    output.error(new RejectedError("refused"), 1);
    const lines = stdout
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.type, l.service, l.mode, l.outcome, l.status, l.method]),
      [
        ["result", "devo", "event", "delivered", undefined, undefined],
        ["result", undefined, undefined, undefined, "partial", undefined],
        ["request", undefined, undefined, undefined, undefined, "GET"],
        ["error", undefined, undefined, undefined, undefined, undefined],
      ],
    );
    assert.equal(lines[0]!.note, "****");
    assert.equal(lines[2]!.url, "http://h/****");
  });

  it("a server's value (ServerValue): its keys and numbers are masked too", () => {
    const { output, stdout } = make({ json: true }, false, ["Echoed-Key-000", "73917391"]);
    const body = {
      headers: { "Echoed-Key-000": "seen" },
      pin: 73917391,
      code: 20000,
      ...(JSON.parse(`{"__proto__":{"a":1}}`) as object),
    };
    output.result(undefined, { status: 200, response: new ServerValue(body) });
    const line = stdout.text().trim();
    assert.ok(!line.includes("Echoed-Key") && !line.includes("7391"), line);
    assert.deepEqual(JSON.parse(line), {
      type: "result",
      status: 200,
      response: JSON.parse(
        `{"headers":{"****":"seen"},"pin":"****","code":20000,"__proto__":{"a":1}}`,
      ),
    });
  });

  it('a token ab\\"SECRET cannot escape masking through JSON escaping', () => {
    const token = 'ab\\"SECRET';
    const { output, stdout, stderr } = make({ json: true }, false, [token]);
    output.warn(`server echoed {"token":${JSON.stringify(token)}} and ${token}`);
    output.error(new RejectedError(`bad ${encodeURIComponent(token)}`), 1);
    const all = stdout.text() + stderr.text();
    assert.ok(!all.includes("SECRET"), all);
    for (const line of stdout.text().trim().split("\n")) JSON.parse(line);
  });

  it("dry-run: a token that spells a header name masks the value, never the name", () => {
    const { output, stdout } = make({}, false, ["content"]);
    output.request({
      method: "POST",
      url: "http://h/stream/d/token!content/h/t",
      headers: { "content-type": "text/plain", "x-token": "content" },
    });
    assert.equal(
      stdout.text(),
      "POST http://h/stream/d/token!****/h/t\n  content-type: text/plain\n  x-token: ****\n",
    );
  });

  it("spinner text is masked and kept on one line", async () => {
    // Enough of a terminal for ora: a width and cursor movements.
    const stderr = Object.assign(capture(true), {
      columns: 80,
      cursorTo: () => true,
      moveCursor: () => true,
      clearLine: () => true,
    });
    const redactor = new Redactor();
    redactor.add("SECRET");
    const output = createOutput({
      stdout: capture(false),
      stderr,
      env: {},
      json: false,
      quiet: false,
      verbose: false,
      color: false,
      redactor,
    });
    const progress = await output.progress("sending SECRET\n\u001b[2J");
    progress.update("file SECRET.log\u001b]52;c;x\u0007");
    progress.stop();
    const text = stderr.text();
    assert.ok(!text.includes("SECRET"), JSON.stringify(text));
    assert.ok(!text.includes("\u001b]52"), JSON.stringify(text));
  });
});

describe("createOutput: a stdout that fails", () => {
  it("EPIPE ends output quietly; later writes are dropped, nothing throws", async () => {
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _enc, cb) {
        writes += 1;
        cb(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const stderr = capture(false);
    const output = createOutput({
      stdout,
      stderr,
      env: {},
      json: true,
      quiet: false,
      verbose: false,
      color: false,
      redactor: new Redactor(),
    });
    output.result(undefined, { n: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    output.result(undefined, { n: 2 });
    output.summary([], {}, 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writes, 1);
    output.warn("still here");
    assert.equal(stderr.text(), "warning: still here\n");
  });
});
