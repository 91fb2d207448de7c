import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runEvsend } from "../helpers/spawn.js";
import { useTempHome } from "../helpers/scoped.js";

// Nothing here reaches a server: each run fails on its input before sending (port 9 is unused).
describe("first-use messages say how to fix it", () => {
  const home = useTempHome();
  const eventhos = (): NodeJS.ProcessEnv => ({
    ...home.env,
    EVSEND_EVENTHOS_URL: "http://127.0.0.1:9",
    EVSEND_EVENTHOS_EVENT: "order-created",
    EVSEND_EVENTHOS_ACCESS_KEY: "made-up-access-key",
  });

  it('eventhos send {"order": 42} unquoted (two arguments): quote it, or --data-file', async () => {
    const r = await runEvsend(["eventhos", "send", "{order:", "42}"], { env: eventhos() });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: too many arguments for 'send'. Expected 1 argument but got 2.\n" +
        `hint: quote JSON on the command line ('{"order": 42}'): unquoted, the shell splits it at spaces and drops its quotes; or read it from a file with --data-file <path>; run \`evsend eventhos send --help\` for usage\n`,
    );
  });

  it("eventhos send order.json: did you mean --data-file order.json?", async () => {
    const r = await runEvsend(["eventhos", "send", "order.json"], { env: eventhos() });
    assert.equal(r.code, 5);
    assert.match(
      r.stderr,
      /^hint: did you mean --data-file order\.json\? The argument is the event's JSON itself; nothing was sent$/m,
    );
    const ndjson = await runEvsend(["eventhos", "send", "orders.ndjson"], { env: eventhos() });
    assert.match(ndjson.stderr, /^hint: did you mean --ndjson orders\.ndjson\?/m);
  });

  it("eventhos send --data-file nosuch.json: no such file, as everywhere", async () => {
    const r = await runEvsend(["eventhos", "send", "--data-file", "nosuch.json"], {
      env: eventhos(),
    });
    assert.equal(r.code, 5);
    assert.equal(r.stderr, "error: cannot read nosuch.json: no such file\n");
  });
});
