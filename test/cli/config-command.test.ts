import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/run-cli.js";
import { withTempHome } from "../helpers/scoped.js";

const SECRET = "S3cretTok3n0000000000000000000AB";

/** Every line of a run's output, for asserting that a secret never shows. */
function everything(r: { stdout: string; stderr: string }): string {
  return r.stdout + r.stderr;
}

describe("evsend config show", () => {
  it("names each value's real source and masks secrets", async (t) => {
    const home = await withTempHome(t);
    const file = await home.writeConfig(
      [
        "defaultProfile: prod",
        "profiles:",
        "  prod:",
        `    devo: { endpoint: eu, domain: acme, token: "${SECRET}" }`,
        "    databoom: { device: d1, token: { env: DB_TOKEN } }",
        "  staging:",
        "    devo: { domain: stage }",
      ].join("\n"),
    );
    const env = { EVSEND_DEVO_TAG: "my.app.env", DB_TOKEN: SECRET };
    const r = await runInProcess(["config", "show"], { home: home.home, env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    const row = (key: string, after: string): string =>
      lines.slice(lines.indexOf(after)).find((l) => l.trimStart().startsWith(`${key} `)) ?? "";
    assert.ok(lines.includes(`config file: ${file} (your user config)`), r.stdout);
    assert.ok(lines.includes("profile: prod (defaultProfile)"), r.stdout);
    assert.match(row("endpoint", "devo"), new RegExp(`eu +profile "prod" in ${file}$`));
    assert.match(row("tag", "devo"), /my\.app\.env +env EVSEND_DEVO_TAG$/);
    assert.match(row("host", "devo"), /this machine's hostname +default$/);
    assert.match(row("token", "devo"), /\*\*\*\* \(literal, in the file\) +profile "prod"/);
    assert.match(row("token", "databoom"), /\*\*\*\* \(env DB_TOKEN\) +profile "prod"/);
    assert.match(row("url", "databoom"), /https:\/\/api\.databoom\.com\/v1 +default$/);
    assert.match(row("device", "eventhos") || row("url", "eventhos"), /\(not set\)$/);
    assert.ok(!everything(r).includes(SECRET), "a secret was printed");
  });

  it("--profile, EVSEND_PROFILE; one service; -q and --json still print it", async (t) => {
    const home = await withTempHome(t);
    await home.writeConfig(
      "defaultProfile: a\nprofiles:\n  a: { devo: { domain: da } }\n  b: { devo: { domain: db } }\n",
    );
    const flag = await runInProcess(["-q", "-p", "b", "config", "show", "devo"], {
      home: home.home,
      env: { EVSEND_PROFILE: "a", EVSEND_DEVO_TOKEN: SECRET },
    });
    assert.equal(flag.code, 0, flag.stderr);
    assert.match(flag.stdout, /^profile: b \(--profile\)$/m);
    assert.match(flag.stdout, /^ {2}domain +db +profile "b" in /m);
    assert.match(flag.stdout, /^ {2}token +\*\*\*\* +env EVSEND_DEVO_TOKEN$/m);
    assert.doesNotMatch(flag.stdout, /databoom/);
    const env = await runInProcess(["config", "show", "devo", "--json"], {
      home: home.home,
      env: { EVSEND_PROFILE: "b", EVSEND_DEVO_TOKEN: SECRET },
    });
    assert.equal(env.code, 0, env.stderr);
    const [result, summary] = env.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(result.type, "result");
    assert.equal(result.profile, "b");
    const field = (key: string) => result.fields.find((f: { key: string }) => f.key === key);
    assert.deepEqual(field("domain").source, {
      kind: "profile",
      profile: "b",
      file: join(home.home, ".config", "evsend", "config.yaml"),
    });
    assert.deepEqual(field("token"), {
      key: "token",
      set: true,
      secret: true,
      source: { kind: "env", name: "EVSEND_DEVO_TOKEN" },
    });
    assert.equal(summary.type, "summary");
    assert.equal(summary.exitCode, 0);
    assert.ok(!everything(env).includes(SECRET));
  });

  it("an unknown service is exit 2", async () => {
    const r = await runInProcess(["config", "show", "nosuch"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /devo, databoom, eventhos, guance/);
  });
});

describe("evsend config init", () => {
  it("writes the template with mode 0600 and the schema line, then refuses to overwrite", async (t) => {
    const home = await withTempHome(t);
    const target = join(home.home, ".config", "evsend", "config.yaml");
    const r = await runInProcess(["config", "init"], { home: home.home });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^wrote ${target} \\(mode 600\\)`));
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    const text = await readFile(target, "utf8");
    assert.match(
      text.split("\n")[0]!,
      /^# yaml-language-server: \$schema=file:\/\/.*\/schema\/config\.schema\.json$/,
    );
    // As written it sets nothing, and evsend reads it without a warning.
    const show = await runInProcess(["config", "show", "devo"], { home: home.home });
    assert.equal(show.code, 0, show.stderr);
    assert.equal(show.stderr, "");
    assert.match(show.stdout, /^profile: default \(defaultProfile\)$/m);

    await writeFile(target, text + "# mine\n");
    const again = await runInProcess(["config", "init"], { home: home.home });
    assert.equal(again.code, 3);
    assert.match(again.stderr, /exists; config init never overwrites a file/);
    assert.match(await readFile(target, "utf8"), /# mine\n$/);
  });

  it("--config names the file; a non-YAML name is exit 2", async (t) => {
    const home = await withTempHome(t);
    const r = await runInProcess(["-c", "team.yaml", "config", "init"], { home: home.home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await stat(join(home.home, "team.yaml"))).mode & 0o777, 0o600);
    const json = await runInProcess(["-c", "team.json", "config", "init"], { home: home.home });
    assert.equal(json.code, 2);
    assert.match(json.stderr, /not a \.yaml or \.yml file/);
  });
});

describe("evsend config check", () => {
  it("a broken profile: names each failing secret reference and bad value, exit 3, no secret shown", async (t) => {
    const home = await withTempHome(t);
    await writeFile(join(home.home, "ok.token"), SECRET);
    await home.writeConfig(
      [
        "defaultProfile: broken",
        "profiles:",
        "  broken:",
        "    devo: { endpoint: eu2, domain: acme, tag: my.app, token: { file: ~/missing.token } }",
        "    databoom: { device: d1, token: { env: NOT_SET_ANYWHERE } }",
        `    eventhos: { url: "https://eventhos.example.com", event: e1, clientId: c, clientSecret: { command: "echo ${SECRET} >&2; exit 4" } }`,
        "    guance: { site: us1, subUri: datakit/push, secret: { file: ~/ok.token } }",
      ].join("\n"),
    );
    const r = await runInProcess(["config", "check"], { home: home.home });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^devo \(devo send, devo file\): 2 problems$/m);
    assert.match(r.stdout, /devo\.token .*missing\.token.*no such file/);
    assert.match(r.stdout, /invalid Devo endpoint "eu2"/);
    assert.match(r.stdout, /^databoom \(databoom push, databoom history\): 1 problem$/m);
    assert.match(r.stdout, /NOT_SET_ANYWHERE/);
    assert.match(r.stdout, /^eventhos \(eventhos send\): 1 problem$/m);
    assert.match(r.stdout, /eventhos\.clientSecret .*the command exited with code 4/);
    assert.match(r.stdout, /^guance \(guance push\): ok$/m);
    assert.match(r.stdout, /^ {2}secret: read from profile "broken" in .*, file ~\/ok\.token$/m);
    assert.match(r.stdout, /^config check: 4 problems; nothing was sent$/m);
    assert.ok(!everything(r).includes(SECRET), everything(r));
  });

  it("checks only what the profile sets up, unless named; --json ends with the summary", async (t) => {
    const home = await withTempHome(t);
    await home.writeConfig(
      "defaultProfile: p\nprofiles:\n  p:\n    devo: { domain: acme, tag: my.app, token: { env: T } }\n",
    );
    const ok = await runInProcess(["config", "check"], { home: home.home, env: { T: SECRET } });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^databoom: not set up .*: skipped$/m);
    assert.match(ok.stdout, /^config check: 1 service ready; nothing was sent$/m);
    const named = await runInProcess(["config", "check", "guance", "--json"], {
      home: home.home,
    });
    assert.equal(named.code, 3);
    const objects = named.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(objects[0].service, "guance");
    assert.equal(objects[0].status, "problems");
    assert.match(
      objects[0].problems[0].message,
      /missing 2 Guance settings, site or URL and subUri/,
    );
    assert.deepEqual(objects.at(-1), { type: "summary", exitCode: 3, checked: 1, problems: 1 });
  });
});

describe("evsend config path", () => {
  it("prints the file in use; none is exit 3 with where to create one", async (t) => {
    const home = await withTempHome(t);
    const none = await runInProcess(["config", "path"], { home: home.home });
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no config file found/);
    assert.match(none.stderr, /evsend config init/);
    const file = await home.writeConfig("profiles: {}\n");
    const r = await runInProcess(["-q", "config", "path"], { home: home.home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${file}\n`);
  });
});

describe("hidden helpers stay hidden", () => {
  it("an unknown command's hint lists the commands, not __profiles", async () => {
    const r = await runInProcess(["nosuch"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the commands are devo, .*completion/);
    assert.doesNotMatch(r.stderr + (await runInProcess(["--help"])).stdout, /__profiles/);
  });
});
