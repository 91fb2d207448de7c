import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { envName, flagName } from "../../src/config/precedence.js";
import { services } from "../../src/services/index.js";
import { runInProcess } from "../helpers/run-cli.js";
import { programTree } from "../helpers/runtime.js";

/** The program's command tree, built without running anything. */
function program(): Command {
  return programTree();
}

function walk(command: Command, path: string[] = []): Array<{ command: Command; path: string[] }> {
  return [{ command, path }, ...command.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

const commands = walk(program()).filter(({ path }) => path.at(-1) !== "help");

describe("help matches the code", () => {
  it("every option of a service field names its variable and profile field", () => {
    for (const service of services) {
      const { spec } = service;
      const seen = new Set<string>();
      for (const { command, path } of commands.filter(({ path }) => path[0] === spec.name)) {
        const help = command.createHelp();
        for (const option of command.options) {
          const field = spec.fields.find(
            (f) => option.long === flagName(f) || option.long === flagName(f, false),
          );
          if (!field) continue;
          seen.add(field.key);
          const text = help.optionDescription(option);
          const where = `${path.join(" ")} ${option.long}`;
          assert.ok(text.includes(envName(spec.name, field.key)), `${where}: ${text}`);
          assert.ok(text.includes(`profile ${spec.name}.${field.key}`), `${where}: ${text}`);
        }
      }
      const withFlag = spec.fields.filter((f) => f.flag).map((f) => f.key);
      assert.deepEqual([...seen].sort(), withFlag.sort(), `${spec.name}: fields without an option`);
    }
  });

  it("no option shows a default of [] and no description ends mid-sentence", () => {
    for (const { command, path } of commands) {
      const help = command.createHelp();
      for (const option of command.options) {
        const text = help.optionDescription(option);
        assert.ok(!text.includes("(default: [])"), `${path.join(" ")} ${option.long}: ${text}`);
        const sentence = text.replace(/\s*\([^()]*\)$/, "");
        assert.doesNotMatch(
          sentence,
          /\b(are|is|the|a|an|to|of|while|when|and|or)$/,
          `${path.join(" ")} ${option.long}: ${text}`,
        );
      }
    }
  });

  it("root help names only the services that exist, and shows examples", async () => {
    const r = await runInProcess(["--help"]);
    assert.equal(r.code, 0);
    for (const title of ["Devo", "Databoom", "Eventhos", "Guance"]) {
      const exists = services.some((s) => s.spec.title === title);
      assert.equal(r.stdout.includes(title), exists, `${title} in root help`);
    }
    assert.match(r.stdout, /\nExamples:\n {2}evsend /);
    // Once, after the command list (before the exit codes), not also after the options.
    assert.equal(r.stdout.split("Examples:").length, 2, r.stdout);
    assert.ok(r.stdout.indexOf("Commands:") < r.stdout.indexOf("Examples:"));
  });

  it("every command's help shows its examples once", async () => {
    for (const { path } of commands) {
      const r = await runInProcess([...path, "--help"]);
      assert.ok(r.stdout.split("Examples:").length <= 2, `${path.join(" ")}: ${r.stdout}`);
    }
  });

  it("devo help shows examples", async () => {
    const r = await runInProcess(["devo", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\nExamples:\n {2}evsend devo send /);
  });

  it("--version names evsend, node and the platform", async () => {
    const r = await runInProcess(["--version"]);
    const expected = `evsend 0.0.0-test (node ${process.version}, ${process.platform}-${process.arch})\n`;
    assert.deepEqual(r, { code: 0, stdout: expected, stderr: "" });
  });
});

describe("help at every level", () => {
  for (const { path } of commands) {
    it(`evsend help ${path.join(" ")} = evsend ${path.join(" ")} --help, exit 0`, async () => {
      const viaFlag = await runInProcess([...path, "--help"]);
      const viaHelp = await runInProcess(["help", ...path]);
      assert.equal(viaHelp.code, 0, viaHelp.stderr);
      assert.equal(viaHelp.stderr, "");
      assert.equal(viaHelp.stdout, viaFlag.stdout);
      assert.match(viaHelp.stdout, new RegExp(`^Usage: evsend ${path.join(" ")}`.trim()));
    });
  }

  it("each level's help entry gives an example of that level: e.g. help push under databoom", async () => {
    for (const service of services) {
      const r = await runInProcess([service.spec.name, "--help"]);
      const help = /^ {2}help \[command\.\.\.\] +show help for a command, e\.g\. help (\S+)$/m.exec(
        r.stdout,
      );
      const verbs = [...r.stdout.matchAll(/^ {2}([a-z]+) \[options\]/gm)].map((m) => m[1]);
      assert.ok(help && verbs.includes(help[1]), `${service.spec.name}: ${help?.[0]}`);
    }
    const root = await runInProcess(["--help"]);
    assert.match(root.stdout, /e\.g\. help devo send$/m);
  });

  it("a command list shows each command's usage as its own help does (<inputs...>)", async () => {
    for (const [service, verb] of [
      ["devo", "file"],
      ["databoom", "history"],
    ] as const) {
      if (!services.some((s) => s.spec.name === service)) continue;
      const list = await runInProcess([service, "--help"]);
      const own = await runInProcess([service, verb, "--help"]);
      const usage = new RegExp(`^Usage: evsend ${service} ${verb} (.+)$`, "m").exec(
        own.stdout,
      )?.[1];
      assert.equal(usage, "[options] <inputs...>");
      assert.match(list.stdout, new RegExp(`^ {2}${verb} \\[options\\] <inputs\\.\\.\\.>`, "m"));
    }
  });

  it("help help, at any level, is the help command's own help, exit 0", async () => {
    const root = await runInProcess(["help", "help"]);
    assert.equal(root.code, 0, root.stderr);
    assert.match(root.stdout, /^Usage: evsend help \[options\] \[command\.\.\.\]/);
    const below = await runInProcess(["devo", "help", "help"]);
    assert.equal(below.code, 0, below.stderr);
    assert.match(below.stdout, /^Usage: evsend devo help /);
    const path = await runInProcess(["help", "help", "devo"]);
    assert.equal(path.code, 2);
  });

  it("help below the root works too: evsend devo help send", async () => {
    const r = await runInProcess(["devo", "help", "send"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: evsend devo send /);
  });

  it("help for a command that does not exist → exit 2", async () => {
    const r = await runInProcess(["help", "devo", "nope"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      "error: no command 'nope' in `evsend devo`\nhint: the commands are send, file\n",
    );
  });

  it("a service without a verb points at its --help, exit 2, no help dump", async () => {
    const r = await runInProcess(["devo"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      "error: `evsend devo` needs a command: send, file\n" +
        "hint: run `evsend devo --help` for what each one does\n",
    );
  });
});

describe("what a run builds", () => {
  /** [service, whether its commands were built] for each service the program holds. */
  const names = (args: string[]) =>
    programTree(args)
      .commands.filter((c) => services.some((s) => s.spec.name === c.name()))
      .map((c) => [c.name(), c.commands.length > 0]);

  it("without an operand (root help), each service is its name and summary only", () => {
    const root = programTree(["--help"]);
    for (const service of services) {
      const command = root.commands.find((c) => c.name() === service.spec.name);
      assert.equal(command?.description(), service.summary);
      assert.equal(command?.commands.length, 0);
    }
  });

  it("a run that names a service builds its commands; anything else builds all", () => {
    assert.deepEqual(names(["-p", "x", "devo", "send"]), [["devo", true]]);
    const all = services.map((s) => [s.spec.name, true]);
    assert.deepEqual(names(["help", "devo"]), all);
    assert.deepEqual(names(["nosuch"]), all);
  });
});
