import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { BIN, runEvsend, startServer, type CliResult, type TestServer } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const TOKEN = "9f8e7d6c5b4a39281716f5e4d3c2b1a0";

/** Running, not a zombie left for an init that may never reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Spawns evsend with stdin left open, sends SIGINT once `ready(stderr)` holds, and times the exit. */
async function interrupt(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (stderr: string) => boolean,
): Promise<CliResult & { afterSignalMs: number }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("close", (code, signal) => resolve([code, signal])),
  );
  for (let i = 0; i < 500 && !ready(stderr); i++) await sleep(10);
  await sleep(200); // past startup, inside the wait
  const signalled = performance.now();
  child.kill("SIGINT");
  const [code, signal] = await closed;
  const afterSignalMs = performance.now() - signalled;
  child.stdin.destroy();
  return { code, signal, stdout, stderr, durationMs: afterSignalMs, afterSignalMs };
}

describe("secrets from config and flags (end to end)", () => {
  const home = useTempHome();
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.writeHead(204).end());
  });
  after(async () => {
    await server.close();
  });

  const config = async (name: string, token: string, extra = ""): Promise<string> => {
    const file = join(home.home, name);
    const devo = `devo: { endpoint: "${server.url}", domain: d, tag: my.app.t, token: ${token} }`;
    await writeFile(file, `profiles:\n  p:\n${extra}    ${devo}\n`, { mode: 0o600 });
    return file;
  };
  const neverShown = (r: CliResult, secret: string): void =>
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), r.stderr + r.stdout);

  for (const [name, token] of [
    ["tag", `!${TOKEN}`],
    ["alias", `*${TOKEN}`],
  ]) {
    it(`an unquoted ${name} in YAML → exit 3 at file:line:column, never quoted`, async () => {
      const file = await config(`${name}.yaml`, token!);
      for (const json of [[], ["--json"]]) {
        const r = await runEvsend([...json, "-c", file, "-p", "p", "devo", "send", "x"], {
          env: home.env,
        });
        assert.equal(r.code, 3, r.stderr);
        assert.ok(r.stderr.includes(`${file}:3:`), r.stderr);
        neverShown(r, TOKEN);
      }
    });
  }

  it("an anchor with no value (token: &SECRET) → exit 3 at its position", async () => {
    const file = await config("anchor.yaml", `&${TOKEN}`);
    const r = await runEvsend(["-c", file, "-p", "p", "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(r.stderr.includes(`${file}:3:`) && r.stderr.includes("anchor (&) with no value"));
    neverShown(r, TOKEN);
  });

  it("--token-file <a pasted token> is never echoed and says how to pass one", async () => {
    for (const json of [[], ["--json"]]) {
      const r = await runEvsend(
        [
          ...json,
          "devo",
          "send",
          "--endpoint",
          server.url,
          "--domain",
          "d",
          "--tag",
          "a.b.c",
        ].concat(["--token-file", TOKEN, "x"]),
        { env: home.env },
      );
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /looks like a secret/);
      assert.match(r.stderr, /--token-file -.*EVSEND_DEVO_TOKEN/);
      neverShown(r, TOKEN);
    }
  });

  it("{ file: /dev/zero } fails fast (at most 1 MiB is read)", async () => {
    const file = await config("zero.yaml", "{ file: /dev/zero }");
    const r = await runEvsend(["-c", file, "-p", "p", "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /devo\.token in profile "p": cannot read \/dev\/zero: .*more than 1 MiB/,
    );
    assert.ok(r.durationMs < 5000, `${r.durationMs} ms`);
  });

  it("process substitution works for --token-file and -c", async () => {
    const before = server.requests.length;
    const file = await config("sub.yaml", "{ env: NOPE }");
    const script = [
      `"${process.execPath}" "${BIN}" -c <(cat "${file}" | sed 's/{ env: NOPE }/x/') -p p`,
      `devo send --token-file <(printf '%s\\n' "$T") hello`,
    ].join(" ");
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn("bash", ["-c", script], { env: { ...home.env, T: TOKEN } });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("close", (code) => resolve({ code, stderr }));
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      server.requests[before]?.url,
      `/event/d/token!${TOKEN}/${server.requests[before]?.url.split("/")[4]}/my.app.t?hello`,
    );
  });

  it("two readers of stdin are a usage error (exit 2): devo file - with --token-file -", async () => {
    const before = server.requests.length;
    const r = await runEvsend(
      ["--json", "devo", "file", "-", "--token-file", "-", "--endpoint", server.url].concat([
        "--domain",
        "d",
        "--tag",
        "a.b.c",
      ]),
      { env: home.env, stdin: "log 1\n" },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /stdin can be read only once/);
    assert.equal(server.requests.length, before);
  });

  it("two readers of stdin: devo send (message from stdin) with --token-file -", async () => {
    const r = await runEvsend(
      ["devo", "send", "--token-file", "-", "--endpoint", server.url, "--domain", "d"].concat([
        "--tag",
        "a.b.c",
      ]),
      { env: home.env, stdin: `${TOKEN}\n` },
    );
    assert.equal(r.code, 2, r.stderr);
    neverShown(r, TOKEN);
  });

  it("Ctrl-C during a { command } secret: exit 130 at once, its children are gone", async () => {
    const pidFile = join(home.home, "sleep.pid");
    const file = await config("slow.yaml", `{ command: "sleep 30 & echo $! > ${pidFile}; wait" }`);
    const r = await interrupt(["-c", file, "-p", "p", "devo", "send", "x"], home.env, () =>
      existsSync(pidFile),
    );
    assert.ok(r.code === 130 || r.signal === "SIGINT", `${r.code} ${r.signal} ${r.stderr}`);
    assert.ok(r.afterSignalMs < 2000, `took ${r.afterSignalMs} ms`);
    assert.match(r.stderr, /interrupted/);
    const pid = Number(readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(20);
    assert.equal(alive(pid), false, "the command's child survived");
  });

  it("Ctrl-C while --token-file - waits for stdin: exit 130 at once", async () => {
    const r = await interrupt(
      ["-v", "devo", "send", "--token-file", "-", "--endpoint", server.url, "--domain", "d"].concat(
        ["--tag", "a.b.c", "hi"],
      ),
      home.env,
      // -v prints the config line just before the token is read from stdin.
      (stderr) => stderr.includes("config: "),
    );
    assert.equal(r.code, 130, `${r.code} ${r.signal} ${r.stderr}`);
    assert.ok(r.afterSignalMs < 2000, `took ${r.afterSignalMs} ms`);
    assert.match(r.stderr, /interrupted/);
  });

  it("a field written directly under the profile: did you mean devo.endpoint?", async () => {
    const file = join(home.home, "flat.yaml");
    await writeFile(file, "profiles:\n  p:\n    endpoint: eu\n    domain: acme\n", { mode: 0o600 });
    const r = await runEvsend(["-c", file, "-p", "p", "devo", "send", "x"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /warning: unknown key "endpoint" in profile "p" .*did you mean devo\.endpoint\?/,
    );
    assert.match(r.stderr, /did you mean devo\.domain\?/);
  });
});
