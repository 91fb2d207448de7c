// The Node built-ins a one-off run loads: each is compiled at start-up by every run, so a new one
// (a dependency's, or an `import` of a whole built-in for one function) must be a decision, not
// drift (README › Performance). `devo send --dry-run` of the bundle (bin/evsend.js) must load
// exactly what a script requiring EXPECTED loads on the same Node, internal modules included, so
// the list holds on Node 20, 22 and 24 although each loads different internals for them.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { loadRecorder, type LoadRecorder } from "../helpers/load-report.js";
import { runEvsend, startServer, tempHome, type TempHome } from "../helpers/spawn.js";

/**
 * What the run needs beyond Node's own start-up: the V8 flags bin/evsend.js sets on Node 20 (v8),
 * the code cache (vm), timers/promises, process, stream, string_decoder. node:os is loaded only
 * without $HOME or when a command reads the host name; stdout and stderr on pipes are written
 * without process.stdout's net.Socket (src/output/stdio.ts), so net and tty are not loaded. To
 * change it deliberately, edit this list (and say why in the commit). To find what loads a
 * module, run bin/evsend.js with a `--require` preload that wraps `Module.prototype.require` and
 * prints a stack for it.
 */
const EXPECTED = [
  "process",
  "stream",
  "stream/promises",
  "string_decoder",
  "timers/promises",
  // The V8 flags bin/evsend.js sets for a command that may send, on Node 20 only.
  ...(Number(process.versions.node.split(".")[0]) < 22 ? ["v8"] : []),
  // bin/code-cache.js: the bundle compiled with its code cache.
  "vm",
];

const run = promisify(execFile);

describe("the Node built-ins a one-off `devo send` loads", () => {
  let home: TempHome;
  let loads: LoadRecorder;
  before(async () => {
    home = await tempHome();
    loads = await loadRecorder();
  });
  after(async () => {
    await loads.cleanup();
    await home.cleanup();
  });

  it(`with --dry-run: those EXPECTED loads (Node ${process.version})`, async () => {
    const r = await runEvsend(
      [
        "devo",
        "send",
        "--dry-run",
        "--domain",
        "acme",
        "--tag",
        "my.app.test",
        "--host",
        "h1",
        "x",
      ],
      { env: home.env, nodeArgs: loads.nodeArgs },
    );
    assert.equal(r.code, 0, r.stderr);
    const evsend = (await loads.read()).builtins;

    const script = join(home.home, "expected.cjs");
    const requires = EXPECTED.map((name) => `require(${JSON.stringify(`node:${name}`)});`);
    await writeFile(script, `${requires.join("\n")}\n`);
    await run(process.execPath, [...loads.nodeArgs, script], { env: home.env, cwd: home.home });
    const expected = (await loads.read()).builtins;

    const extra = [...evsend].filter((name) => !expected.has(name));
    const missing = [...expected].filter((name) => !evsend.has(name));
    assert.deepEqual(
      extra,
      [],
      `evsend now loads built-ins that EXPECTED does not account for: ${extra.join(", ")}. ` +
        "Load them only when used (README › Performance), or, if every run needs them, add the " +
        "public module that brings them to EXPECTED in test/e2e/startup-builtins.test.ts.",
    );
    assert.deepEqual(
      missing,
      [],
      `evsend no longer loads ${missing.join(", ")}: remove the module that brought them from ` +
        "EXPECTED in test/e2e/startup-builtins.test.ts (and note the gain in docs/performance.md).",
    );
  });

  // A real send: undici needs net, not node:http's client and server (esbuild.config.js patches
  // the two places that loaded it), and no TLS or crypto for a plain-HTTP endpoint.
  it("sending over http://: not node:http, node:http2, node:tls or node:crypto", async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end());
    try {
      const r = await runEvsend(
        [
          "devo",
          "send",
          "--endpoint",
          server.url,
          "--domain",
          "acme",
          "--tag",
          "my.app.test",
        ].concat(["--host", "h1", "x"]),
        { env: { ...home.env, EVSEND_DEVO_TOKEN: "t0ken" }, nodeArgs: loads.nodeArgs },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
    const builtins = (await loads.read()).builtins;
    assert.ok(builtins.has("net"), "the run did not go through undici");
    const unwanted = ["http", "_http_client", "http2", "tls", "crypto"].filter((name) =>
      builtins.has(name),
    );
    assert.deepEqual(unwanted, []);
  });
});
