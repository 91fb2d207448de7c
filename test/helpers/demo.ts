// The README's quick start: start `evsend emulate` on a free port, send a first event with
// `evsend devo send`, stream a small log file with `evsend devo file --gzip`, push Databoom
// signal values, send an Eventhos event and a Guance event, show what the emulator received, and
// stop it. No account needed: the credentials are made up, and given in the environment.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { shellQuote } from "../../src/config/paths.js";
import { tempHome } from "./spawn.js";

const bin = fileURLToPath(new URL("../../bin/evsend.js", import.meta.url));
const token = "demo0000000000000000000000000000";
const databoomToken = "demo-databoom-oauth-token";
// With no --eventhos-config the emulator takes any made-up access key and event identifier.
const eventhosKey = "demo-eventhos-access-key";
const guanceSecret = "demo-guance-webhook-secret";
// Your own config and EVSEND_* variables stay out of the demo: it must show the same thing to everyone.
const home = await tempHome();

const emulator = spawn(
  process.execPath,
  [bin, "emulate", "--port", "0", "--devo-token", token, "--databoom-token", databoomToken],
  {
    stdio: ["ignore", "pipe", "inherit"],
    env: home.env,
  },
);
const lines = createInterface({ input: emulator.stdout });
const url = await new Promise<string>((resolve, reject) => {
  lines.on("line", (line) => {
    const match = /^listening on (http:\/\/\S+)$/.exec(line);
    if (match?.[1]) resolve(match[1]);
    else console.log(`  emulator | ${line}`);
  });
  emulator.once("exit", (code) => reject(new Error(`the emulator exited early (${code})`)));
});
console.log(`1. emulator listening on ${url}`);

// `evsend` on PATH is this checkout's bin/evsend.js, as after `npm link`.
const binDir = await mkdtemp(join(tmpdir(), "evsend-demo-bin-"));
await symlink(bin, join(binDir, "evsend"));
const env: NodeJS.ProcessEnv = {
  ...home.env,
  PATH: `${dirname(process.execPath)}:${binDir}:${home.env.PATH ?? ""}`,
  EVSEND_DEVO_TOKEN: token,
  EVSEND_DEVO_ENDPOINT: url,
  EVSEND_DATABOOM_TOKEN: databoomToken,
  EVSEND_DATABOOM_URL: `${url}/v1`,
  EVSEND_EVENTHOS_URL: url,
  EVSEND_EVENTHOS_ACCESS_KEY: eventhosKey,
  EVSEND_GUANCE_URL: url,
  EVSEND_GUANCE_SECRET: guanceSecret,
  EVSEND_GUANCE_SUB_URI: "demo",
};
const settings = Object.keys(env).filter((name) => name.startsWith("EVSEND_"));
console.log(
  "   the settings below (made-up credentials, the emulator's URL) are in the environment:",
);
console.log(`   export ${settings.map((name) => `${name}=${shellQuote(env[name]!)}`).join(" ")}`);

/**
 * Prints `$ evsend …` shell-quoted, then runs exactly that line with `sh -c`: what is shown is
 * what ran, so it can be pasted. Resolves to its exit code.
 */
async function evsend(args: string[]): Promise<number> {
  const line = ["evsend", ...args].map(shellQuote).join(" ");
  console.log(`$ ${line}`);
  const child = spawn("sh", ["-c", line], { stdio: ["ignore", "inherit", "inherit"], env });
  const [code] = (await once(child, "exit")) as [number];
  return code;
}

const target = ["--domain", "demo", "--tag", "my.app.demo"];
console.log("2. one event:");
const sent = await evsend(["devo", "send", ...target, "hello from evsend"]);

const dir = await mkdtemp(join(tmpdir(), "evsend-demo-"));
const log = join(dir, "app.log");
await writeFile(
  log,
  ["GET /login 200 12ms", "POST /orders 201 48ms", "", "GET /orders/42 404 3ms"].join("\n") + "\n",
);
console.log("3. a log file, line by line, gzip-compressed:");
const streamed = await evsend(["devo", "file", ...target, "--gzip", log]);
await rm(dir, { recursive: true, force: true });

console.log("3b. current values of a Databoom device's signals:");
const pushed = await evsend([
  "databoom",
  "push",
  "--device",
  "demo-device",
  "temperature=21.5",
  "humidity=40",
]);

console.log("3c. a JSON event to Eventhos:");
const posted = await evsend([
  "eventhos",
  "send",
  "--event",
  "order-created-demo",
  '{"order": 42, "status": "created"}',
]);

console.log("3d. an external event to Guance, checked against its field rules first:");
const alerted = await evsend([
  "guance",
  "push",
  "--status",
  "warning",
  "--title",
  "disk almost full",
  "--tag",
  "host=demo",
]);

const received = (await (await fetch(`${url}/_emulator/events`)).json()) as { events: unknown[] };
console.log(`4. the emulator received ${received.events.length} events:`);
for (const event of received.events) console.log(`   ${JSON.stringify(event)}`);

emulator.kill("SIGTERM");
await once(emulator, "exit");
await home.cleanup();
await rm(binDir, { recursive: true, force: true });
const codes = [sent, streamed, pushed, posted, alerted];
const ok = codes.every((code) => code === 0) && received.events.length === 1 + 3 + 2 + 1 + 1;
console.log(
  ok
    ? "done: evsend works. Next: README.md › Configuration."
    : `demo failed (exit codes ${codes.join(", ")}; ${received.events.length} events received)`,
);
process.exitCode = ok ? 0 : 1;
