import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkSecretDestination,
  type DestinationOptions,
} from "../../src/config/secret-destination.js";
import type { ServiceSpec } from "../../src/config/types.js";
import { ConfigError, ExitCode } from "../../src/errors.js";
import { devoSpec } from "../../src/services/devo/spec.js";
import { eventhosSpec } from "../../src/services/eventhos/spec.js";
import { guanceSpec } from "../../src/services/guance/spec.js";

const FILE = "/home/me/src/repo/package.json";
const PASTED = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

/** Runs the check for every secret field of `spec`; the error message, or undefined when allowed. */
function check(
  spec: ServiceSpec,
  layers: Partial<DestinationOptions>,
  origin: DestinationOptions["configOrigin"] = "project",
): string | undefined {
  try {
    checkSecretDestination(
      spec,
      spec.fields.filter((f) => f.secret),
      {
        flags: {},
        env: {},
        section: {},
        profileName: "ci",
        configPath: FILE,
        configOrigin: origin,
        homedir: "/home/me",
        ...layers,
      },
    );
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.exitCode, ExitCode.config);
    return error.message;
  }
}

const refusal = (what: string, from: string, key: string): RegExp =>
  new RegExp(
    `^refusing to send the ${what} from ${from.replace(/[$.{}]/g, "\\$&")} to the endpoint set by ${key.replace(".", "\\.")} in profile "ci" in ${FILE}`,
  );

describe("checkSecretDestination", () => {
  it("a project endpoint with the user's secret is refused; with its own literal it is not", () => {
    const section = { endpoint: "https://collector.example", token: { env: "T" } };
    assert.match(
      check(devoSpec, { section }) ?? "",
      refusal("Devo token", "devo.token's { env: $T }", "devo.endpoint"),
    );
    assert.equal(check(devoSpec, { section: { ...section, token: "literal" } }), undefined);
    // Its own file, or one named with --config, is the user's: nothing to refuse.
    assert.equal(check(devoSpec, { section }, "user"), undefined);
    assert.equal(check(devoSpec, { section }, "explicit"), undefined);
  });

  it("the endpoint that wins decides: a default, a variable or a flag is the user's", () => {
    const env = { EVSEND_DEVO_TOKEN: "t" };
    assert.equal(check(devoSpec, { env, section: { domain: "d" } }), undefined);
    assert.equal(check(devoSpec, { env, defaults: { endpoint: () => "us" } }), undefined);
    const section = { endpoint: "https://collector.example" };
    assert.equal(
      check(devoSpec, { env: { ...env, EVSEND_DEVO_ENDPOINT: "eu" }, section }),
      undefined,
    );
    assert.equal(check(devoSpec, { env, flags: { endpoint: "eu" }, section }), undefined);
    assert.match(
      check(devoSpec, { flags: { token: "/tmp/t" }, section }) ?? "",
      refusal("Devo token", "--token-file", "devo.endpoint"),
    );
  });

  it("Guance: a site or a URL from the project; the URL's own secret is the file's, an API key is not", () => {
    const env = { EVSEND_GUANCE_SECRET: "s" };
    assert.match(
      check(guanceSpec, { env, section: { site: "us1" } }) ?? "",
      refusal("Guance secret", "$EVSEND_GUANCE_SECRET", "guance.site"),
    );
    // A URL from the environment wins over the project's site: the host is the user's.
    assert.equal(
      check(guanceSpec, {
        env: { ...env, EVSEND_GUANCE_URL: "https://x" },
        section: { site: "us1" },
      }),
      undefined,
    );
    const webhook = { url: "https://example/api/v1/push-events/abc/datakit/push" };
    assert.equal(check(guanceSpec, { section: webhook }), undefined);
    assert.match(
      check(guanceSpec, { env: { EVSEND_GUANCE_API_KEY: "k" }, section: webhook }) ?? "",
      refusal("Guance apiKey", "$EVSEND_GUANCE_API_KEY", "guance.url"),
    );
  });

  it("Eventhos: an access key is checked as the client secret is", () => {
    const section = { url: "https://eventhos.example", accessKey: { file: "~/.key" } };
    assert.match(
      check(eventhosSpec, { section }) ?? "",
      refusal("Eventhos accessKey", "eventhos.accessKey's { file: ~/.key }", "eventhos.url"),
    );
  });

  it("a { command } is left to the rule that refuses it; a pasted secret is never echoed", () => {
    const endpoint = "https://collector.example";
    assert.equal(
      check(devoSpec, { section: { endpoint, token: { command: "pass devo" } } }),
      undefined,
    );
    const message = check(devoSpec, { section: { endpoint, token: { env: PASTED } } }) ?? "";
    assert.match(message, /devo\.token's \{ env: \(not shown\) \}/);
    assert.ok(!message.includes(PASTED));
  });

  it("the hint says how to accept the endpoint: pass it, move the profile, or name the file", () => {
    try {
      checkSecretDestination(devoSpec, devoSpec.fields, {
        flags: {},
        env: { EVSEND_DEVO_TOKEN: "t", XDG_CONFIG_HOME: "/home/me/.config" },
        section: { endpoint: "https://collector.example" },
        profileName: "ci",
        configPath: FILE,
        configOrigin: "project",
        homedir: "/home/me",
      });
      assert.fail("not refused");
    } catch (error) {
      assert.equal(
        (error as ConfigError).hint,
        `if you trust that endpoint, pass it yourself (--endpoint or EVSEND_DEVO_ENDPOINT), move the profile to /home/me/.config/evsend/config.yaml, or name the file with --config ${FILE} (or EVSEND_CONFIG), which makes it yours`,
      );
    }
  });
});
