// `npm run bench`: one-off evsend runs against the cheapest Node program doing the same (start-up),
// and evsend devo file against curl and plain node, on the same loopback sink, in the same run,
// alternating, median of several runs; then peak RSS on 100 MB and 400 MB files.
// Results are printed as a Markdown table (ratios to the baseline) and written to .bench/results.md.
// Every process runs with a temporary HOME and none of the caller's EVSEND_*, proxy or TLS
// variables: the user's own config (a `gzip: true` profile, a ~/.curlrc) must not change what is
// measured. BENCH_MB=<n> sizes the files (default 100, and 4× that for a second timing against
// curl and the memory run).
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { tempHome } from "../helpers/spawn.js";
import { row, table } from "./markdown.js";
import { comparePairs, formatRss, measure, median, type Pair } from "./measure.js";
import { startupPairs } from "./startup.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.bench`;
const bin = `${root}bin/evsend.js`;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const mb = Number(process.env.BENCH_MB ?? 100);
const TOKEN = "BenchT0ken0000000000000000000000";

/** Deterministic pseudo-random lines of 100–300 bytes that look like access logs. */
async function generate(path: string, bytes: number): Promise<void> {
  if (existsSync(path) && statSync(path).size >= bytes) return;
  await mkdir(dir, { recursive: true });
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const paths = [
    "/api/orders",
    "/api/users/42",
    "/static/app.js",
    "/login",
    "/api/search?q=shoes&page=2",
  ];
  const agents = [
    "Mozilla/5.0 (X11; Linux x86_64)",
    "curl/8.5.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)",
  ];
  const out = createWriteStream(path);
  let written = 0;
  while (written < bytes) {
    let chunk = "";
    for (let i = 0; i < 5000; i++) {
      const pad = "x".repeat(rnd(120));
      const line =
        `2026-11-22T12:${String(rnd(60)).padStart(2, "0")}:${String(rnd(60)).padStart(2, "0")}.${rnd(1000)}Z ` +
        `10.0.${rnd(255)}.${rnd(255)} ${["GET", "POST"][rnd(2)]} ${paths[rnd(paths.length)]} ${[200, 201, 404, 500][rnd(4)]} ` +
        `${rnd(100000)} "${agents[rnd(agents.length)]}" req=${rnd(1e9).toString(16)} ${pad}\n`;
      chunk += line;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

interface SinkStats {
  requests: number;
  gzipRequests: number;
  bytes: number;
}

async function startSink(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stats(): Promise<SinkStats>; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("sink.ts", import.meta.url))],
    { stdio: ["ignore", "pipe", "inherit"], env },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const url = line.trim();
  return {
    url,
    stats: async () => (await (await fetch(`${url}/_stats`)).json()) as SinkStats,
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

function evsendArgs(url: string, file: string, extra: string[] = []): string[] {
  return [
    bin,
    "devo",
    "file",
    file,
    "--endpoint",
    url,
    "--domain",
    "bench",
    "--tag",
    "my.app.bench",
    "--host",
    "h",
    ...extra,
  ];
}

const home = await tempHome();
// BENCH_EXTRA_CA_CERTS=<pem>: every measured process (evsend and baselines alike) gets it as
// NODE_EXTRA_CA_CERTS, as on a machine that sets it: each Node process then reads it at start-up.
const extraCa = process.env.BENCH_EXTRA_CA_CERTS;
const env = {
  ...home.env,
  EVSEND_DEVO_TOKEN: TOKEN,
  CI: "true",
  ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}),
};
const hasCurl = spawnSync("curl", ["--version"], { env }).status === 0;

// Named by size, so a small run never reuses (and misreports) a bigger file.
const big = `${dir}/lines-${mb}m.log`;
const huge = `${dir}/lines-${mb * 4}m.log`;
await generate(big, mb * 1024 * 1024);
await generate(huge, mb * 4 * 1024 * 1024);
const sink = await startSink(env);

/** Times one evsend run and checks the sink got gzip bodies exactly when the run asked for them. */
async function measureEvsend(args: string[]): Promise<{ ms: number; rssMb: number | undefined }> {
  const before = (await sink.stats()).gzipRequests;
  const result = await measure(process.execPath, args, env);
  const gzipped = (await sink.stats()).gzipRequests > before;
  if (gzipped !== args.includes("--gzip")) {
    throw new Error(
      `evsend ${args.slice(1).join(" ")}: gzip bodies ${gzipped ? "sent" : "not sent"}`,
    );
  }
  return result;
}
const stream = `${sink.url}/stream/bench/token!${TOKEN}/h/my.app.bench`;
const nodeBaseline = `const http=require("http"),fs=require("fs");const r=http.request(process.argv[1],{method:"POST"},s=>{s.resume();s.on("end",()=>{})});fs.createReadStream(process.argv[2]).pipe(r)`;

const pairs: Pair[] = [];
if (hasCurl) {
  pairs.push({
    name: `devo file big.log (${mb} MiB)`,
    ours: [process.execPath, evsendArgs(sink.url, big)],
    base: ["curl", ["-sS", "--fail", "-X", "POST", "--data-binary", `@${big}`, stream]],
    baseName: "curl --data-binary",
    goal: "≤ 1.5",
  });
  // At 4× the size start-up matters less: this row is the cost per byte.
  pairs.push({
    name: `devo file huge.log (${mb * 4} MiB)`,
    ours: [process.execPath, evsendArgs(sink.url, huge)],
    base: ["curl", ["-sS", "--fail", "-X", "POST", "--data-binary", `@${huge}`, stream]],
    baseName: "curl --data-binary",
    goal: "≤ 1.0",
  });
  pairs.push({
    name: "devo file --gzip big.log",
    ours: [process.execPath, evsendArgs(sink.url, big, ["--gzip"])],
    base: [
      "sh",
      [
        "-c",
        `gzip -6 -c '${big}' | curl -sS --fail -H 'Content-Encoding: gzip' --data-binary @- '${stream}'`,
      ],
    ],
    baseName: "gzip -6 | curl",
    goal: "≤ 0.75",
  });
}
pairs.push({
  name: `devo file big.log (${mb} MiB)`,
  ours: [process.execPath, evsendArgs(sink.url, big)],
  base: [process.execPath, ["-e", nodeBaseline, stream, big]],
  baseName: "plain node stream POST",
  goal: "—",
});

const timeEvsend = async ([, args]: [string, string[]]): Promise<number> =>
  (await measureEvsend(args)).ms;
const printRow = (cells: string[]): void => console.log(row(cells));
// Start-up first: short runs, so more of them (BENCH_STARTUP_RUNS, default 21).
const startupRuns = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const startup = await comparePairs(
  startupPairs(bin, sink.url),
  startupRuns,
  env,
  timeEvsend,
  printRow,
);
const rows = await comparePairs(pairs, runs, env, timeEvsend, printRow);

// BENCH_SWEEP=1: the measurements behind the defaults of --batch-size and --concurrency.
const sweep: string[][] = [];
if (process.env.BENCH_SWEEP) {
  for (const gzip of [false, true]) {
    for (const size of ["1m", "4m", "8m"]) {
      for (const concurrency of ["1", "2", "4", "8"]) {
        const extra = ["--batch-size", size, "--concurrency", concurrency];
        if (gzip) extra.push("--gzip");
        const times: number[] = [];
        for (let i = 0; i < runs; i++)
          times.push((await measureEvsend(evsendArgs(sink.url, big, extra))).ms);
        sweep.push([
          gzip ? "gzip" : "plain",
          size,
          concurrency,
          `${(median(times) / 1000).toFixed(2)} s`,
        ]);
        console.log(row(sweep.at(-1)!));
      }
    }
  }
}

const memory: string[][] = [];
for (const [label, file] of [
  [`${mb} MiB`, big],
  [`${mb * 4} MiB`, huge],
] as const) {
  const plain = await measureEvsend(evsendArgs(sink.url, file));
  const gz = await measureEvsend(evsendArgs(sink.url, file, ["--gzip"]));
  let curlRss = "—";
  if (hasCurl)
    curlRss = formatRss(
      (
        await measure(
          "curl",
          ["-sS", "--fail", "-X", "POST", "--data-binary", `@${file}`, stream],
          env,
        )
      ).rssMb,
    );
  memory.push([label, formatRss(plain.rssMb), formatRss(gz.rssMb), curlRss]);
  console.log(row(memory.at(-1)!));
}
await sink.stop();
await home.cleanup();

const report = [
  `Benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, alternating runs, median of ${startupRuns} for start-up and ${runs} for files; loopback sink in its own process${extraCa ? `; NODE_EXTRA_CA_CERTS=${extraCa}` : ""})`,
  "",
  ...table(["evsend", "time", "baseline", "time", "ratio", "goal"], startup),
  "",
  ...table(["evsend", "time", "baseline", "time", "ratio", "goal"], rows),
  "",
  ...table(["file", "evsend peak RSS", "with --gzip", "curl peak RSS"], memory),
  "",
  ...(sweep.length ? [...table(["body", "--batch-size", "--concurrency", "time"], sweep), ""] : []),
].join("\n");
await writeFile(`${dir}/results.md`, report);
console.log(`\n${report}`);
