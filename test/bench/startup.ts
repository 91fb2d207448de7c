// The start-up comparisons of `npm run bench`: a one-off evsend against the cheapest Node program
// that does the same, so the ratio shows what evsend adds to starting Node itself.
import type { Pair } from "./measure.js";

/**
 * `evsend devo send hello` to the loopback sink against a plain `node:http` script that sends one
 * GET to the same sink and exits; `evsend --help` against `node -e ''`. The token comes from the
 * environment (EVSEND_DEVO_TOKEN), as a user's would.
 */
export function startupPairs(bin: string, sinkUrl: string): Pair[] {
  const url = `${sinkUrl}/event/bench/token/h/my.app.bench?hello`;
  const oneGet = `require("node:http").get(process.argv[1], (res) => res.resume())`;
  return [
    {
      name: "devo send hello (loopback)",
      ours: [
        process.execPath,
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
      ],
      base: [process.execPath, ["-e", oneGet, url]],
      baseName: "node:http one-off GET script",
      goal: "≤ 1.5",
    },
    {
      name: "--help",
      ours: [process.execPath, [bin, "--help"]],
      base: [process.execPath, ["-e", ""]],
      baseName: "node -e ''",
      goal: "≤ 1.3",
    },
  ];
}
