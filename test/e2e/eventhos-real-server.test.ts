import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  runEvsend,
  startServer,
  tempHome,
  type SeenRequest,
  type TempHome,
} from "../helpers/spawn.js";

const EVENT = "order-created-9O_CE0Lcrz";
const KEY = "L0ng-L1ved-Key-v4lue";

/** Answers as the real eventhos-api 1.0.1 does in the cases its emulator does not reproduce. */
type Handler = (req: SeenRequest, res: ServerResponse, index: number) => void;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

describe("evsend eventhos send against answers of the real server (end to end)", () => {
  let home: TempHome;
  before(async () => {
    home = await tempHome();
  });
  after(async () => {
    await home.cleanup();
  });

  /** Runs evsend against a server answering with `handler`; returns the run and the requests. */
  async function against(handler: Handler, args: string[], env: NodeJS.ProcessEnv = {}) {
    const server = await startServer(handler);
    try {
      const r = await runEvsend(args, {
        env: {
          ...home.env,
          EVSEND_EVENTHOS_URL: server.url,
          EVSEND_EVENTHOS_EVENT: EVENT,
          EVSEND_EVENTHOS_ACCESS_KEY: KEY,
          ...env,
        },
      });
      return { ...r, requests: server.requests };
    } finally {
      await server.close();
    }
  }

  it("a 200 carrying code 500000 is not stored: exit 7, the server's words, one request", async () => {
    const r = await against(
      (_req, res) => json(res, 200, { code: 500000, message: "database error, nothing stored" }),
      ["--retries", "0", "eventhos", "send", '{"order": 1}'],
    );
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^error: Eventhos refused event "order-created-9O_CE0Lcrz" \(HTTP 200, code 500000\): database error, nothing stored$/m,
    );
    assert.equal(r.requests.length, 1);
  });
});
