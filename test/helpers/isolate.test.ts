import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isolatedEnv } from "./isolate.js";
import { runInProcess } from "./run-cli.js";
import { runEvsend, tempHome } from "./spawn.js";

// The person running the tests has a config with `gzip: true` and EVSEND_* and proxy variables
// set: none of it may reach the evsend a test (or `npm run bench`) runs.
const OUTSIDE: NodeJS.ProcessEnv = {
  EVSEND_DEVO_DOMAIN: "outside-domain",
  EVSEND_DEVO_GZIP: "true",
  EVSEND_PROFILE: "mine",
  HTTPS_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  ALL_PROXY: "http://127.0.0.1:9",
  NODE_TLS_REJECT_UNAUTHORIZED: "0",
};

describe("tests and benchmarks run isolated from the environment", () => {
  let outsideHome: string;
  const saved: NodeJS.ProcessEnv = {};

  before(async () => {
    outsideHome = await mkdtemp(join(tmpdir(), "evsend-outside-"));
    await mkdir(join(outsideHome, "evsend"), { recursive: true });
    await writeFile(
      join(outsideHome, "evsend", "config.yaml"),
      "defaultProfile: mine\nprofiles:\n  mine:\n    devo: { gzip: true, domain: outside-profile }\n",
      { mode: 0o600 },
    );
    for (const [key, value] of Object.entries({ ...OUTSIDE, XDG_CONFIG_HOME: outsideHome })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(outsideHome, { recursive: true, force: true });
  });

  it("isolatedEnv drops evsend, proxy and TLS variables, points HOME and XDG into the home", () => {
    const base = { ...OUTSIDE, PATH: "/bin", XDG_CONFIG_HOME: "/x", XDG_CACHE_HOME: "/c" };
    assert.deepEqual(isolatedEnv("/tmp/h", base), {
      PATH: "/bin",
      HOME: "/tmp/h",
      XDG_CONFIG_HOME: "/tmp/h/.config",
      XDG_CACHE_HOME: "/tmp/h/.cache",
    });
  });

  it("a spawned evsend sees neither the outside config nor the variables", async () => {
    const home = await tempHome();
    try {
      await writeFile(join(home.home, "app.log"), "one\n");
      const r = await runEvsend(
        ["--json", "-n", "devo", "file", "app.log", "--domain", "d", "--tag", "a.b"],
        { env: home.env },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /outside|proxy|content-encoding/i);
      assert.match(r.stdout, /"gzip":false/);
    } finally {
      await home.cleanup();
    }
  });

  it("an in-process run sees none of them either", async () => {
    const r = await runInProcess(["-n", "devo", "send", "--tag", "a.b", "hi"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /domain/);
    assert.doesNotMatch(r.stdout + r.stderr, /outside|mine/);
  });
});
