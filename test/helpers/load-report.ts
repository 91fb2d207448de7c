// What a spawned Node process loaded, written at its exit by a `--require` preload: the Node
// built-ins (`process.moduleLoadList`) and the files (`require.cache`). The preload loads nothing
// itself: node:fs is loaded by every Node before any user code.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LoadReport {
  /** Names of the JavaScript built-ins loaded (`NativeModule <name>`), internal ones included. */
  builtins: Set<string>;
  /** Absolute paths of the CommonJS files loaded. */
  files: string[];
}

export interface LoadRecorder {
  /** Give these to node, before the script. */
  nodeArgs: string[];
  /** What the last process run with `nodeArgs` loaded (each run replaces the report). */
  read(): Promise<LoadReport>;
  cleanup(): Promise<void>;
}

export async function loadRecorder(): Promise<LoadRecorder> {
  const dir = await mkdtemp(join(tmpdir(), "evsend-loads-"));
  const report = join(dir, "report.json");
  const preload = join(dir, "preload.cjs");
  await writeFile(
    preload,
    `"use strict";
process.on("exit", () => {
  const report = { list: process.moduleLoadList, files: Object.keys(require.cache) };
  require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify(report));
});
`,
  );
  return {
    nodeArgs: ["--require", preload],
    async read() {
      const { list, files } = JSON.parse(await readFile(report, "utf8")) as {
        list: string[];
        files: string[];
      };
      await rm(report);
      const builtins = list.filter((entry) => entry.startsWith("NativeModule "));
      return { builtins: new Set(builtins.map((entry) => entry.slice(13))), files };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
