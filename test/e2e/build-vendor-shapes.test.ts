// The build refuses a bundled dependency whose exports are not what evsend's code uses: the
// `ora is not a function` crash (an ES-module-only package's default seen through CommonJS
// interop) must stop `npm run build`, never reach a user's terminal. So must a rewrite of the
// bundle (a patch, a stand-in, a path left out of undici) that no longer matches anything after a
// dependency update: the code it stood for would be bundled as it is, slowing every start-up.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { copyCheckout } from "../helpers/installed.js";

const run = promisify(execFile);

/** Runs the build in `dir`: its exit code and stderr. */
async function build(dir: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, ["esbuild.config.js"], { cwd: dir });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("the build checks bundled dependencies and its rewrites", { timeout: 120_000 }, () => {
  let dir: string;
  let config: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "evsend-build-"));
    await copyCheckout(dir);
    config = await readFile(join(dir, "esbuild.config.js"), "utf8");
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("builds as it is, with ora's default export a function", async () => {
    assert.deepEqual(await build(dir), { code: 0, stderr: "" });
  });

  const broken: [string, string, string, RegExp][] = [
    [
      "a vendor's export is not of the declared type",
      'ora: { entry: "ora", exports: { default: "function" } }',
      'ora: { entry: "ora", exports: { default: "object" } }',
      /vendor files are not the shape evsend expects:\s+ora: default is function, not object/,
    ],
    [
      "src/ imports a name a vendor does not declare",
      'exports: { parse: "function", CsvError: "function" }',
      'exports: { CsvError: "function" }',
      /No matching export in "vendor:csv-parse" for import "parse"/,
    ],
    [
      "a stand-in matches no import",
      "module: /^(node:)?assert$/,",
      "module: /^(node:)?assert-gone$/,",
      /applied to nothing in this build:\n {2}stand-in node:assert imported by undici\n/,
    ],
    [
      "a path left out of undici is no longer required",
      '"llhttp/llhttp-wasm.js"]',
      '"llhttp/llhttp-wasm-gone.js"]',
      /applied to nothing in this build:\n {2}undici-unused llhttp\/llhttp-wasm-gone\.js\n/,
    ],
    [
      "a patch's file is not bundled",
      "client-h2\\.js$/,",
      "client-h3\\.js$/,",
      /applied to nothing in this build:\n {2}patch .*client-h3.*\n {4}hint: /,
    ],
  ];
  for (const [when, from, to, message] of broken) {
    it(`fails when ${when}`, async () => {
      assert.ok(config.includes(from), `esbuild.config.js holds ${from}`);
      await writeFile(join(dir, "esbuild.config.js"), config.replace(from, to));
      const r = await build(dir);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
    });
  }

  it("fails when undici reads an http2 constant the bundle does not give it", async () => {
    const constants = join(dir, "src", "transport", "undici-http2-constants.json");
    const held = await readFile(constants, "utf8");
    const { NGHTTP2_CANCEL, ...fewer } = JSON.parse(held) as Record<string, unknown>;
    assert.equal(NGHTTP2_CANCEL, 8);
    await writeFile(join(dir, "esbuild.config.js"), config);
    await writeFile(constants, JSON.stringify(fewer));
    try {
      const r = await build(dir);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /client-h2\.js reads the http2 constants .*NGHTTP2_CANCEL.*; src\//);
    } finally {
      await writeFile(constants, held);
    }
  });
});
