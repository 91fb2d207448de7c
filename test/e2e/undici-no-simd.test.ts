// undici parses responses with WebAssembly. On a CPU without WebAssembly SIMD it compiles its
// plain parser instead, which the bundle leaves out of dist/vendor/undici.cjs and requires from
// the installed undici (esbuild.config.js: undiciUnused), so that path must still send. V8's
// --no-enable-sse4-1 makes V8 treat the CPU as lacking SSE4.1, which its WebAssembly SIMD needs
// on x64 (Node 20, 22 and 24 have no flag that turns WebAssembly SIMD off by itself): compiling
// undici's SIMD parser then fails as it does on such a machine, and undici falls back.
import assert from "node:assert/strict";
import { realpath } from "node:fs/promises";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { loadRecorder, type LoadRecorder } from "../helpers/load-report.js";
import { runEvsend, startServer, tempHome, type TempHome } from "../helpers/spawn.js";

const BASE = ["devo", "send", "--domain", "acme", "--tag", "my.app.test", "--host", "h1"];

describe("a request through undici's parser for CPUs without WebAssembly SIMD", () => {
  let home: TempHome;
  let loads: LoadRecorder;
  let plainParser: string;
  before(async () => {
    home = await tempHome();
    loads = await loadRecorder();
    const require = createRequire(import.meta.url);
    plainParser = await realpath(require.resolve("undici/lib/llhttp/llhttp-wasm.js"));
  });
  after(async () => {
    await loads.cleanup();
    await home.cleanup();
  });

  /** Sends one event with these Node options and environment: whether the plain parser loaded. */
  async function send(nodeArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<boolean> {
    const server = await startServer((_req, res) => res.writeHead(200).end());
    try {
      const r = await runEvsend([...BASE, "--endpoint", server.url, "hi"], {
        env: { ...home.env, EVSEND_DEVO_TOKEN: "t0ken", ...env },
        nodeArgs: [...loads.nodeArgs, ...nodeArgs],
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.url, "/event/acme/token!t0ken/h1/my.app.test?hi");
      return (await loads.read()).files.includes(plainParser);
    } finally {
      await server.close();
    }
  }

  it("is not taken where WebAssembly SIMD works (the SIMD parser is in the bundle)", async () => {
    assert.equal(await send([]), false);
  });

  it(
    "sends on a CPU without SSE4.1 (V8 --no-enable-sse4-1), with the installed undici's parser",
    { skip: process.arch === "x64" ? false : "SSE4.1 is an x64 feature" },
    async () => {
      assert.equal(await send(["--no-enable-sse4-1"]), true);
    },
  );

  it("sends with UNDICI_NO_WASM_SIMD=1 (undici's own switch), with the same parser", async () => {
    assert.equal(await send([], { UNDICI_NO_WASM_SIMD: "1" }), true);
  });
});
