import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { isJsonContentType, readJsonBody, type JsonBody } from "../../src/emulator/body.js";
import { httpCall } from "../helpers/emulator.js";

const LIMIT = 64;

describe("emulator JSON body reader", () => {
  let server: Server;
  let url = "";
  const seen: Array<{ body: JsonBody; json: boolean }> = [];
  before(async () => {
    server = createServer((req, res) => {
      void readJsonBody(req, LIMIT).then((body) => {
        seen.push({ body, json: isJsonContentType(req) });
        if (body.kind === "too-large") res.setHeader("connection", "close");
        res.writeHead(body.kind === "json" ? 200 : body.kind === "too-large" ? 413 : 400).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = async (body: string, type?: string) => {
    const response = await httpCall(url, "POST", body, type ? { "content-type": type } : {});
    return { status: response.status, ...seen.at(-1)! };
  };

  it("a JSON body is parsed", async () => {
    const r = await post('{"a":[1,"é"]}', "application/json");
    assert.deepEqual(r, {
      status: 200,
      body: { kind: "json", value: { a: [1, "é"] } },
      json: true,
    });
  });

  it("text that is not JSON is not-json: the caller answers 400", async () => {
    const r = await post('{"a":', "application/json");
    assert.deepEqual([r.status, r.body], [400, { kind: "not-json" }]);
  });

  it("a body over the limit is too-large, and the client still reads the answer", async () => {
    const r = await post(`[${'"x",'.repeat(200_000)}1]`, "application/json");
    assert.deepEqual([r.status, r.body], [413, { kind: "too-large" }]);
    const exact = await post(`"${"x".repeat(LIMIT - 2)}"`, "application/json");
    assert.equal(exact.body.kind, "json");
  });

  it("the content type is JSON for application/json whatever its case and parameters", async () => {
    const types: Array<[string | undefined, boolean]> = [
      ["application/json", true],
      ["Application/JSON; charset=utf-8", true],
      [" application/json ;charset=utf-8", true],
      ["text/plain", false],
      ["application/x-www-form-urlencoded", false],
      ["application/jsonl", false],
      [undefined, false],
    ];
    for (const [type, json] of types) {
      const headers = type === undefined ? {} : { "content-type": type };
      assert.equal(isJsonContentType({ headers } as IncomingMessage), json, String(type));
    }
    assert.equal((await post("{}", "text/plain")).json, false);
  });
});
