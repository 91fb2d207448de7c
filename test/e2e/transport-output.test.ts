import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { before, describe, it } from "node:test";
import { BIN, ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome, withServer } from "../helpers/scoped.js";

const TOKEN = "C0ntrolCharsT0ken0000000000000EF";
const DEVO = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];
const OSC52 = "\u001b]52;c;ZWNobyBwd25lZA==\u0007";
// eslint-disable-next-line no-control-regex -- looking for raw control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("control characters from outside reach no terminal raw (end to end)", () => {
  const home = useTempHome();
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = { ...home.env, EVSEND_DEVO_TOKEN: TOKEN };
  });

  it("a server's error body: escaped on stderr, escaped DEL/C1 in --json", async (t) => {
    const server = await withServer(t, (_r, res) =>
      res.writeHead(400, { "content-type": "text/plain" }).end(`bad${OSC52}\u009b2J\u007f`),
    );
    const human = await runEvsend([...DEVO, "--endpoint", server.url, "hi"], { env });
    assert.equal(human.code, 1, human.stderr);
    assert.ok(!RAW_CONTROL.test(human.stderr), JSON.stringify(human.stderr));
    assert.match(human.stderr, /bad\\x1b\]52;c;ZWNobyBwd25lZA==\\x07/);
    const json = await runEvsend(["--json", ...DEVO, "--endpoint", server.url, "hi"], { env });
    assert.ok(!/[\u007f-\u009f]/.test(json.stdout), JSON.stringify(json.stdout));
    // eslint-disable-next-line no-control-regex -- the parsed JSON holds the original bytes
    assert.match(String(ndjson(json.stdout).at(-1)!.message), /bad\u001b\]52;c;.*\u009b2J\u007f/);
  });

  it("a profile name: escaped in the error", async () => {
    await home.writeConfig("profiles:\n  prod:\n    devo: { domain: d }\n");
    const r = await runEvsend(["-p", `x${OSC52}`, ...DEVO, "hi"], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(!RAW_CONTROL.test(r.stderr), JSON.stringify(r.stderr));
    assert.match(r.stderr, /x\\x1b\]52/);
  });

  it("an event the emulator prints: escaped", async () => {
    const child = spawn(process.execPath, [BIN, "emulate", "--port", "0"], {
      env: home.env,
      cwd: home.home,
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    try {
      while (!/listening on (\S+)/.test(stdout)) await once(child.stdout, "data");
      const url = /listening on (\S+)/.exec(stdout)![1]!;
      const message = encodeURIComponent(`evil${OSC52}`);
      await new Promise<void>((resolve, reject) => {
        const req = request(`${url}/event/d/token!t/h/my.app.t?${message}`, (res) => {
          res.resume().on("end", resolve);
        });
        req.on("error", reject).end();
      });
      while (!stdout.includes("evil")) await once(child.stdout, "data");
      assert.ok(!RAW_CONTROL.test(stdout), JSON.stringify(stdout));
      assert.match(stdout, /evil\\x1b\]52;c;ZWNobyBwd25lZA==\\x07/);
    } finally {
      child.kill("SIGINT");
      await once(child, "exit");
    }
  });
});
