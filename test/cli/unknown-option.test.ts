import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EvsendCommand } from "../../src/cli/command.js";
import type { ServiceSpec } from "../../src/config/types.js";
import type { UsageError } from "../../src/errors.js";
import { optionName, secretAlternatives, similarNames } from "../../src/cli/unknown-option.js";
import { runInProcess } from "../helpers/run-cli.js";

const SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

function assertHidden(...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(SECRET), `value leaked in: ${text}`);
}

describe("unknown options never echo their value", () => {
  it("--json devo send --token=SECRET: stderr and the JSON error line name --token only", async () => {
    const r = await runInProcess(["--json", "devo", "send", `--token=${SECRET}`, "hi"]);
    assert.equal(r.code, 2);
    assertHidden(r.stdout, r.stderr);
    const error = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    assert.equal(error.type, "error");
    assert.equal(error.exitCode, 2);
    assert.match(String(error.message), /^unknown option '--token' \(its value is not shown\)/);
    // What to use instead comes from the spec: the secret flag, the variable, the profile field.
    assert.match(String(error.hint), /--token-file <path\|->/);
    assert.match(String(error.hint), /EVSEND_DEVO_TOKEN/);
    assert.match(String(error.hint), /devo\.token in a profile/);
  });

  const cases: Array<[string[], RegExp, RegExp]> = [
    [
      ["devo", "send", `--password=${SECRET}`],
      /^error: unknown option '--password'/,
      /EVSEND_DEVO_TOKEN/,
    ],
    [[`--api-key=${SECRET}`, "devo", "send"], /^error: unknown option '--api-key'/, /--token-file/],
    [
      [`--api-key=${SECRET}`, "guance", "push"],
      /^error: unknown option '--api-key'/,
      /--api-key-file <path\|->.*EVSEND_GUANCE_API_KEY/,
    ],
    [
      ["devo", "send", `--tag-x=${SECRET}`],
      /^error: unknown option '--tag-x' \(its value/,
      /did you mean --tag\?/,
    ],
    [
      ["devo", "file", `-Z${SECRET}`, "x"],
      /^error: unknown option '-Z' \(its value/,
      /evsend devo file --help/,
    ],
    [["devo", `--hots=${SECRET}`], /^error: unknown option '--hots'/, /evsend devo --help/],
  ];
  for (const [args, message, hint] of cases) {
    it(`${args.join(" ").replace(SECRET, "SECRET")} → exit 2, value hidden`, async () => {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, r.stderr);
      assertHidden(r.stdout, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr.split("\nhint: ")[1] ?? "", hint);
    });
  }

  it("did-you-mean is computed on the name alone", async () => {
    const r = await runInProcess(["devo", "send", `--domian=${SECRET}`]);
    assert.equal(
      r.stderr,
      "error: unknown option '--domian' (its value is not shown)\n" +
        "hint: did you mean --domain? run `evsend devo send --help` for the options\n",
    );
  });

  it("an unknown command that looks like a pasted value is not echoed", async () => {
    const r = await runInProcess(["devo", SECRET]);
    assert.equal(r.code, 2);
    assertHidden(r.stderr);
    const typo = await runInProcess(["devo", "sned"]);
    assert.match(
      typo.stderr,
      /^error: unknown command 'sned' for `evsend devo`\nhint: did you mean send\?/,
    );
  });

  const otherWords: Array<[string[], string]> = [
    [["guance", "send"], "evsend guance push"],
    [["databoom", "send"], "evsend databoom push"],
    [["devo", "push"], "evsend devo send"],
    [["eventhos", "push"], "evsend eventhos send"],
    [["devo", "history"], "evsend devo file"],
    [["databoom", "file"], "evsend databoom history"],
    [["eventhos", "file"], "evsend eventhos send --ndjson"],
    [["guance", "history"], "evsend guance push --ndjson"],
  ];
  for (const [args, meant] of otherWords) {
    it(`${args.join(" ")}: another service's word → did you mean \`${meant}\``, async () => {
      const r = await runInProcess([...args, "x"]);
      assert.equal(r.code, 2);
      const [message, hint] = r.stderr.split("\n");
      assert.equal(message, `error: unknown command '${args[1]}' for \`evsend ${args[0]}\``);
      assert.ok(
        hint?.startsWith(`hint: did you mean \`${meant}\`? Each service keeps its API's words`),
        hint,
      );
    });
  }

  it("excess arguments are counted, not quoted", async () => {
    const r = await runInProcess(["emulate", SECRET]);
    assert.equal(r.code, 2);
    assertHidden(r.stderr);
  });
});

describe("unknown-option helpers", () => {
  it("a commander message in an unexpected form still never shows the value", () => {
    const command = new EvsendCommand("evsend");
    assert.throws(
      () =>
        command.error(`error: unknown option '--token=${SECRET}' (something new)`, {
          code: "commander.unknownOption",
        }),
      (error: UsageError) =>
        error.message.startsWith("unknown option '--token'") && !error.message.includes(SECRET),
    );
  });

  it("optionName keeps the name only", () => {
    assert.deepEqual(optionName("--token=abc"), { name: "--token", hadValue: true });
    assert.deepEqual(optionName("--token"), { name: "--token", hadValue: false });
    assert.deepEqual(optionName("-tabc"), { name: "-t", hadValue: true });
    assert.deepEqual(optionName("-t"), { name: "-t", hadValue: false });
  });

  it("secretAlternatives follows the spec, not a fixed list", () => {
    const spec: ServiceSpec = {
      name: "eventhos",
      title: "Eventhos",
      fields: [
        { key: "url", type: "string", description: "u" },
        {
          key: "clientSecret",
          type: "string",
          secret: true,
          flag: "--client-secret-file",
          description: "s",
        },
        { key: "apiKey", type: "string", secret: true, flag: "--api-key-file", description: "k" },
      ],
    };
    assert.deepEqual(secretAlternatives("--client-secret", [spec]), [
      "--client-secret-file <path|-> (- reads stdin), EVSEND_EVENTHOS_CLIENT_SECRET or eventhos.clientSecret in a profile",
    ]);
    assert.equal(secretAlternatives("--password", [spec]).length, 2);
  });

  it("similarNames: close names only", () => {
    assert.deepEqual(similarNames("--hots", ["--host", "--tag", "--json"]), ["--host"]);
    assert.deepEqual(similarNames("--zzzzzz", ["--host", "--tag"]), []);
  });
});
