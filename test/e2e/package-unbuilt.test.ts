import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("a checkout that was never built (end to end)", () => {
  it("says how to build it, exit 1, no stack", async () => {
    const dir = await mkdtemp(join(tmpdir(), "evsend-unbuilt-"));
    try {
      await cp(join(root, "bin"), join(dir, "bin"), { recursive: true });
      await cp(join(root, "package.json"), join(dir, "package.json"));
      const r = spawnSync(process.execPath, [join(dir, "bin", "evsend.js"), "--version"], {
        encoding: "utf8",
      });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `error: evsend is not built: ${join(dir, "dist", "evsend.cjs")} is missing\n` +
          `hint: run \`npm ci && npm run build\` in ${dir}\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
