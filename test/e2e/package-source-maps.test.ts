import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "Map5T0ken000000000000000000000AB";
const ARGS = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];

describe("the bundle's stack traces (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
  });

  for (const flag of ["-v", "--verbose", "-nv"]) {
    it(`${flag}: the stack names src/ files and lines, not dist/`, async (t) => {
      const server = await withServer(t, (_req, res) => res.writeHead(503).end());
      // -nv is a dry run: it fails before sending, on an endpoint that is not a URL.
      const r =
        flag === "-nv"
          ? await runEvsend(["-nv", ...ARGS, "--endpoint", "ftp://x", "hi"], { env })
          : await runEvsend([flag, ...ARGS, "--retries", "0", "--endpoint", server.url, "hi"], {
              env,
            });
      assert.notEqual(r.code, 0, r.stderr);
      assert.match(r.stderr, /^ {4}at .*\/src\/[\w/-]+\.ts:\d+:\d+\)?$/m, r.stderr);
      assert.doesNotMatch(r.stderr, /\/dist\/(evsend|chunks\/)/, r.stderr);
      assert.ok(!r.stderr.includes(TOKEN), "the token never shows");
    });
  }

  it("without --verbose: no stack trace at all", async (t) => {
    const server = await withServer(t, (_req, res) => res.writeHead(503).end());
    const r = await runEvsend([...ARGS, "--retries", "0", "--endpoint", server.url, "hi"], {
      env,
    });
    assert.equal(r.code, 7, r.stderr);
    assert.ok(!r.stderr.includes("    at "), r.stderr);
  });
});
