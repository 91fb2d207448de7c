// The heap limit of a long record run (src/bulk/heap-limit.ts): which V8 flags it sets and when,
// against a fake node:v8; and, in a child process on the Node that runs the tests, that the real
// V8 reads them as it goes (the young generation stops growing at the cap). Never how much
// memory a run takes: that is `npm run bench`'s (BENCH_ONLY=databoom-rss).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it, mock } from "node:test";
import { fileURLToPath } from "node:url";
import {
  limitHeap,
  sizedByUser,
  UNDER_DEFAULTS,
  WATCH_MS,
  YOUNG_GENERATION_CAP,
  type HeapControls,
} from "../../src/bulk/heap-limit.js";
import { runInProcess } from "../helpers/run-cli.js";

const MB = 1024 * 1024;

/** A node:v8 whose young generation is `young` bytes, recording the flags set. */
function fakeV8(young: number): HeapControls & { flags: string[]; young: number } {
  const v8 = {
    flags: [] as string[],
    young,
    setFlagsFromString(flags: string) {
      v8.flags.push(flags);
    },
    getHeapSpaceStatistics() {
      return [
        { space_name: "old_space", space_size: 40 * MB },
        { space_name: "new_space", space_size: v8.young },
      ];
    },
  };
  return v8;
}

describe("the heap limit of a record run", () => {
  it("holds the old generation at once, the young one when it reaches the cap, and sets V8's defaults back", (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const v8 = fakeV8(2 * MB);
    const limit = limitHeap(v8);
    assert.deepEqual(v8.flags, ["--heap-growing-percent=100"]);
    t.mock.timers.tick(WATCH_MS * 5);
    assert.equal(v8.flags.length, 1, "below the cap: the young generation may still grow");
    v8.young = YOUNG_GENERATION_CAP;
    t.mock.timers.tick(WATCH_MS);
    assert.deepEqual(v8.flags.slice(1), ["--semi-space-growth-factor=1"]);
    t.mock.timers.tick(WATCH_MS * 5);
    assert.equal(v8.flags.length, 2, "set once; the timer is stopped");
    limit.restore();
    limit.restore();
    assert.deepEqual(v8.flags.slice(2), ["--semi-space-growth-factor=2 --heap-growing-percent=0"]);
  });

  it("stops watching when restored before the cap, and never sets a flag after", (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const v8 = fakeV8(MB);
    const limit = limitHeap(v8);
    limit.restore();
    v8.young = 64 * MB;
    t.mock.timers.tick(WATCH_MS * 5);
    limit.check();
    assert.deepEqual(v8.flags, [
      "--heap-growing-percent=100",
      "--semi-space-growth-factor=2 --heap-growing-percent=0",
    ]);
  });

  it("holds a young generation already at the cap at once; the cap can be given", () => {
    const v8 = fakeV8(64 * MB);
    limitHeap(v8).restore();
    const small = fakeV8(4 * MB);
    limitHeap(small, { youngCap: 4 * MB }).restore();
    assert.deepEqual(small.flags, v8.flags);
    assert.deepEqual(v8.flags.slice(0, 2), [
      "--heap-growing-percent=100",
      "--semi-space-growth-factor=1",
    ]);
  });

  it("lends V8's defaults to a compile while it is on (bin/code-cache.js), then holds again", (t) => {
    t.mock.timers.enable({ apis: ["setInterval"] });
    const holder = globalThis as unknown as Record<symbol, (<T>(f: () => T) => T) | undefined>;
    const v8 = fakeV8(MB);
    const limit = limitHeap(v8);
    const underDefaults = holder[UNDER_DEFAULTS]!;
    const during: string[][] = [];
    assert.equal(
      underDefaults(() => (during.push([...v8.flags]), "compiled")),
      "compiled",
    );
    v8.young = YOUNG_GENERATION_CAP;
    t.mock.timers.tick(WATCH_MS);
    underDefaults(() => during.push([...v8.flags]));
    assert.throws(() => underDefaults(() => assert.fail("a compile that throws")));
    limit.restore();
    assert.equal(holder[UNDER_DEFAULTS], undefined, "gone once restored");
    const defaults = "--semi-space-growth-factor=2 --heap-growing-percent=0";
    assert.deepEqual(v8.flags, [
      "--heap-growing-percent=100",
      defaults,
      "--heap-growing-percent=100",
      "--semi-space-growth-factor=1",
      defaults,
      "--heap-growing-percent=100 --semi-space-growth-factor=1",
      defaults,
      "--heap-growing-percent=100 --semi-space-growth-factor=1",
      defaults,
    ]);
    assert.deepEqual(
      during.map((flags) => flags.at(-1)),
      [defaults, defaults],
      "each compile ran under V8's defaults",
    );
  });

  it("keeps no process alive", () => {
    const setInterval = mock.method(globalThis, "setInterval");
    try {
      limitHeap(fakeV8(MB)).restore();
      const timer = setInterval.mock.calls[0]?.result as NodeJS.Timeout;
      assert.equal(timer.hasRef(), false);
    } finally {
      setInterval.mock.restore();
    }
  });

  it("leaves V8 as it is when a Node option sizes the heap's generations", () => {
    for (const [execArgv, nodeOptions] of [
      [["--max-semi-space-size=4"], undefined],
      [["--max_semi_space_size", "4"], ""],
      [[], "--trace-warnings --min-semi-space-size=2"],
      [["--semi-space-growth-factor=4"], undefined],
      [[], "--heap-growing-percent=50"],
      [["--scavenger-max-new-space-capacity-mb=8"], undefined],
    ] as const) {
      assert.equal(sizedByUser(execArgv, nodeOptions), true, `${execArgv} ${nodeOptions}`);
    }
    for (const [execArgv, nodeOptions] of [
      [[], undefined],
      [["--enable-source-maps"], "--max-old-space-size=4096"],
      [["--max-heap-size=512"], "--no-warnings"],
    ] as const) {
      assert.equal(sizedByUser(execArgv, nodeOptions), false, `${execArgv} ${nodeOptions}`);
    }
  });
});

/** A cap a quarter of every Node's own largest young generation, so that the control shows it. */
const TEST_CAP = 8 * MB;

/**
 * A child process that allocates as a record run does (short-lived objects, a window of them
 * alive across collections) and reports its young generation's largest size, with the limit at
 * `TEST_CAP` or without it (the control: V8 doubles it past that, to 32 MB and more).
 */
function youngGenerationPeak(limited: boolean): number {
  const module = fileURLToPath(new URL("../../src/bulk/heap-limit.ts", import.meta.url));
  const script = `
    import v8 from "node:v8";
    import { limitHeap } from ${JSON.stringify(module)};
    const limit = ${limited} ? limitHeap(v8, { youngCap: ${TEST_CAP} }) : undefined;
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
    let window = [];
    let peak = 0;
    for (let i = 0; i < 4e6; i++) {
      window.push({ i, text: "row " + i });
      if (window.length === 50000) window = [];
      if (i % 1000 === 0) {
        limit?.check();
        peak = Math.max(peak, young());
        if (!limit && peak > ${2 * TEST_CAP}) break;
      }
    }
    limit?.restore();
    console.log(peak);
  `;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", script],
    { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
  );
  assert.equal(child.status, 0, child.stderr);
  return Number(child.stdout.trim());
}

describe(`the heap limit on V8 (Node ${process.version})`, () => {
  it("stops the young generation's growth at the cap, where V8 alone doubles it further", () => {
    assert.ok(youngGenerationPeak(false) > 2 * TEST_CAP, "the control doubles past the cap");
    // Held at the cap; V8 (Node 24) may add a few 256 KB pages between scavenges, never double it.
    const peak = youngGenerationPeak(true);
    assert.ok(peak >= TEST_CAP && peak < 2 * TEST_CAP, `${peak} bytes`);
  });
});

describe("which runs hold the heap (in-process, a stand-in for main's limit)", () => {
  /**
   * Runs evsend with a limit that records when it was set and when restored; the run must end
   * with exit code `code`.
   */
  async function limitsOf(args: string[], stdin: string, code = 0): Promise<string[]> {
    const seen: string[] = [];
    const r = await runInProcess(args, {
      stdin,
      env: { EVSEND_DATABOOM_TOKEN: "Databoom0Token0000000000000000AB" },
      limitHeap: () => {
        seen.push("set");
        return Promise.resolve(() => seen.push("restored"));
      },
    });
    assert.equal(r.code, code, r.stderr);
    return seen;
  }

  it("a record run, for its whole length; a line run (devo file) and a one-off send, never", async () => {
    const csv = "date,signal,value\n2024-01-01T00:00:00.000Z,s1,1\n";
    const history = ["--dry-run", "databoom", "history", "--url", "http://127.0.0.1:9/v1"];
    const csvArgs = ["--device", "d", "--format", "csv", "-"];
    assert.deepEqual(await limitsOf([...history, ...csvArgs], csv), ["set", "restored"]);
    const devo = ["--dry-run", "devo", "--domain", "d", "--tag", "a.b", "--host", "h"];
    assert.deepEqual(
      await limitsOf([...devo.slice(0, 2), "file", ...devo.slice(2), "-"], "l\n"),
      [],
    );
    assert.deepEqual(await limitsOf([...devo.slice(0, 2), "send", ...devo.slice(2), "hi"], ""), []);
  });

  it("is set back when the run fails", async () => {
    // Nothing listens on port 9: exit 7, the service unavailable.
    const args = ["--retries", "0", "databoom", "history", "--url", "http://127.0.0.1:9/v1"];
    const csv = "date,signal,value\n2024-01-01T00:00:00.000Z,s1,1\n";
    const seen = await limitsOf([...args, "--device", "d", "--format", "csv", "-"], csv, 7);
    assert.deepEqual(seen, ["set", "restored"]);
  });
});
