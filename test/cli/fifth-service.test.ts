import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { services } from "../../src/services/index.js";
import { fifth } from "../fixtures/fifth-service/commands.js";
import { httpCall } from "../helpers/emulator.js";
import { runInProcess, type InProcessResult } from "../helpers/run-cli.js";

/** evsend's services and one more: the one registry line that adding an API takes. */
const registry = [...services, fifth];

const KEY = "fifth-test-key-0000000000000000";

describe("a fifth service: one folder and one registry entry (in-process)", () => {
  let home: string;
  let keyFile: string;
  const stop = new AbortController();
  let emulator: Promise<InProcessResult>;
  let url = "";

  before(async () => {
    home = await mkdtemp(join(tmpdir(), "evsend-fifth-"));
    keyFile = join(home, "key");
    await writeFile(keyFile, `${KEY}\n`);
    let printed = "";
    let listening: () => void = () => {};
    const started = new Promise<void>((resolve) => (listening = resolve));
    emulator = runInProcess(["emulate", "--port", "0", "--fifth-key", KEY], {
      home,
      services: registry,
      signal: stop.signal,
      onStdout: (text) => {
        printed += text;
        const match = /listening on (http:\/\/\S+)/.exec(printed);
        if (match) {
          url = match[1]!;
          listening();
        }
      },
    });
    await Promise.race([started, emulator.then((r) => assert.fail(`emulate ended: ${r.stderr}`))]);
  });

  after(async () => {
    stop.abort();
    await emulator;
    await rm(home, { recursive: true, force: true });
  });

  const run = (args: string[]): Promise<InProcessResult> =>
    runInProcess(args, { home, services: registry });
  /** `fifth <command>` to the emulator, on `channel`, with the key in `key`. */
  const fifthTo = (command: string, channel: string, key: string): string[] => [
    "fifth",
    command,
    "--url",
    url,
    "--channel",
    channel,
    "--key-file",
    key,
  ];

  it("is listed by the root help and its emulator option by emulate's", async () => {
    const root = await run(["--help"]);
    assert.match(root.stdout, /\n {2}fifth +Fifth: a made-up API \(tests only\)\n/);
    assert.match(root.stdout, /Devo, Databoom, Eventhos, Guance and Fifth/);
    const emulate = await run(["emulate", "--help"]);
    assert.match(emulate.stdout, /--fifth-key <key>/);
    assert.match(emulate.stdout, /Guance and Fifth APIs/);
    // Its fields' options come from its spec alone.
    const send = await run(["fifth", "send", "--help"]);
    assert.match(send.stdout, /--key-file <path\|->\s+read the API key from this file; - reads/);
    assert.match(send.stdout, /env EVSEND_FIFTH_CHANNEL,\s+profile\s+fifth\.channel/);
  });

  it("sends one event to its emulator route, the key masked in -v", async () => {
    const r = await run(["-v", ...fifthTo("send", "c1", keyFile), "hi", "there"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^accepted: 1 event \(HTTP 204\)\n$/);
    assert.ok(!r.stderr.includes(KEY), r.stderr);
  });

  it("sends NDJSON on the shared bulk runner, one event per line", async () => {
    const input = join(home, "events.ndjson");
    await writeFile(input, '{"n":1}\n{"n":2}\nnot json\n{"n":3}\n');
    const r = await run(["--json", ...fifthTo("bulk", "c2", keyFile), input]);
    assert.equal(r.code, 6, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    assert.equal(summary.type, "summary");
    assert.equal(summary.delivered, 3, r.stdout);
    assert.equal(summary.rejected, 1, r.stdout);
  });

  it("a wrong key: its emulator's typed setting refuses it (exit 4)", async () => {
    const wrong = join(home, "wrong");
    await writeFile(wrong, "not-the-key\n");
    const r = await run([...fifthTo("send", "c1", wrong), "x"]);
    assert.equal(r.code, 4, r.stderr);
  });

  it("the emulator recorded what arrived, through its route", async () => {
    const listing = await httpCall(`${url}/_emulator/events?limit=100`, "GET");
    assert.equal(listing.status, 200);
    const { events } = JSON.parse(listing.body) as {
      events: Array<{ service: string; target: { channel: string }; event: unknown }>;
    };
    assert.deepEqual(
      events.map((e) => [e.service, e.target.channel, e.event]),
      [
        ["fifth", "c1", { message: "hi there" }],
        ["fifth", "c2", { n: 1 }],
        ["fifth", "c2", { n: 2 }],
        ["fifth", "c2", { n: 3 }],
      ],
    );
  });
});
