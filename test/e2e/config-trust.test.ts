import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runEvsend, startServer, type TestServer } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "9f8e7d6c5b4a39281716f5e4d3c2b1a0";
const ROOT = process.getuid?.() === 0;

describe("config trust (end to end)", () => {
  const home = useTempHome();
  let server: TestServer;
  let project: string;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
    project = join(home.home, "src", "cloned");
    await mkdir(project, { recursive: true });
  });
  after(async () => {
    await server.close();
  });

  const devo = (token: string) =>
    `devo: { endpoint: "${server.url}", domain: d, tag: my.app.t, token: ${token} }`;
  const profile = (token: string) => `defaultProfile: p\nprofiles:\n  p:\n    ${devo(token)}\n`;

  it("a project file may not run { command }: exit 3, the command never runs", async () => {
    const marker = join(home.home, "pwned");
    const file = join(project, ".evsendrc");
    await writeFile(file, profile(`{ command: "touch ${marker}; echo x" }`), { mode: 0o600 });
    try {
      const r = await runEvsend(["devo", "send", "hi"], { env: home.env, cwd: project });
      assert.equal(r.code, 3, r.stderr);
      assert.ok(r.stderr.includes(`is a { command } in ${file}, a project file`), r.stderr);
      assert.match(r.stderr, /hint: .*pass --config/);
      assert.equal(existsSync(marker), false, "the project's command ran");
      assert.equal(server.requests.length, 0);
      // Named explicitly, the same file is trusted.
      const ok = await runEvsend(["-c", file, "devo", "send", "hi"], {
        env: home.env,
        cwd: project,
      });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(existsSync(marker), true);
    } finally {
      await rm(file, { force: true });
    }
  });

  it("-v names the file; a project file used instead of the user file says so once", async () => {
    const user = await home.writeConfig(profile("{ env: T }"));
    const file = join(project, "evsend.config.yaml");
    // The project file holds its own token: one it read from $T could not go to its endpoint.
    await writeFile(file, profile(`"${TOKEN}"`), { mode: 0o600 });
    try {
      const env = { ...home.env, T: TOKEN };
      const r = await runEvsend(["-v", "devo", "send", "hi"], { env, cwd: project });
      assert.equal(r.code, 0, r.stderr);
      const note = `note: using the project config ${file} instead of your own ${user} (pass --config to choose)`;
      assert.equal(r.stderr.split("\n").filter((l) => l === note).length, 1, r.stderr);
      assert.ok(
        r.stderr.includes(`config: ${file} (a project file found from the working directory)`),
      );
      const quiet = await runEvsend(["-q", "devo", "send", "hi"], { env, cwd: project });
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.ok(!quiet.stderr.includes("note:"), quiet.stderr);
      const own = await runEvsend(["-v", "devo", "send", "hi"], { env, cwd: home.home });
      assert.ok(own.stderr.includes(`config: ${user} (your user config)`), own.stderr);
      assert.ok(!own.stderr.includes("note:"));
      assert.ok(!`${r.stderr}${own.stderr}`.includes(TOKEN));
    } finally {
      await rm(file, { force: true });
    }
  });

  it("outside home, a file in a parent directory is never used", async () => {
    const shared = await mkdtemp(join(tmpdir(), "evsend-shared-"));
    const cwd = join(shared, "work");
    await mkdir(cwd);
    const marker = join(shared, "pwned");
    await writeFile(join(shared, ".evsendrc"), profile(`{ command: "touch ${marker}; echo x" }`));
    try {
      // No user file either (XDG_CONFIG_HOME empty), so nothing at all may be found.
      const env = { ...home.env, XDG_CONFIG_HOME: join(shared, "xdg") };
      const r = await runEvsend(["-v", "devo", "send", "hi"], { env, cwd });
      assert.equal(existsSync(marker), false);
      assert.ok(!r.stderr.includes(join(shared, ".evsendrc")), r.stderr);
      const userDir = join(shared, "xdg", "evsend");
      assert.ok(
        r.stderr.includes(`config: no config file found (searched ${cwd}, ${userDir})`),
        r.stderr,
      );
      assert.equal(r.code, 3, r.stderr); // no config: "missing Devo domain"
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it(
    "a project file owned by another user is ignored with a warning",
    {
      skip: !ROOT && "needs root to chown",
    },
    async () => {
      await home.writeConfig(profile("{ env: T }"));
      const file = join(project, ".evsendrc.yml");
      await writeFile(file, profile(`{ env: T }`).replace("domain: d", "domain: theirs"));
      await chown(file, 4242, 4242);
      try {
        const before = server.requests.length;
        const r = await runEvsend(["devo", "send", "hi"], {
          env: { ...home.env, T: TOKEN },
          cwd: project,
        });
        assert.equal(r.code, 0, r.stderr);
        assert.ok(
          r.stderr.includes(`warning: ignoring ${file}: it belongs to another user`),
          r.stderr,
        );
        assert.match(server.requests[before]?.url ?? "", /^\/event\/d\//);
      } finally {
        await rm(file, { force: true });
      }
    },
  );
});
