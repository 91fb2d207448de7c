import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runEvsend, startServer, tempHome, type TempHome } from "../helpers/spawn.js";

const TOKEN = "Map5T0ken000000000000000000000AB";
const ARGS = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];

describe("the bundle's stack traces (end to end)", () => {
  let home: TempHome;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    home = await tempHome();
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
  });
  after(() => home.cleanup());

  for (const flag of ["-v", "--verbose", "-nv"]) {
    it(`${flag}: the stack names src/ files and lines, not dist/`, async () => {
      const server = await startServer((_req, res) => res.writeHead(503).end());
      try {
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
      } finally {
        await server.close();
      }
    });
  }

  it("without --verbose: no stack trace at all", async () => {
    const server = await startServer((_req, res) => res.writeHead(503).end());
    try {
      const r = await runEvsend([...ARGS, "--retries", "0", "--endpoint", server.url, "hi"], {
        env,
      });
      assert.equal(r.code, 7, r.stderr);
      assert.ok(!r.stderr.includes("    at "), r.stderr);
    } finally {
      await server.close();
    }
  });
});
