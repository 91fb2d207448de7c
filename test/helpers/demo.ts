// The README's quick start: start `evsend emulate` on a free port, send a first event with
// `evsend devo send`, show what the emulator received, and stop it. No account needed.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/evsend.js", import.meta.url));
const token = "demo0000000000000000000000000000";

const emulator = spawn(process.execPath, [bin, "emulate", "--port", "0", "--devo-token", token], {
  stdio: ["ignore", "pipe", "inherit"],
});
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

const message = "hello from evsend";
console.log(`2. evsend devo send --endpoint ${url} --domain demo --tag my.app.demo '${message}'`);
const sender = spawn(
  process.execPath,
  [bin, "devo", "send", "--endpoint", url, "--domain", "demo", "--tag", "my.app.demo", message],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, EVSEND_DEVO_TOKEN: token } },
);
const [code] = (await once(sender, "exit")) as [number];

const received = (await (await fetch(`${url}/_emulator/events`)).json()) as { events: unknown[] };
console.log(`3. the emulator received ${received.events.length} event(s):`);
for (const event of received.events) console.log(`   ${JSON.stringify(event)}`);

emulator.kill("SIGTERM");
await once(emulator, "exit");
const ok = code === 0 && received.events.length === 1;
console.log(
  ok ? "done: evsend works. Next: README.md › Configuration." : `demo failed (exit ${code})`,
);
process.exitCode = ok ? 0 : 1;
