import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ndjson, runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

describe("a first run learns every missing setting at once (exit 3)", () => {
  const home = useTempHome();

  it("devo send with nothing configured: domain, tag and token in one error", async () => {
    const r = await runEvsend(["devo", "send", "hi"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stderr.split("\n");
    assert.deepEqual(lines.slice(0, 4), [
      "error: missing 3 Devo settings, domain, tag and token:",
      "  domain: set --domain, EVSEND_DEVO_DOMAIN or devo.domain in a profile",
      "  tag: set --tag, EVSEND_DEVO_TAG or devo.tag in a profile",
      "  token: set --token-file, EVSEND_DEVO_TOKEN or devo.token in a profile",
    ]);
    assert.match(
      lines[4] ?? "",
      /^hint: in a profile, devo\.token can be .*; no profile is in use/,
    );
  });

  it("only the ones missing: a tag from the environment is not named", async () => {
    const r = await runEvsend(["--json", "devo", "file", "-"], {
      env: { ...home.env, EVSEND_DEVO_TAG: "my.app.x" },
      stdin: "a\n",
    });
    assert.equal(r.code, 3, r.stderr);
    const error = ndjson(r.stdout).at(-1)!;
    assert.equal(error.type, "error");
    assert.match(String(error.message), /^missing 2 Devo settings, domain and token:\n/);
    assert.doesNotMatch(String(error.message), /tag/);
  });

  it("eventhos send: url, event and credentials in one error", async () => {
    const r = await runEvsend(["eventhos", "send", "{}"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: missing 3 Eventhos settings, url, event and credentials:\n/);
    assert.match(
      r.stderr,
      /^ {2}url: set --url, EVSEND_EVENTHOS_URL or eventhos\.url in a profile$/m,
    );
    assert.match(r.stderr, /^ {2}event: set --event, EVSEND_EVENTHOS_EVENT or eventhos\.event/m);
    assert.match(r.stderr, /^ {2}credentials: set an access key \(--access-key-file/m);
    assert.match(r.stderr, /^hint: Eventhos is self-hosted/m);
  });

  it("guance push: site or URL, subUri and secret in one error", async () => {
    const r = await runEvsend(["guance", "push", "--title", "t", "--status", "info"], {
      env: home.env,
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: missing 3 Guance settings, site or URL, subUri and secret:\n/);
    assert.match(r.stderr, /^ {2}site or URL: set --site or --url, EVSEND_GUANCE_SITE/m);
    assert.match(r.stderr, /^ {2}subUri: set --sub-uri, EVSEND_GUANCE_SUB_URI or guance\.subUri/m);
    assert.match(r.stderr, /^hint: sites: /m);
  });

  it("--dry-run needs no secret: only the others are named", async () => {
    const r = await runEvsend(["-n", "databoom", "push", "t=1"], { env: home.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^error: missing Databoom device: set --device/);
  });
});
