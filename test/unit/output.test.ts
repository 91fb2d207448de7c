import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { AuthError } from "../../src/errors.js";
import { createOutput, type OutputOptions } from "../../src/output/output.js";
import { Redactor } from "../../src/transport/redact.js";

function capture(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  const chunks: Buffer[] = [];
  s.on("data", (c: Buffer) => chunks.push(c));
  s.isTTY = isTTY;
  s.text = () => Buffer.concat(chunks).toString("utf8");
  return s;
}

function make(overrides: Partial<OutputOptions> = {}, tty = false) {
  const stdout = capture(tty);
  const stderr = capture(tty);
  const redactor = new Redactor();
  redactor.add("SECRET");
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

  it("quiet hides results, info and summary, keeps warnings and errors", () => {
    const { output, stdout, stderr } = make({ quiet: true });
    output.result("r", {});
    output.info("i");
    output.summary(["s"], {}, 0);
    output.warn("w");
    assert.equal(stdout.text(), "");
    assert.equal(stderr.text(), "warning: w\n");
  });

  it("verbose logs attempts; otherwise nothing", () => {
    const quiet = make();
    quiet.output.attempt({
      method: "GET",
      url: "u",
      attempt: 1,
      durationMs: 5,
      status: 503,
      retryInMs: 700,
    });
    assert.equal(quiet.stderr.text(), "");
    const loud = make({ verbose: true });
    loud.output.attempt({
      method: "GET",
      url: "u",
      attempt: 1,
      durationMs: 5,
      status: 503,
      retryInMs: 700,
    });
    assert.equal(loud.stderr.text(), "GET u → 503 (5ms, attempt 1, retry in 700ms)\n");
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
