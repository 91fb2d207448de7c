// What users run: the packed tarball, installed into an empty prefix, on a real pseudo-terminal
// (util-linux `script`), against the installed copy's own emulator. CI runs this file on every
// supported Node (.ci/run): the installed `evsend` starts with the node that runs the suite.
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { shellQuote } from "../../src/config/paths.js";
import {
  packAndInstall,
  runOnPty,
  spinnerFrames,
  stripAnsi,
  type Installed,
} from "../helpers/installed.js";
import { useTempHome } from "../helpers/scoped.js";

const ESC = "\u001b";
const DEVO_TOKEN = "pty00000000000000000000000000000";

/** A proxy to the emulator that holds every request `delayMs` first: a slow service. */
async function slowProxy(
  target: string,
  delayMs: number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      setTimeout(() => {
        const upstream = request(
          new URL(req.url ?? "/", target),
          { method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.writeHead(502).end());
        upstream.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const { load: loadYaml } = createRequire(import.meta.url)("js-yaml") as {
  load(text: string): unknown;
};
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = join(ROOT, "README.md");

/** Made-up values for the `${{ secrets.NAME }}` the README's CI steps use. */
const CI_SECRETS = (emulator: string): Record<string, string> => ({
  DEVO_TOKEN: "ci000000000000000000000000000000",
  DATABOOM_TOKEN: "ci-databoom-token",
  EVENTHOS_ACCESS_KEY: "ci-eventhos-access-key",
  GUANCE_WEBHOOK_URL: `${emulator}/api/v1/push-events/ci-made-up-secret/datakit/push`,
});

/** A CI step of the README: its name, env and run script, and the line its block opens on. */
interface CiStep {
  line: number;
  name: string;
  env: Record<string, string>;
  run: string;
}

/** The ```yaml blocks right after `<!-- test: ci-step -->`, each one GitHub Actions step. */
function ciSteps(markdown: string): CiStep[] {
  const lines = markdown.split("\n");
  const steps: CiStep[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== "<!-- test: ci-step -->") return;
    let open = i + 1;
    while (lines[open]?.trim() === "") open++;
    assert.equal(lines[open]?.trim(), "```yaml", `README:${i + 1}: a yaml block after the marker`);
    const close = lines.findIndex((l, j) => j > open && l.trim() === "```");
    const parsed = loadYaml(lines.slice(open + 1, close).join("\n")) as
      [{ name: string; env?: Record<string, string>; run: string }] | undefined;
    const step = parsed?.[0];
    assert.ok(step && typeof step.run === "string", `README:${open + 1}: a step with run`);
    steps.push({ line: open + 1, name: step.name, env: step.env ?? {}, run: step.run });
  });
  return steps;
}

/** Forgets what the emulator recorded; then `recorded` counts what came after. */
async function forget(emulator: string): Promise<void> {
  assert.equal((await fetch(`${emulator}/_emulator/events`, { method: "DELETE" })).ok, true);
}

/** How many events the emulator recorded since `forget` (the first page is enough). */
async function recorded(emulator: string): Promise<number> {
  const answer = (await (await fetch(`${emulator}/_emulator/events?limit=100`)).json()) as {
    events: unknown[];
  };
  return answer.events.length;
}

/** Runs a CI step's script as GitHub Actions does (bash -e), stdout and stderr together. */
function runBash(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-e", "-c", script], { env, cwd });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("the installed package on a terminal (end to end)", { timeout: 300_000 }, () => {
  let installed: Installed;
  const home = useTempHome();
  let emulator: ChildProcess;
  let proxy: { url: string; server: Server };
  let env: NodeJS.ProcessEnv;
  let work: string;
  let emulatorUrl: string;

  before(async () => {
    installed = await packAndInstall();
    emulator = spawn(join(installed.binDir, "evsend"), ["emulate", "--port", "0"], {
      env: { ...home.env, PATH: installed.path },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: emulator.stdout! }).on("line", (line) => {
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      emulator.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
    });
    emulatorUrl = url;
    proxy = await slowProxy(url, 200);
    work = join(home.home, "work");
    await mkdir(work);
    env = {
      ...home.env,
      PATH: installed.path,
      EVSEND_DEVO_ENDPOINT: proxy.url,
      EVSEND_DEVO_TOKEN: DEVO_TOKEN,
      EVSEND_DEVO_DOMAIN: "pty",
      EVSEND_DEVO_TAG: "my.app.pty",
      EVSEND_DATABOOM_URL: `${proxy.url}/v1`,
      EVSEND_DATABOOM_TOKEN: "pty-databoom-token",
      EVSEND_DATABOOM_DEVICE: "pty-device",
      EVSEND_EVENTHOS_URL: proxy.url,
      EVSEND_EVENTHOS_EVENT: "order-created-pty",
      EVSEND_EVENTHOS_ACCESS_KEY: "pty-eventhos-key",
      EVSEND_GUANCE_URL: proxy.url,
      EVSEND_GUANCE_SECRET: "pty-guance-secret",
      EVSEND_GUANCE_SUB_URI: "pty",
    };
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${"x".repeat(50)}`);
    await writeFile(join(work, "app.log"), lines.join("\n") + "\n");
    await writeFile(join(work, "app.log.gz"), gzipSync(lines.join("\n") + "\n"));
    const rows = Array.from(
      { length: 600 },
      (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${20 + (i % 10)}`,
    );
    await writeFile(join(work, "readings.csv"), ["date,temperature", ...rows].join("\n") + "\n");
    const orders = Array.from({ length: 15 }, (_, i) => JSON.stringify({ order: i }));
    await writeFile(join(work, "orders.ndjson"), orders.join("\n") + "\n");
    const alerts = Array.from({ length: 15 }, (_, i) =>
      JSON.stringify({ status: "info", title: `deploy ${i}` }),
    );
    await writeFile(join(work, "alerts.ndjson"), alerts.join("\n") + "\n");
  });

  after(async () => {
    emulator?.kill("SIGTERM");
    proxy?.server.close();
    await home?.cleanup();
    await installed?.cleanup();
  });

  const bulk: [string, string[], RegExp][] = [
    [
      "devo file",
      ["devo", "file", "--batch-size", "16k", "--concurrency", "1", "app.log"],
      /delivered 3000 of 3000 lines/,
    ],
    [
      "devo file --gzip (a .gz input)",
      ["devo", "file", "--gzip", "--batch-size", "16k", "--concurrency", "1", "app.log.gz"],
      /delivered 3000 of 3000 lines/,
    ],
    [
      "databoom history",
      ["databoom", "history", "--batch-points", "40", "--concurrency", "1", "readings.csv"],
      /600/,
    ],
    [
      "eventhos send --ndjson",
      ["eventhos", "send", "--concurrency", "1", "--ndjson", "orders.ndjson"],
      /15/,
    ],
    [
      "guance push --ndjson --rate",
      ["guance", "push", "--rate", "300", "--ndjson", "alerts.ndjson"],
      /15/,
    ],
  ];
  for (const [name, args, summary] of bulk) {
    it(`${name}: draws progress on delivery, clears it, prints the summary, exit 0`, async () => {
      const r = await runOnPty(
        `cd ${shellQuote(work)} && evsend ${args.map(shellQuote).join(" ")}`,
        env,
      );
      const shown = stripAnsi(r.transcript);
      assert.equal(r.code, 0, shown);
      assert.doesNotMatch(shown, /error:|is not a function/, shown);
      const frames = spinnerFrames(r.transcript);
      const percents = frames
        .map((f) => /(\d+)% of /.exec(f)?.[1])
        .filter((p) => p !== undefined)
        .map(Number);
      assert.ok(percents.length > 0, `no percentage drawn:\n${frames.join("\n")}`);
      assert.ok(
        percents.every((p) => p >= 0 && p <= 100),
        percents.join(" "),
      );
      // Progress follows delivery: it never goes back, and while work remains it is below 100
      // with an ETA that is not zero.
      assert.deepEqual(
        [...percents].sort((a, b) => a - b),
        percents,
        percents.join(" "),
      );
      const midway = frames.find(
        (f) => /(\d+)% of .* · ETA (?!0s)\S+/.exec(f) && Number(/(\d+)%/.exec(f)![1]) < 100,
      );
      assert.ok(midway, `no frame below 100% with a non-zero ETA:\n${frames.join("\n")}`);
      // The spinner's line is erased (CSI K) after its last frame, before the summary.
      const lastFrame = r.transcript.lastIndexOf(" in flight");
      const cleared = r.transcript.indexOf(`${ESC}[0K`, lastFrame);
      const summaryAt = r.transcript.search(/delivered \d+ of \d+/);
      assert.ok(lastFrame >= 0 && cleared > lastFrame && summaryAt > cleared, shown);
      assert.match(shown, summary);
      assert.ok(!r.transcript.includes(DEVO_TOKEN), "the token never shows");
    });
  }

  it("devo file -n on a terminal: shows the plan, exit 0", async () => {
    const r = await runOnPty(`cd ${shellQuote(work)} && evsend -n devo file app.log`, env);
    assert.equal(r.code, 0, r.transcript);
    assert.doesNotMatch(r.transcript, /error:/);
    assert.match(r.transcript, /POST /);
  });

  it("--help on a terminal is in colour; NO_COLOR and --no-color turn it off", async () => {
    const coloured = await runOnPty("evsend devo file --help", env);
    assert.equal(coloured.code, 0);
    assert.ok(coloured.transcript.includes(`${ESC}[1mUsage:${ESC}[22m`), coloured.transcript);
    assert.ok(coloured.transcript.includes(`${ESC}[32m--gzip${ESC}[39m`), coloured.transcript);
    for (const [command, extra] of [
      ["evsend devo file --help", { NO_COLOR: "1" }],
      ["evsend --no-color devo file --help", {}],
    ] as const) {
      const plain = await runOnPty(command, { ...env, ...extra });
      assert.equal(plain.code, 0);
      assert.match(plain.transcript, /^Usage: evsend devo file/m);
      assert.equal(stripAnsi(plain.transcript), plain.transcript, command);
    }
  });

  // The README's CI steps (a ```yaml block after `<!-- test: ci-step -->`), run as written:
  // `run` with bash -e in a directory holding the tarball where the step expects it, the step's
  // `env` with made-up secrets, `npm install --global` going to a temporary prefix, and the
  // example hosts pointing at the emulator.
  const steps = ciSteps(readFileSync(README, "utf8"));
  it("the README has CI steps to run", () => assert.ok(steps.length >= 3, String(steps.length)));
  for (const step of steps) {
    it(`README:${step.line}: the CI step "${step.name}" runs as written`, async () => {
      const dir = await mkdtemp(join(home.home, "ci-"));
      const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
      await mkdir(join(dir, "tools"));
      await copyFile(installed.tarball, join(dir, "tools", `evsend-${version}.tgz`));
      await mkdir(join(dir, "coverage"));
      await writeFile(
        join(dir, "coverage", "coverage-summary.json"),
        JSON.stringify({ total: { lines: { pct: 91.5 } } }),
      );
      await mkdir(join(dir, "bench"));
      await writeFile(
        join(dir, "bench", "results.ndjson"),
        '{"date":"2024-05-01T12:00:00Z","signal":"p95_ms","value":41}\n',
      );
      // The repository's committed profile (README: a step that names it with EVSEND_CONFIG).
      await writeFile(
        join(dir, ".evsendrc.yaml"),
        `defaultProfile: ci\nprofiles:\n  ci:\n    eventhos: { url: "${emulatorUrl}", event: deploy-finished-Q1w2E3r4 }\n`,
      );
      const prefix = join(dir, "global");
      const stepEnv: NodeJS.ProcessEnv = {
        ...home.env,
        PATH: `${dirname(process.execPath)}:${join(prefix, "bin")}:${home.env.PATH ?? ""}`,
        npm_config_prefix: prefix,
        // The runner's npm cache (the temporary HOME has none): what `npm ci` fetched.
        npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"),
        npm_config_prefer_offline: "true",
        GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
        GITHUB_RUN_ID: "4242",
        // Databoom's step relies on the default URL (the real service): here, the emulator.
        EVSEND_DATABOOM_URL: `${emulatorUrl}/v1`,
      };
      for (const [name, value] of Object.entries(step.env)) {
        stepEnv[name] = value
          .replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, secret: string) => {
            assert.ok(secret in CI_SECRETS(emulatorUrl), `a made-up value for secrets.${secret}`);
            return CI_SECRETS(emulatorUrl)[secret]!;
          })
          .replace(/^https:\/\/[\w.-]+\.example\.com/, emulatorUrl);
      }
      await forget(emulatorUrl);
      const r = await runBash(step.run, stepEnv, dir);
      assert.equal(r.code, 0, `${step.run}\n${r.output}`);
      assert.doesNotMatch(r.output, /npx|E404/);
      assert.ok((await recorded(emulatorUrl)) > 0, "the emulator received the step's events");
    });
  }

  it("ships completions/, the scripts `evsend completion <shell>` prints", async () => {
    const dir = join(installed.prefix, "lib", "node_modules", "evsend", "completions");
    for (const [shell, file] of [
      ["bash", "evsend.bash"],
      ["zsh", "_evsend"],
      ["fish", "evsend.fish"],
    ]) {
      const shipped = readFileSync(join(dir, file!), "utf8");
      const { stdout } = await promisify(execFile)(
        join(installed.binDir, "evsend"),
        ["completion", shell!],
        {
          env: { ...process.env, PATH: installed.path },
        },
      );
      assert.equal(stdout, shipped, `${file} differs from evsend completion ${shell}`);
    }
  });

  it("config init points editors at the schema the package ships", async () => {
    const dir = await mkdtemp(join(home.home, "init-"));
    await promisify(execFile)(
      join(installed.binDir, "evsend"),
      ["-c", "e.yaml", "config", "init"],
      {
        env: { ...home.env, PATH: installed.path },
        cwd: dir,
      },
    );
    const first = readFileSync(join(dir, "e.yaml"), "utf8").split("\n")[0]!;
    const url = /^# yaml-language-server: \$schema=(file:\S+)$/.exec(first)?.[1];
    assert.ok(url, first);
    const shipped = join(installed.prefix, "lib", "node_modules", "evsend", "schema");
    assert.equal(fileURLToPath(url), join(shipped, "config.schema.json"));
    assert.equal(
      JSON.parse(readFileSync(fileURLToPath(url), "utf8")).title,
      "evsend configuration",
    );
  });

  it("npm ls --omit=dev: only what runs unbundled is installed", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["ls", "--global", "--prefix", installed.prefix, "--omit=dev", "--json", "--depth", "1"],
      { env: { ...process.env, PATH: installed.path } },
    );
    const tree = JSON.parse(stdout) as {
      dependencies: { evsend: { dependencies: Record<string, unknown> } };
    };
    assert.deepEqual(Object.keys(tree.dependencies.evsend.dependencies).sort(), [
      "js-yaml",
      "undici",
    ]);
  });
});
