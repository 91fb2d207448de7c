// The start-up comparisons of `npm run bench`: a one-off evsend against the cheapest Node program
// that does the same, so the ratio shows what evsend adds to starting Node itself.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { Pair } from "./measure.js";

/**
 * `evsend devo send hello` to the loopback sink against a plain `node:http` script that sends one
 * request to the same sink and exits, and against a script that sends it through the undici
 * dispatcher evsend bundles (dist/vendor/undici.cjs, with the V8 flags evsend sets: the floor
 * with the chosen transport);
 * `evsend --help` against `node -e ''`. The same with a code cache that is empty on every run
 * (cold: the first run after an install or upgrade) next to the rows above, whose cache stays warm
 * across runs (bin/code-cache.js). The token comes
 * from the environment (EVSEND_DEVO_TOKEN), as a user's would. Cold caches are made in `scratch`.
 */
export function startupPairs(
  node: string,
  root: string,
  sinkUrl: string,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Pair[] {
  const bin = `${root}bin/evsend.js`;
  const url = `${sinkUrl}/event/bench/token/h/my.app.bench?hello`;
  const onePost = `const r=require("node:http").request(process.argv[1],{method:"POST"},(s)=>s.resume());r.end("hello")`;
  // Through the dispatcher evsend sends with when no proxy is set (an Agent, transport/client.ts),
  // with the V8 flags evsend sets for a send on Node 20 (bin/evsend.js): llhttp's WebAssembly
  // compiled once, by Liftoff. Node 22 and later need none.
  const undiciPost =
    `if(+process.versions.node.split(".")[0]<22)require("node:v8").setFlagsFromString("--liftoff-only --no-wasm-tier-up");` +
    `const {Agent}=require(process.argv[2]);const d=new Agent();` +
    `const u=new URL(process.argv[1]);d.request({origin:u.origin,path:u.pathname+u.search,method:"POST",body:"hello"})` +
    `.then((r)=>r.body.dump()).then(()=>d.close())`;
  const send: [string, string[]] = [
    node,
    [
      bin,
      "devo",
      "send",
      "--endpoint",
      sinkUrl,
      "--domain",
      "bench",
      "--tag",
      "my.app.bench",
    ].concat(["--host", "h", "hello"]),
  ];
  const help: [string, string[]] = [node, [bin, "--help"]];
  const pairs: Pair[] = [
    {
      name: "devo send hello (loopback)",
      ours: send,
      base: [node, ["-e", onePost, url]],
      baseName: "node:http one-off POST",
      goal: "≤ 1.5 (Node 24)",
    },
    {
      name: "devo send hello (loopback)",
      ours: send,
      base: [node, ["-e", undiciPost, url, `${root}dist/vendor/undici.cjs`]],
      baseName: "bundled undici one-off POST",
      goal: "≤ 1.25 (Node 20)",
    },
    {
      name: "--help",
      ours: help,
      base: [node, ["-e", ""]],
      baseName: "node -e ''",
      goal: "≤ 1.5",
    },
  ];
  // A fresh cache directory per run: what the first run after an install or upgrade pays.
  const cold = (): NodeJS.ProcessEnv => ({
    ...env,
    XDG_CACHE_HOME: mkdtempSync(join(scratch, "cache-")),
  });
  return pairs.concat(
    { ...pairs[0]!, name: "devo send hello, cold compile cache", oursEnv: cold, goal: "—" },
    { ...pairs[2]!, name: "--help, cold compile cache", oursEnv: cold, goal: "—" },
  );
}
