import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import type { Context } from "../../src/context.js";
import { fieldOption, passedFieldFlags } from "../../src/cli/field-option.js";
import { databoomSpec } from "../../src/services/databoom/spec.js";
import { devoSpec } from "../../src/services/devo/spec.js";

/** A context that only records stdin claims (all passedFieldFlags uses). */
function fakeContext(): { ctx: Context; claims: string[] } {
  const claims: string[] = [];
  return { ctx: { claimStdin: (what: string) => claims.push(what) } as unknown as Context, claims };
}

function databoomCommand(): Command {
  return new Command("push")
    .exitOverride()
    .addOption(fieldOption(databoomSpec, "device"))
    .addOption(fieldOption(databoomSpec, "url"))
    .addOption(fieldOption(databoomSpec, "token"));
}

describe("passedFieldFlags", () => {
  it("takes only the flags given, keyed by field (--token-file → token)", () => {
    const command = databoomCommand();
    command.parse(["--device", "dev-1", "--token-file", "t.txt"], { from: "user" });
    const { ctx, claims } = fakeContext();
    assert.deepEqual(passedFieldFlags(command, ctx, databoomSpec), {
      device: "dev-1",
      token: "t.txt",
    });
    assert.deepEqual(claims, []);
  });

  it("a secret flag given as - claims stdin at once", () => {
    const command = databoomCommand();
    command.parse(["--token-file", "-"], { from: "user" });
    const { ctx, claims } = fakeContext();
    assert.deepEqual(passedFieldFlags(command, ctx, databoomSpec), { token: "-" });
    assert.deepEqual(claims, ["--token-file -"]);
  });

  it("a default is not a passed flag; --no-x sets field x", () => {
    const command = new Command("file")
      .exitOverride()
      .addOption(fieldOption(devoSpec, "gzip"))
      .addOption(fieldOption(devoSpec, "gzip", { flags: "--no-gzip", description: "no gzip" }))
      .addOption(fieldOption(devoSpec, "tag").default("x.y"));
    command.parse(["--no-gzip"], { from: "user" });
    assert.deepEqual(passedFieldFlags(command, fakeContext().ctx, devoSpec), { gzip: false });
  });
});
