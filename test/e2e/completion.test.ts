import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { COMPLETION_FILES, generatedFiles, ROOT } from "../helpers/generated.js";
import { useTempHome } from "../helpers/scoped.js";
import { BIN, runEvsend } from "../helpers/spawn.js";

const run = promisify(execFile);
const FIXTURES = join(ROOT, "test", "fixtures", "completion");

describe("completion scripts", () => {
  it("completions/ holds what the command tree generates", async () => {
    for (const [path, text] of Object.entries(await generatedFiles("completions"))) {
      const kept = await readFile(join(ROOT, path), "utf8").catch(() => "(missing)");
      assert.ok(kept === text, `${path} is out of date: run npm run completions`);
    }
  });

  const home = useTempHome();
  /** A directory with `evsend` in it (the built bin), for the PATH the shells run with. */
  let env: NodeJS.ProcessEnv;
  it("set up: a config with two profiles, another with one, files to complete", async () => {
    await home.writeConfig("profiles:\n  prod: {}\n  local: {}\n");
    await writeFile(join(home.home, "other.yaml"), "profiles:\n  staging: {}\n");
    await writeFile(join(home.home, "app.log"), "x\n");
    await mkdir(join(home.home, "bin"));
    await symlink(BIN, join(home.home, "bin", "evsend"));
    env = { ...home.env, PATH: `${join(home.home, "bin")}:${home.env.PATH ?? ""}` };
  });

  /** What each shell offers for `line` (the cursor at its end), sorted. */
  const shells = {
    async bash(line: string): Promise<string[]> {
      const words = line.split(" ");
      const script = [
        `source ${JSON.stringify(join(ROOT, COMPLETION_FILES.bash))}`,
        // The function `complete -p evsend` names, as bash would call it.
        'fn=$(complete -p evsend | sed -E "s/.*-F ([^ ]+).*/\\1/")',
        'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}',
        '"$fn"; printf "%s\\n" "${COMPREPLY[@]}"',
      ].join("\n");
      const { stdout } = await run("bash", ["--norc", "-c", script, "_", ...words], {
        env,
        cwd: home.home,
      });
      return lines(stdout);
    },
    async zsh(line: string): Promise<string[]> {
      const { stdout } = await run("zsh", ["-f", join(FIXTURES, "zsh-capture.zsh"), line], {
        env: {
          ...env,
          EVSEND_ZSH_SCRIPT: join(ROOT, COMPLETION_FILES.zsh),
          EVSEND_ZSH_INIT: join(FIXTURES, "zsh-init.zsh"),
        },
        cwd: home.home,
        timeout: 20_000,
      });
      return lines(stdout);
    },
    async fish(line: string): Promise<string[]> {
      const script = `source ${JSON.stringify(join(ROOT, COMPLETION_FILES.fish))}; complete -C ${fishQuote(line)}`;
      const { stdout } = await run("fish", ["--no-config", "-c", script], {
        env,
        cwd: home.home,
      });
      // fish prints `candidate<TAB>description`.
      return lines(stdout).map((l) => l.split("\t")[0]!);
    },
  };

  for (const [shell, complete] of Object.entries(shells)) {
    describe(shell, () => {
      it("completes commands, subcommands and options", async () => {
        assert.deepEqual(await complete("evsend d"), ["databoom", "devo"]);
        assert.deepEqual(await complete("evsend devo "), ["file", "help", "send"]);
        assert.deepEqual(await complete("evsend -q devo s"), ["send"]);
        assert.deepEqual(await complete("evsend devo send --me"), ["--method"]);
        assert.deepEqual(await complete("evsend completion "), ["bash", "fish", "zsh"]);
      });

      it("completes fixed values from the field specs and the options' choices", async () => {
        assert.deepEqual(await complete("evsend devo send --method "), ["get", "post"]);
        assert.deepEqual(await complete("evsend devo file --endpoint u"), ["us", "us3"]);
        assert.deepEqual(await complete("evsend guance push --site truewatch-e"), [
          "truewatch-eu1",
        ]);
        assert.deepEqual(await complete("evsend guance push --status c"), ["critical"]);
        assert.deepEqual(await complete("evsend databoom history --format "), ["csv", "ndjson"]);
      });

      it("lists the profiles of the config file in use for --profile", async () => {
        assert.deepEqual(await complete("evsend --profile "), ["local", "prod"]);
        assert.deepEqual(await complete("evsend -c other.yaml devo send -p "), ["staging"]);
      });

      it("completes paths for file operands and file options", async () => {
        assert.deepEqual(await complete("evsend devo file ap"), ["app.log"]);
        assert.deepEqual(await complete("evsend devo send --token-file ap"), ["app.log"]);
        assert.deepEqual(await complete("evsend eventhos send --ndjson app.log ot"), [
          "other.yaml",
        ]);
        // A message is free text: no paths.
        assert.deepEqual(await complete("evsend devo send ap"), []);
      });
    });
  }

  it("evsend completion <shell> prints the script, also with --quiet", async () => {
    for (const shell of ["bash", "zsh", "fish"] as const) {
      const result = await runEvsend(["-q", "completion", shell], { env: home.env });
      assert.equal(result.code, 0, result.stderr);
      const kept = await readFile(join(ROOT, COMPLETION_FILES[shell]), "utf8");
      assert.equal(result.stdout, kept);
    }
    const bad = await runEvsend(["completion", "tcsh"], { env: home.env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bash, zsh, fish/);
  });
});

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .sort();
}

function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
