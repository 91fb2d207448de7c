import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { recordedEvents, spawnEmulator } from "../helpers/emulator.js";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { withTempHome } from "../helpers/scoped.js";

describe("--rejects (end to end)", () => {
  it("invalid records are appended as read; the file replays with the same command once fixed", async (t) => {
    const home = await withTempHome(t);
    const emulator = await spawnEmulator(home.env);
    t.after(() => emulator.stop());
    const env = {
      ...home.env,
      EVSEND_EVENTHOS_URL: emulator.url,
      EVSEND_EVENTHOS_EVENT: "order-created-9O_CE0Lcrz",
      EVSEND_EVENTHOS_ACCESS_KEY: "k3y0000000000000000",
    };
    await writeFile(join(home.home, "in.ndjson"), '{"a":1}\n{bad json\n\n{"a":3}\nnope\n');
    const send = (...rest: string[]) =>
      runEvsend(["--json", "eventhos", "send", ...rest], { env, cwd: home.home });
    let r = await send("--ndjson", "in.ndjson", "--rejects", "rejects.ndjson", "--state", "s.json");
    assert.equal(r.code, 6, r.stderr);
    const rejects = join(home.home, "rejects.ndjson");
    assert.equal(await readFile(rejects, "utf8"), "{bad json\nnope\n");
    assert.equal((await stat(rejects)).mode & 0o777, 0o600);
    const summary = ndjson(r.stdout).at(-1)!;
    assert.equal(summary.rejectsFile, "rejects.ndjson");
    assert.equal(summary.rejectsAppended, 2);

    // A second run with the same state reads nothing new: nothing appended twice.
    r = await send("--ndjson", "in.ndjson", "--rejects", "rejects.ndjson", "--state", "s.json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(rejects, "utf8"), "{bad json\nnope\n");

    // Fixed by hand, then sent with the same command.
    await writeFile(rejects, '{"fixed":2}\n{"fixed":5}\n');
    r = await send("--ndjson", "rejects.ndjson");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await recordedEvents(emulator.url), [
      { a: 1 },
      { a: 3 },
      { fixed: 2 },
      { fixed: 5 },
    ]);
    assert.match(
      (
        await runEvsend(["eventhos", "send", "--ndjson", "-", "--rejects", "r"], {
          env,
          stdin: "{}\n",
        })
      ).stderr,
      /--rejects copies rejected records from their files; stdin is read once/,
    );
  });
});
