// The bundle gives undici's HTTP/2 client the few node:http2 constants it reads from
// src/transport/undici-http2-constants.json (esbuild.config.js), not from node:http2 itself, so
// that a one-off run never loads node:http2. They must be node:http2's own values on every Node
// evsend runs on (CI runs this suite on Node 20, 22 and 24), not those of the Node that built it.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { constants } from "node:http2";
import { createRequire } from "node:module";
import { describe, it } from "node:test";

const held = JSON.parse(
  await readFile(
    new URL("../../src/transport/undici-http2-constants.json", import.meta.url),
    "utf8",
  ),
) as Record<string, string | number>;

describe("undici's http2 constants in the bundle", () => {
  it(`equal node:http2's on the running Node (${process.version})`, () => {
    const real = constants as unknown as Record<string, string | number>;
    const expected = Object.fromEntries(Object.keys(held).map((name) => [name, real[name]]));
    assert.deepEqual(held, expected);
  });

  it("are exactly the ones undici's client-h2.js reads", async () => {
    const require = createRequire(import.meta.url);
    const file = require.resolve("undici/lib/dispatcher/client-h2.js");
    const source = await readFile(file, "utf8");
    const names = /const \{\s*constants: \{([^}]*)\}\s*\} = http2\b/.exec(source)?.[1];
    assert.ok(names, `${file} destructures http2's constants`);
    assert.deepEqual(
      names
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean)
        .sort(),
      Object.keys(held).sort(),
    );
  });
});
