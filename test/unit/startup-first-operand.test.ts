import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstOperand } from "../../src/cli/first-operand.js";
import { services } from "../../src/services/index.js";
import { programTree as program } from "../helpers/runtime.js";

describe("firstOperand (which service a run names, before parsing)", () => {
  const root = program();
  const cases: Array<[string[], string | undefined]> = [
    [["devo", "send", "hi"], "devo"],
    [["-p", "devo", "guance", "push"], "guance"],
    [["--profile", "devo", "guance"], "guance"],
    [["--profile=devo", "guance"], "guance"],
    [["-qp", "devo", "guance"], "guance"],
    [["-qpdevo", "guance"], "guance"],
    [["-vn", "--json", "devo", "file", "-"], "devo"],
    [["--timeout", "5s", "--retries", "0", "--ca-file", "x.pem", "devo"], "devo"],
    [["-c", "devo", "--no-color", "eventhos"], "eventhos"],
    [["--", "devo"], "devo"],
    [["--help"], undefined],
    [["-h", "devo"], undefined],
    [["--verbos", "devo"], undefined],
    [["-x", "devo"], undefined],
    [[], undefined],
    [["-p", "prod"], undefined],
  ];
  for (const [args, expected] of cases) {
    it(`${JSON.stringify(args)} → ${expected ?? "undefined"}`, () => {
      assert.equal(firstOperand(root, args), expected);
    });
  }
});

describe("createProgram registers only the service a run names", () => {
  const names = (argv: string[]): string[] =>
    program(argv)
      .commands.map((c) => c.name())
      .filter((name) => services.some((s) => s.spec.name === name));
  const all = services.map((s) => s.spec.name);

  it("one service when the command line names it", () => {
    assert.deepEqual(names(["-p", "prod", "devo", "send", "hi"]), ["devo"]);
  });
  it("every service for root help, an unknown command or `help`", () => {
    assert.deepEqual(names(["--help"]), all);
    assert.deepEqual(names(["dveo", "send"]), all);
    assert.deepEqual(names(["help", "devo"]), all);
    assert.deepEqual(names(["emulate"]), all);
  });
  it("the root help is the same when only its listing is built (config, emulate, completion too)", () => {
    const listed = program(["--help"]);
    assert.deepEqual(
      listed.commands.find((c) => c.name() === "emulate")?.options,
      [],
      "--help builds no command's options",
    );
    assert.equal(listed.helpInformation(), program(["help"]).helpInformation());
  });
});
