// The README's examples that talk to the emulator run here, so they cannot rot. Convention
// (README › Development): a fenced `sh` block right after `<!-- test: emulator -->` is run with
// `sh -e` in a temporary HOME and directory, `evsend` on the PATH, against an emulator started on
// a free port; every `127.0.0.1:4780` (the documented default port) is rewritten to that port.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { spawnEmulator, type EmulatorProcess } from "../helpers/emulator.js";
import { BIN } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

const README = fileURLToPath(new URL("../../README.md", import.meta.url));
const MARKER = "<!-- test: emulator -->";
const DOCUMENTED = "127.0.0.1:4780";

/** A marked block: its text and the README line its fence opens on. */
interface Example {
  line: number;
  script: string;
}

/** The ```sh blocks that directly follow the marker (blank lines between are allowed). */
function extractExamples(markdown: string): Example[] {
  const lines = markdown.split("\n");
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== MARKER) continue;
    let open = i + 1;
    while (open < lines.length && lines[open]!.trim() === "") open++;
    if (lines[open]?.trim() !== "```sh")
      throw new Error(`README:${i + 1}: no \`\`\`sh block after ${MARKER}`);
    const close = lines.findIndex((l, j) => j > open && l.trim() === "```");
    if (close === -1) throw new Error(`README:${open + 1}: the sh block is never closed`);
    examples.push({ line: open + 1, script: lines.slice(open + 1, close).join("\n") + "\n" });
  }
  return examples;
}

function runShell(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-e", "-x", "-c", script], { env, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("extracting the marked examples", () => {
  it("takes the sh block right after each marker, and only those", () => {
    const text = [
      "```sh\nnot marked\n```",
      MARKER,
      "",
      "```sh\nevsend devo send a\ncurl b\n```",
      MARKER,
      "```sh\none\n```",
    ].join("\n");
    assert.deepEqual(
      extractExamples(text).map((e) => e.script),
      ["evsend devo send a\ncurl b\n", "one\n"],
    );
  });

  it("a marker not followed by an sh block is an error, not a skipped example", () => {
    assert.throws(() => extractExamples(`${MARKER}\n\ntext\n`), /no ```sh block/);
    assert.throws(() => extractExamples(`${MARKER}\n\`\`\`sh\necho\n`), /never closed/);
  });
});

describe("README examples against the emulator", () => {
  const examples = extractExamples(readFileSync(README, "utf8"));
  const home = useTempHome();
  let emulator: EmulatorProcess;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const bin = join(home.home, "bin");
    await mkdir(bin);
    // `evsend` as the README's reader has it: a command on the PATH.
    await writeFile(join(bin, "evsend"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
    await chmod(join(bin, "evsend"), 0o755);
    env = { ...home.env, PATH: `${bin}:${home.env.PATH ?? "/usr/bin:/bin"}` };
    emulator = await spawnEmulator(home.env);
  });
  after(async () => {
    assert.equal(await emulator.stop(), 130);
  });

  it("the README marks at least one example", () => {
    assert.ok(examples.length >= 1, `no block after ${MARKER} in README.md`);
  });

  for (const [index, example] of examples.entries()) {
    it(`example ${index + 1} (README.md:${example.line}) exits 0 and reaches the emulator`, async () => {
      const port = new URL(emulator.url).port;
      const script = example.script.replaceAll(DOCUMENTED, `127.0.0.1:${port}`);
      const printedBefore = emulator.stdout.length;
      const r = await runShell(script, env, home.home);
      assert.equal(r.code, 0, `README.md:${example.line}\n${r.stderr}`);
      // An example that makes evsend warn teaches the reader a bad habit.
      assert.doesNotMatch(r.stderr, /^warning:/m, `README.md:${example.line}`);
      // The emulator prints each event it got; the block must have sent at least one.
      await emulator.waitForLine((_, i) => i >= printedBefore, 5000);
    });
  }
});
