// The bundle builds undici's tree of well-known header names only after 256 lookups
// (esbuild.config.js): until then each response header name takes the fallback undici has
// beside the tree, Buffer#toString('latin1') lowercased. That must give the same string as the
// tree for every name the tree holds, in any case.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";

const require = createRequire(import.meta.url);
const { tree } = require("undici/lib/core/tree.js") as {
  tree: { lookup(key: Uint8Array): string | null };
};
const { wellknownHeaderNames } = require("undici/lib/core/constants.js") as {
  wellknownHeaderNames: readonly string[];
};

describe("undici's header-name fallback", () => {
  it("gives the tree's string for each well-known name, as sent in any case", () => {
    assert.ok(wellknownHeaderNames.length > 50);
    for (const name of wellknownHeaderNames) {
      for (const sent of [name, name.toLowerCase(), name.toUpperCase()]) {
        const bytes = Buffer.from(sent, "latin1");
        assert.equal(bytes.toString("latin1").toLowerCase(), tree.lookup(bytes), sent);
      }
    }
  });
});
