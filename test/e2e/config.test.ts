import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runEvsend, startServer, type TestServer } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "Pr0fileT0ken000000000000000000CD";

describe("configuration (end to end)", () => {
  const home = useTempHome();
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
  });
  after(async () => {
    await server.close();
  });

  it("uses the default profile; flag > env > profile", async () => {
    await home.writeConfig(
      [
        "defaultProfile: local",
        "profiles:",
        "  local:",
        `    devo: { endpoint: "${server.url}", domain: fromprofile, tag: my.app.p, host: ph, token: { env: MY_DEVO_TOKEN } }`,
        "  other:",
        `    devo: { endpoint: "${server.url}", domain: other, tag: my.app.o, token: { env: MY_DEVO_TOKEN } }`,
      ].join("\n"),
    );
    const env = { ...home.env, MY_DEVO_TOKEN: TOKEN };
    const base = await runEvsend(["devo", "send", "a"], { env });
    assert.equal(base.code, 0, base.stderr);
    const fromEnv = await runEvsend(["devo", "send", "b"], {
      env: { ...env, EVSEND_DEVO_DOMAIN: "fromenv" },
    });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const fromFlag = await runEvsend(["devo", "send", "--domain", "fromflag", "c"], {
      env: { ...env, EVSEND_DEVO_DOMAIN: "fromenv" },
    });
    assert.equal(fromFlag.code, 0, fromFlag.stderr);
    const other = await runEvsend(["devo", "send", "d"], {
      env: { ...env, EVSEND_PROFILE: "other" },
    });
    assert.equal(other.code, 0, other.stderr);
    const urls = server.requests.slice(-4).map((r) => r.url);
    assert.deepEqual(urls, [
      `/event/fromprofile/token!${TOKEN}/ph/my.app.p?a`,
      `/event/fromenv/token!${TOKEN}/ph/my.app.p?b`,
      `/event/fromflag/token!${TOKEN}/ph/my.app.p?c`,
      `/event/other/token!${TOKEN}/test-host-placeholder/my.app.o?d`.replace(
        "test-host-placeholder",
        urls[3]!.split("/")[4]!,
      ),
    ]);
  });

  it("unknown profile → exit 3 listing the profiles that exist", async () => {
    const r = await runEvsend(["-p", "nope", "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /unknown profile "nope"/);
    assert.match(r.stderr, /local/);
    assert.match(r.stderr, /other/);
  });

  it("broken YAML → exit 3 with the file and position", async () => {
    const file = join(home.home, "broken.yaml");
    await writeFile(file, "profiles:\n  local:\n    devo: { domain: [unclosed\n");
    const r = await runEvsend(["-c", file, "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.match(r.stderr, /\d+:\d+/);
  });

  it("broken JSON via EVSEND_CONFIG → exit 3 with the file", async () => {
    const file = join(home.home, "broken.json");
    await writeFile(file, '{ "profiles": { "a": } }');
    const r = await runEvsend(["devo", "send", "x"], { env: { ...home.env, EVSEND_CONFIG: file } });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.includes(file), r.stderr);
  });

  it("a secret command that fails → exit 3 naming profile and field, secret never shown", async () => {
    const file = join(home.home, "cmd.yaml");
    await writeFile(
      file,
      `profiles:\n  p:\n    devo: { endpoint: "${server.url}", domain: d, tag: my.app.t, token: { command: "echo ${TOKEN} >&2; exit 3" } }\n`,
      { mode: 0o600 },
    );
    const r = await runEvsend(["-c", file, "-p", "p", "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /profile "p"/);
    assert.match(r.stderr, /devo\.token/);
  });

  it("warns when a world-readable config holds a literal token, and masks it", async () => {
    const file = join(home.home, "open.yaml");
    await writeFile(
      file,
      `profiles:\n  p:\n    devo: { endpoint: "${server.url}", domain: d, tag: my.app.t, token: ${TOKEN} }\n`,
      { mode: 0o644 },
    );
    const r = await runEvsend(["-c", file, "-p", "p", "-v", "devo", "send", "x"], {
      env: home.env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /chmod 600/);
    assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN));
  });
});
