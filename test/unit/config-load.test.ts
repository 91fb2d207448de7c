import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { loadConfig, type LoadOptions } from "../../src/config/load.js";
import { jsonErrorOffset, jsonErrorReason, lineColumn } from "../../src/config/parse.js";
import { searchDirs, userConfigDir } from "../../src/config/paths.js";
import { ConfigError, ExitCode } from "../../src/errors.js";

const SECRET = "L1teralT0ken00000000000000000000";

describe("lineColumn and JSON error positions", () => {
  it("counts lines and columns from 1", () => {
    assert.deepEqual(lineColumn("ab\ncd\nef", 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn("ab\ncd\nef", 4), { line: 2, column: 2 });
    assert.deepEqual(lineColumn("ab\ncd\nef", 6), { line: 3, column: 1 });
  });
  const cases: Array<[string, number | undefined]> = [
    ['{"a": 1}', undefined],
    ['{ "profiles": { "a": } }', 21],
    ['{"a": 1,}', 8],
    ['{"a": "x', 8],
    ['{"a": 1} x', 9],
    ['{"a": tru }', 9],
    ["", 0],
    ['{\n  "a": [1, 2\n}', 15],
  ];
  for (const [text, offset] of cases) {
    it(`${JSON.stringify(text)} fails at ${offset}`, () =>
      assert.equal(jsonErrorOffset(text), offset));
  }
  it("drops the quoted excerpt from the reason", () => {
    let message = "";
    try {
      JSON.parse(`{"token": "${SECRET}" x}`);
    } catch (error) {
      message = (error as Error).message;
    }
    const reason = jsonErrorReason(message);
    assert.ok(!reason.includes(SECRET), reason);
    assert.match(reason, /^Unexpected|^Expected/);
  });
});

describe("search paths", () => {
  it("walks from cwd up to and including home", () =>
    assert.deepEqual(searchDirs("/h/u/p/a", "/h/u"), ["/h/u/p/a", "/h/u/p", "/h/u"]));
  it("searches only cwd when it is outside home (never /tmp, /srv or /)", () => {
    assert.deepEqual(searchDirs("/srv/app", "/h/u"), ["/srv/app"]);
    assert.deepEqual(searchDirs("/tmp/x/y", "/h/u"), ["/tmp/x/y"]);
    assert.deepEqual(searchDirs("/h/user2/p", "/h/u"), ["/h/user2/p"]);
    assert.deepEqual(searchDirs("/h/u..x/p", "/h/u"), ["/h/u..x/p"]);
  });
  it("a home of / is no boundary: only cwd", () =>
    assert.deepEqual(searchDirs("/srv/app", "/"), ["/srv/app"]));
  it("cwd = home searches home only", () =>
    assert.deepEqual(searchDirs("/h/u", "/h/u/"), ["/h/u"]));
  it("uses XDG_CONFIG_HOME, else ~/.config; ignores a relative one", () => {
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: "/x" }, "/h"), "/x/evsend");
    assert.equal(userConfigDir({}, "/h"), "/h/.config/evsend");
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: "" }, "/h"), "/h/.config/evsend");
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: "rel" }, "/h"), "/h/.config/evsend");
  });
});

describe("loadConfig", () => {
  let root: string;
  let home: string;
  let cwd: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "evsend-load-"));
    home = join(root, "home");
    cwd = join(home, "work", "app", "src");
    await mkdir(cwd, { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const put = async (path: string, text: string, mode = 0o600): Promise<string> => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    await chmod(path, mode);
    return path;
  };
  const load = (extra: Partial<LoadOptions> = {}) =>
    loadConfig({ cwd, env: {}, homedir: home, secretFields: ["devo.token"], ...extra });
  const rejectsWith = (promise: Promise<unknown>, ...patterns: RegExp[]) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.exitCode, ExitCode.config);
      for (const re of patterns) assert.match(error.message, re);
      return true;
    });
  const userFile = () => join(home, ".config", "evsend", "config.yaml");

  it("no file at all → no profiles, and where it looked", async () =>
    assert.deepEqual(await load(), {
      filepath: undefined,
      data: { profiles: {} },
      warnings: [],
      searched: [cwd, dirname(cwd), join(home, "work"), home, join(home, ".config", "evsend")],
    }));

  it("finds a project file upwards from a nested cwd, before the user file", async () => {
    await put(userFile(), "profiles: { user: {} }");
    const file = await put(
      join(home, "work", ".evsendrc"),
      '{"defaultProfile": "a", "profiles": {"a": {}}}',
    );
    const config = await load();
    assert.equal(config.filepath, file);
    assert.deepEqual(config.data, { defaultProfile: "a", profiles: { a: {} } });
  });

  it("the nearest directory wins, and .evsendrc before evsend.config.yaml", async () => {
    await put(join(home, "work", ".evsendrc.yaml"), "profiles: { far: {} }");
    await put(join(cwd, "..", "evsend.config.yaml"), "profiles: { config: {} }");
    const near = await put(join(cwd, "..", ".evsendrc"), "profiles: { rc: {} }");
    assert.equal((await load()).filepath, near);
  });

  it("reads package.json's evsend key and skips a package.json without one", async () => {
    await put(join(cwd, "package.json"), '{"name": "x"}');
    const pkg = await put(
      join(home, "work", "package.json"),
      '{"name": "y", "evsend": {"profiles": {"p": {}}}}',
    );
    const config = await load();
    assert.equal(config.filepath, pkg);
    assert.deepEqual(config.data.profiles, { p: {} });
  });

  it("skips empty files", async () => {
    await put(join(cwd, ".evsendrc"), "\n");
    const file = await put(join(home, ".evsendrc.json"), '{"profiles": {}}');
    assert.equal((await load()).filepath, file);
  });

  it("stops at the home directory", async () => {
    await put(join(root, ".evsendrc"), "profiles: { outside: {} }");
    assert.equal((await load()).filepath, undefined);
  });

  it("never loads executable config files", async () => {
    const marker = join(root, "ran");
    const js = `require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = { profiles: { js: {} } };`;
    for (const name of [".evsendrc.js", ".evsendrc.cjs", "evsend.config.js", "evsend.config.mjs"]) {
      await put(join(cwd, name), js);
    }
    await put(join(home, ".config", "evsend", "config.js"), js);
    await put(join(cwd, ".config", "config.js"), js);
    assert.equal((await load()).filepath, undefined);
    assert.equal(existsSync(marker), false);
    await rejectsWith(load({ explicitPath: join(cwd, "evsend.config.js") }), /executable/);
  });

  it("finds the user file in XDG_CONFIG_HOME, then in ~/.config", async () => {
    const xdg = await put(join(root, "xdg", "evsend", "config.json"), '{"profiles": {"x": {}}}');
    const dotConfig = await put(userFile(), "profiles: { d: {} }");
    assert.equal((await load({ env: { XDG_CONFIG_HOME: join(root, "xdg") } })).filepath, xdg);
    assert.equal((await load()).filepath, dotConfig);
  });

  it("prefers config.yaml over config.yml and config.json", async () => {
    const dir = join(home, ".config", "evsend");
    await put(join(dir, "config.json"), '{"profiles": {}}');
    await put(join(dir, "config.yml"), "profiles: {}");
    const yaml = await put(join(dir, "config.yaml"), "profiles: {}");
    assert.equal((await load()).filepath, yaml);
  });

  it("an explicit path skips the search; relative to cwd; ~ expanded", async () => {
    await put(join(cwd, ".evsendrc"), "profiles: { project: {} }");
    const file = await put(join(cwd, "custom.yml"), "profiles: { custom: {} }");
    assert.equal((await load({ explicitPath: "custom.yml" })).filepath, file);
    const inHome = await put(join(home, "my.json"), '{"profiles": {"h": {}}}');
    assert.equal((await load({ explicitPath: "~/my.json" })).filepath, inHome);
  });

  it("a missing explicit path → exit 3 naming it", async () =>
    rejectsWith(
      load({ explicitPath: "gone.yaml" }),
      new RegExp(`${join(cwd, "gone.yaml")} not found`),
    ));

  it("malformed YAML → exit 3 with file:line:column, no file contents", async () => {
    const file = await put(
      join(cwd, ".evsendrc.yaml"),
      `profiles:\n  p:\n    devo: { token: ${SECRET}, domain: [unclosed\n`,
    );
    await assert.rejects(load(), (error: ConfigError) => {
      assert.equal(error.exitCode, ExitCode.config);
      assert.ok(error.message.startsWith(`${file}:4:1: invalid YAML:`), error.message);
      assert.ok(!error.message.includes(SECRET));
      return true;
    });
  });

  it("malformed YAML indentation reports its line", async () => {
    const file = await put(join(cwd, ".evsendrc"), "profiles:\n  a: {}\n b: {}\n");
    await rejectsWith(load(), new RegExp(`^${file}:3:\\d+: invalid YAML`));
  });

  it("malformed JSON → exit 3 with file:line:column, no file contents", async () => {
    const file = await put(
      join(cwd, ".evsendrc.json"),
      `{\n  "profiles": {\n    "p": { "devo": { "token": "${SECRET}" } },\n    "q": }\n}`,
    );
    await assert.rejects(load(), (error: ConfigError) => {
      assert.equal(error.exitCode, ExitCode.config);
      assert.ok(error.message.startsWith(`${file}:4:10: invalid JSON:`), error.message);
      assert.ok(!error.message.includes(SECRET), error.message);
      return true;
    });
  });

  const shapes: Array<[string, string, RegExp]> = [
    ["a list at the top", "- a\n- b\n", /top level is a list/],
    ["a scalar at the top", "hello\n", /top level is a string/],
    ["profiles as a list", "profiles: [a, b]\n", /profiles must be a mapping.*not a list/],
    [
      "a profile as a string",
      "profiles: { p: devo }\n",
      /profile "p" must be a mapping.*not a string/,
    ],
    [
      "defaultProfile as a number",
      "defaultProfile: 3\nprofiles: {}\n",
      /defaultProfile must be a profile name, not a number/,
    ],
  ];
  for (const [name, text, re] of shapes) {
    it(`bad shape: ${name} → exit 3 naming the file`, async () => {
      const file = await put(join(cwd, ".evsendrc"), text);
      await rejectsWith(load(), re, new RegExp(file));
    });
  }

  it("a null profiles or profile counts as empty; unknown top-level keys warn", async () => {
    await put(join(cwd, ".evsendrc"), "defaultprofile: a\nprofiles:\n  a:\n");
    const config = await load();
    assert.deepEqual(config.data, { profiles: { a: {} } });
    assert.equal(config.warnings.length, 1);
    assert.match(config.warnings[0]!, /unknown key "defaultprofile"/);
  });

  const permissions: Array<[string, number, string, boolean]> = [
    ["0644 with a literal secret", 0o644, `token: ${SECRET}`, true],
    ["0640 with a literal secret", 0o640, `token: ${SECRET}`, true],
    ["0600 with a literal secret", 0o600, `token: ${SECRET}`, false],
    ["0644 with an { env } reference", 0o644, "token: { env: DEVO_TOKEN }", false],
    ["0644 with a { command } reference", 0o644, 'token: { command: "pass show x" }', false],
    ["0644 without any token", 0o644, "domain: acme", false],
  ];
  for (const [name, mode, devo, warns] of permissions) {
    it(`permission warning: ${name} → ${warns ? "warns" : "silent"}`, async () => {
      const file = await put(userFile(), `profiles:\n  a: {}\n  b:\n    devo: { ${devo} }\n`, mode);
      const { warnings } = await load();
      if (!warns) return assert.deepEqual(warnings, []);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]!.includes(`chmod 600 ${file}`), warnings[0]);
      assert.match(warnings[0]!, /devo\.token in profile "b"/);
      assert.ok(!warnings[0]!.includes(SECRET));
    });
  }
});
