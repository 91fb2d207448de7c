// `npm run bench`: evsend against what a user would write instead, on the same loopback sink, in
// the same run, alternating, median of several runs (ratios, not absolute times: the machine may
// be shared). Groups, all by default, a subset with BENCH_ONLY=<group>,…:
//   startup      devo send and --help against one-off node scripts (and cold compile cache, Node ≥ 22)
//   devo         devo file against curl, gzip -6 | curl and a plain node stream POST
//   devo-rss     devo file's peak RSS on BENCH_MB and 4× that (plain and --gzip) against curl's
//   databoom     databoom history on BENCH_ROWS rows against test/bench/databoom-baseline.mjs
//   databoom-rss databoom history's peak RSS on BENCH_ROWS and BENCH_BIG_ROWS rows (flat?)
//   ndjson       eventhos send --ndjson (--concurrency 4) and guance push --ndjson against
//                test/bench/ndjson-baseline.mjs, events a second over BENCH_EVENTS lines
//   ndjson-rss   their peak RSS over BENCH_EVENTS and BENCH_RSS_EVENTS lines (flat?)
//   sweep        (only when named, or BENCH_SWEEP=1) --batch-size × --concurrency for devo file
// Sizes: BENCH_MB (100), BENCH_ROWS (1000000), BENCH_BIG_ROWS (10000000), BENCH_EVENTS (100000),
// BENCH_RSS_EVENTS (2000000); runs: BENCH_RUNS (5), BENCH_STARTUP_RUNS (21). BENCH_NODE=<node
// binary> runs every measured process (evsend and the node baselines) on that Node, e.g.
// `BENCH_NODE=$(.ci/node 24)/node npm run bench`. Every process runs with a temporary HOME and
// none of the caller's EVSEND_*, proxy or TLS variables (NODE_EXTRA_CA_CERTS slows every Node
// start-up; BENCH_EXTRA_CA_CERTS=<pem> sets it for all alike). Results are printed as Markdown
// tables and written to .bench/results.md. The sink is stopped and the HOME removed whatever fails.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { tempHome } from "../helpers/spawn.js";
import { csvRows, logLines, ndjsonEvents } from "./data.js";
import { row, table } from "./markdown.js";
import {
  comparePairs,
  formatRss,
  measure,
  median,
  PAIR_HEADER,
  type Measured,
  type Pair,
} from "./measure.js";
import { startupPairs } from "./startup.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.bench`;
const bin = `${root}bin/evsend.js`;
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const runs = num("BENCH_RUNS", 5);
const startupRuns = num("BENCH_STARTUP_RUNS", 21);
const mb = num("BENCH_MB", 100);
const rows = num("BENCH_ROWS", 1_000_000);
const bigRows = num("BENCH_BIG_ROWS", 10_000_000);
const events = num("BENCH_EVENTS", 100_000);
const rssEvents = num("BENCH_RSS_EVENTS", 2_000_000);
const node = process.env.BENCH_NODE ?? process.execPath;
const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
const GROUPS = ["startup", "devo", "devo-rss", "databoom", "databoom-rss", "ndjson", "ndjson-rss"];
const only = process.env.BENCH_ONLY?.split(",").map((g) => g.trim());
for (const group of only ?? [])
  if (![...GROUPS, "sweep"].includes(group))
    throw new Error(`BENCH_ONLY: no group "${group}" (${[...GROUPS, "sweep"].join(", ")})`);
const wanted = (group: string): boolean => (only ? only.includes(group) : GROUPS.includes(group));

const DEVO_TOKEN = "BenchT0ken0000000000000000000000";
const home = await tempHome();
const extraCa = process.env.BENCH_EXTRA_CA_CERTS;
const env: NodeJS.ProcessEnv = {
  ...home.env,
  EVSEND_DEVO_TOKEN: DEVO_TOKEN,
  EVSEND_DATABOOM_TOKEN: "BenchDataboomToken000000000000",
  EVSEND_EVENTHOS_ACCESS_KEY: "BenchEventhosKey00000000000000",
  EVSEND_GUANCE_SECRET: "BenchGuanceSecret0000000000000",
  EVSEND_GUANCE_API_KEY: "BenchGuanceApiKey0000000000000",
  DATABOOM_TOKEN: "BenchDataboomToken000000000000",
  CI: "true",
  ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}),
};
const hasCurl = spawnSync("curl", ["--version"], { env }).status === 0;

interface SinkStats {
  requests: number;
  gzipRequests: number;
  bytes: number;
}

interface Sink {
  url: string;
  stats(): Promise<SinkStats>;
  stop(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("sink.ts", import.meta.url))],
    { stdio: ["ignore", "pipe", "inherit"], env },
  );
  const exited = once(child, "exit");
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const url = line.trim();
  return {
    url,
    stats: async () => (await (await fetch(`${url}/_stats`)).json()) as SinkStats,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

const sections: string[] = [];
const printRow = (cells: string[]): void => console.log(row(cells));
/** A table for the report, printed as its rows come (so a long run shows progress). */
function section(title: string, header: string[], body: string[][]): void {
  if (body.length) sections.push(`### ${title}`, "", ...table(header, body), "");
}

async function main(sink: Sink): Promise<void> {
  /** Times one evsend run; checks that it sent requests, and gzip bodies exactly when asked. */
  const measureEvsend = async (
    [cmd, args]: [string, string[]],
    runEnv: NodeJS.ProcessEnv = env,
  ): Promise<Measured> => {
    const before = await sink.stats();
    const result = await measure(cmd, args, runEnv);
    const after = await sink.stats();
    if (args.includes("--help")) return result;
    if (after.requests === before.requests) throw new Error(`${args.join(" ")}: no request`);
    const gzipped = after.gzipRequests > before.gzipRequests;
    if (gzipped !== args.includes("--gzip"))
      throw new Error(`${args.join(" ")}: gzip bodies ${gzipped ? "sent" : "not sent"}`);
    return result;
  };
  const evsend = (...args: string[]): [string, string[]] => [node, [bin, ...args]];
  const devoFile = (file: string, ...extra: string[]): [string, string[]] =>
    evsend(
      "devo",
      "file",
      file,
      "--endpoint",
      sink.url,
      "--domain",
      "bench",
      "--tag",
      "my.app.bench",
      "--host",
      "h",
      ...extra,
    );
  const stream = `${sink.url}/stream/bench/token!${DEVO_TOKEN}/h/my.app.bench`;

  if (wanted("startup")) {
    const pairs = startupPairs(node, root, sink.url, env, home.home);
    section(
      "Start-up",
      PAIR_HEADER,
      await comparePairs(pairs, startupRuns, env, measureEvsend, printRow),
    );
  }

  const big = `${dir}/lines-${mb}m.log`;
  const huge = `${dir}/lines-${mb * 4}m.log`;
  if (wanted("devo") || wanted("devo-rss") || wanted("sweep") || process.env.BENCH_SWEEP) {
    await logLines(big, mb * 1024 * 1024);
    await logLines(huge, mb * 4 * 1024 * 1024);
  }
  if (wanted("devo")) {
    const nodePost = `const http=require("http"),fs=require("fs");const r=http.request(process.argv[1],{method:"POST"},s=>{s.resume()});fs.createReadStream(process.argv[2]).pipe(r)`;
    const pairs: Pair[] = [];
    if (hasCurl) {
      const curl = (file: string): [string, string[]] => [
        "curl",
        ["-sS", "--fail", "-X", "POST", "--data-binary", `@${file}`, stream],
      ];
      pairs.push(
        {
          name: `devo file (${mb} MB)`,
          ours: devoFile(big),
          base: curl(big),
          baseName: "curl --data-binary",
          goal: "≤ 1.5",
        },
        // At 4× the size start-up matters less: this row is the cost per byte.
        {
          name: `devo file (${mb * 4} MB)`,
          ours: devoFile(huge),
          base: curl(huge),
          baseName: "curl --data-binary",
          goal: "≤ 1.0",
        },
        {
          name: `devo file --gzip (${mb} MB)`,
          ours: devoFile(big, "--gzip"),
          base: [
            "sh",
            [
              "-c",
              `gzip -6 -c '${big}' | curl -sS --fail -H 'Content-Encoding: gzip' --data-binary @- '${stream}'`,
            ],
          ],
          baseName: "gzip -6 | curl",
          goal: "≤ 0.5",
        },
      );
    }
    pairs.push({
      name: `devo file (${mb} MB)`,
      ours: devoFile(big),
      base: [node, ["-e", nodePost, stream, big]],
      baseName: "plain node stream POST",
      goal: "—",
    });
    section(
      "devo file",
      PAIR_HEADER,
      await comparePairs(pairs, runs, env, measureEvsend, printRow),
    );
  }

  if (wanted("devo-rss")) {
    const memory: string[][] = [];
    for (const [label, file] of [
      [`${mb} MB`, big],
      [`${mb * 4} MB`, huge],
    ] as const) {
      const plain = await measureEvsend(devoFile(file));
      const gz = await measureEvsend(devoFile(file, "--gzip"));
      const curlRss = hasCurl
        ? formatRss(
            (
              await measure(
                "curl",
                ["-sS", "--fail", "-X", "POST", "--data-binary", `@${file}`, stream],
                env,
              )
            ).rssMb,
          )
        : "—";
      memory.push([label, formatRss(plain.rssMb), formatRss(gz.rssMb), curlRss]);
      printRow(memory.at(-1)!);
    }
    section("devo file peak RSS", ["file", "evsend", "with --gzip", "curl"], memory);
  }

  const databoom = (file: string): [string, string[]] =>
    evsend("databoom", "history", "--url", `${sink.url}/v1`, "--device", "bench", file);
  const csv = `${dir}/rows-${rows}.csv`;
  if (wanted("databoom") || wanted("databoom-rss")) await csvRows(csv, rows);
  if (wanted("databoom")) {
    const baseline = fileURLToPath(new URL("databoom-baseline.mjs", import.meta.url));
    const pairs: Pair[] = [
      {
        name: `databoom history (${rows.toLocaleString("en")} rows)`,
        ours: databoom(csv),
        base: [node, [baseline, `${sink.url}/v1`, "bench", csv]],
        baseName: "csv-parse + node:http, 5,000 points a request",
        goal: "≤ 1.0, ≤ 120 MB",
      },
    ];
    section(
      "databoom history",
      PAIR_HEADER,
      await comparePairs(pairs, runs, env, measureEvsend, printRow),
    );
  }
  if (wanted("databoom-rss")) {
    const memory: string[][] = [];
    for (const n of [rows, bigRows]) {
      const file = await csvRows(`${dir}/rows-${n}.csv`, n);
      const measured = await measureEvsend(databoom(file));
      memory.push([
        `${n.toLocaleString("en")} rows`,
        `${(measured.ms / 1000).toFixed(1)} s`,
        `${measured.rssMb.toFixed(0)} MB`,
      ]);
      printRow(memory.at(-1)!);
    }
    section("databoom history peak RSS (one run each)", ["input", "time", "peak RSS"], memory);
  }

  const eventhos = (file: string, concurrency: number): [string, string[]] =>
    evsend(
      "eventhos",
      "send",
      "--url",
      sink.url,
      "--event",
      "bench",
      "--concurrency",
      String(concurrency),
      "--ndjson",
      file,
    );
  const guance = (file: string): [string, string[]] =>
    evsend(
      "guance",
      "push",
      "--url",
      sink.url,
      "--sub-uri",
      "bench",
      "--rate",
      "100000000",
      "--ndjson",
      file,
    );
  const eventhosUrl = `${sink.url}/event/send?event-identifier=bench`;
  const guanceUrl = `${sink.url}/api/v1/push-events/bench`;
  const ndjson = `${dir}/events-${events}.ndjson`;
  if (wanted("ndjson") || wanted("ndjson-rss")) await ndjsonEvents(ndjson, events);
  if (wanted("ndjson")) {
    const baseline = fileURLToPath(new URL("ndjson-baseline.mjs", import.meta.url));
    const pairs: Pair[] = [
      {
        name: "eventhos send --ndjson --concurrency 4",
        ours: eventhos(ndjson, 4),
        base: [node, [baseline, eventhosUrl, ndjson, "4"]],
        baseName: "node:http, 4 in flight",
        goal: "—",
        events,
      },
      // guance push --ndjson sends one at a time (Guance's rate limit, not parallelism, bounds it).
      {
        name: "guance push --ndjson (one at a time)",
        ours: guance(ndjson),
        base: [node, [baseline, guanceUrl, ndjson, "1"]],
        baseName: "node:http, 1 in flight",
        goal: "—",
        events,
      },
    ];
    section(
      `NDJSON, ${events.toLocaleString("en")} events`,
      PAIR_HEADER,
      await comparePairs(pairs, runs, env, measureEvsend, printRow),
    );
  }
  if (wanted("ndjson-rss")) {
    const memory: string[][] = [];
    for (const n of [events, rssEvents]) {
      const file = await ndjsonEvents(`${dir}/events-${n}.ndjson`, n);
      for (const [name, command] of [
        ["eventhos --concurrency 4", eventhos(file, 4)],
        ["guance", guance(file)],
      ] as const) {
        const measured = await measureEvsend(command);
        memory.push([
          name,
          `${n.toLocaleString("en")} lines`,
          `${Math.round(n / (measured.ms / 1000)).toLocaleString("en")}/s`,
          `${measured.rssMb.toFixed(0)} MB`,
        ]);
        printRow(memory.at(-1)!);
      }
    }
    section("NDJSON peak RSS (one run each)", ["command", "input", "events/s", "peak RSS"], memory);
  }

  // BENCH_ONLY=sweep (or BENCH_SWEEP=1 with the others): the measurements behind the defaults of
  // --batch-size and --concurrency.
  if (only?.includes("sweep") || process.env.BENCH_SWEEP) {
    const sweep: string[][] = [];
    for (const gzip of [false, true]) {
      for (const size of ["1m", "4m", "8m"]) {
        for (const concurrency of ["1", "2", "4", "8"]) {
          const extra = [
            "--batch-size",
            size,
            "--concurrency",
            concurrency,
            ...(gzip ? ["--gzip"] : []),
          ];
          const times: number[] = [];
          for (let i = 0; i < runs; i++)
            times.push((await measureEvsend(devoFile(big, ...extra))).ms);
          sweep.push([
            gzip ? "gzip" : "plain",
            size,
            concurrency,
            `${(median(times) / 1000).toFixed(2)} s`,
          ]);
          printRow(sweep.at(-1)!);
        }
      }
    }
    section("devo file sweep", ["body", "--batch-size", "--concurrency", "time"], sweep);
  }
}

try {
  const sink = await startSink();
  try {
    await main(sink);
  } finally {
    await sink.stop();
  }
} finally {
  await home.cleanup();
}

const report = [
  `## Benchmark (${new Date().toISOString().slice(0, 10)}, node ${nodeVersion}, ${process.env.BENCH_ONLY ? `BENCH_ONLY=${process.env.BENCH_ONLY}, ` : ""}alternating runs, median of ${startupRuns} for start-up and ${runs} otherwise; loopback sink in its own process${extraCa ? `; NODE_EXTRA_CA_CERTS=${extraCa}` : ""})`,
  "",
  ...sections,
].join("\n");
await writeFile(`${dir}/results.md`, report);
console.log(`\n${report}`);
