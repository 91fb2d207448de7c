import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { loadConfig, type LoadOptions } from "../../src/config/load.js";
import { ownerWarning } from "../../src/config/trust.js";
import { ConfigError, ExitCode } from "../../src/errors.js";

const ME = process.getuid?.() ?? 0;
const OTHER = 4242;
/** chown to another user needs root; elsewhere the ownership cases pretend to be another user. */
const ROOT = ME === 0;

describe("config trust: search boundary, ownership, origin, override note", () => {
  let root: string;
  let home: string;
  let cwd: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-trust-"));
    home = join(root, "home");
    cwd = join(home, "src", "app");
    await mkdir(cwd, { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const put = async (path: string, text: string, owner?: number): Promise<string> => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    await chmod(path, 0o600);
    if (owner !== undefined) await chown(path, owner, owner);
    return path;
  };
  const userFile = () => join(home, ".config", "evsend", "config.yaml");
  const load = (extra: Partial<LoadOptions> = {}) =>
    loadConfig({ cwd, env: {}, homedir: home, ...extra });

  it("outside home only cwd is searched: a file in a parent (/tmp, /srv) is never used", async () => {
    const outside = join(root, "srv", "app");
    await put(join(root, "srv", ".evsendrc"), "profiles: { planted: {} }");
    await put(join(root, ".evsendrc"), "profiles: { planted: {} }");
    await mkdir(outside, { recursive: true });
    assert.equal((await load({ cwd: outside })).filepath, undefined);
    const own = await put(join(outside, ".evsendrc"), "profiles: { mine: {} }");
    assert.equal((await load({ cwd: outside })).filepath, own);
  });

  it(
    "a project file of another user is ignored with a warning; the user file is used",
    {
      skip: !ROOT && "needs root to chown",
    },
    async () => {
      const mine = await put(userFile(), "profiles: { mine: {} }");
      const foreign = await put(join(home, "src", ".evsendrc"), "profiles: { theirs: {} }", OTHER);
      const config = await load();
      assert.equal(config.filepath, mine);
      assert.equal(config.origin, "user");
      assert.equal(config.warnings.length, 1);
      assert.match(
        config.warnings[0]!,
        new RegExp(`ignoring ${foreign}: it belongs to another user \\(uid ${OTHER}`),
      );
      assert.match(config.warnings[0]!, /pass --config /);
    },
  );

  it(
    "another user's package.json without an evsend key is no config: no warning",
    {
      skip: !ROOT && "needs root to chown",
    },
    async () => {
      await put(join(cwd, "package.json"), '{"name": "x"}', OTHER);
      assert.deepEqual((await load()).warnings, []);
    },
  );

  it("files of root are trusted; files of the current user too", async () => {
    const file = await put(join(cwd, ".evsendrc"), "profiles: { p: {} }");
    // Pretend to be uid 1000: a root-owned file (as when root created it) is still used.
    if (ROOT) assert.equal((await load({ uid: 1000 })).filepath, file);
    assert.equal((await load({ uid: ME })).filepath, file);
    assert.equal(await ownerWarning(file, ME), undefined);
    assert.match(
      (await ownerWarning(file, ME === 0 ? 7 : ME + 1)) ?? "",
      ROOT ? /^$/ : /another user/,
    );
  });

  it("says how the file was found: project, user or explicit", async () => {
    const user = await put(userFile(), "profiles: { u: {} }");
    assert.equal((await load()).origin, "user");
    const project = await put(join(cwd, ".evsendrc.yaml"), "profiles: { p: {} }");
    assert.deepEqual([(await load()).filepath, (await load()).origin], [project, "project"]);
    const config = await load({ explicitPath: user });
    assert.deepEqual([config.filepath, config.origin], [user, "explicit"]);
  });

  it("a project file used instead of an existing user file says so once", async () => {
    const project = await put(join(cwd, ".evsendrc"), "profiles: { p: {} }");
    assert.deepEqual((await load()).notes, []);
    const user = await put(userFile(), "profiles: { u: {} }");
    assert.deepEqual((await load()).notes, [
      `note: using the project config ${project} instead of your own ${user} (pass --config to choose)`,
    ]);
    assert.deepEqual((await load({ explicitPath: project })).notes, []);
  });

  it("a config file named with --config may be a FIFO (-c <(…))", async () => {
    const fifo = join(root, "config.fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `echo 'profiles: { piped: {} }' > ${fifo}`], {
      stdio: "ignore",
    });
    try {
      const config = await load({ explicitPath: fifo });
      assert.deepEqual(config.data.profiles, { piped: {} });
    } finally {
      writer.kill();
    }
  });

  it("a config file is read at most 1 MiB: /dev/zero (or a link to it) fails fast", async () => {
    const started = performance.now();
    for (const explicitPath of ["/dev/zero", undefined]) {
      if (!explicitPath) await symlink("/dev/zero", join(cwd, ".evsendrc"));
      await assert.rejects(load(explicitPath ? { explicitPath } : {}), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.exitCode, ExitCode.config);
        assert.match(error.message, /more than 1 MiB/);
        return true;
      });
    }
    // /dev/zero never ends: the rejections are the proof; the bound is far from the real few ms.
    assert.ok(performance.now() - started < 10_000);
  });
});
