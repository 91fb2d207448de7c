import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AuthError, ExitCode, RejectedError, UnavailableError } from "../../src/errors.js";
import {
  buildPushRequest,
  interpretPushResponse,
  isRateLimited,
  pushUrl,
  type GuanceTarget,
} from "../../src/services/guance/protocol.js";
import { shortenServerText } from "../../src/transport/server-text.js";

const TARGET: GuanceTarget = {
  host: "https://us1-openapi.guance.com",
  secret: "s3cr3t",
  subUri: "datakit/push",
};

describe("Guance request", () => {
  it("POST <host>/api/v1/push-events/<secret>/<subUri>, the subUri's / not encoded", () =>
    assert.equal(
      pushUrl(TARGET),
      "https://us1-openapi.guance.com/api/v1/push-events/s3cr3t/datakit/push",
    ));
  it("each segment is percent-encoded", () =>
    assert.equal(
      pushUrl({ ...TARGET, secret: "a/b", subUri: "my app/p?x" }),
      "https://us1-openapi.guance.com/api/v1/push-events/a%2Fb/my%20app/p%3Fx",
    ));
  it("JSON body and Content-Type; no DF-API-KEY without a key", () => {
    const req = buildPushRequest(TARGET, { event: { status: "ok" } });
    assert.equal(req.method, "POST");
    assert.deepEqual(req.headers, { "content-type": "application/json;charset=UTF-8" });
    assert.equal(req.body, '{"event":{"status":"ok"}}');
  });
  it("DF-API-KEY when a key is set", () =>
    assert.equal(
      buildPushRequest({ ...TARGET, apiKey: "k" }, { event: { status: "ok" } }).headers[
        "df-api-key"
      ],
      "k",
    ));
});

const envelope = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    code: 200,
    content: null,
    errorCode: "",
    message: "",
    success: true,
    traceId: "T1",
    ...fields,
  });
const response = (status: number, body: string, attempts = 1) => ({
  status,
  headers: {},
  body,
  attempts,
});

describe("Guance response envelope", () => {
  it("200 + success: true → the traceId", () =>
    assert.deepEqual(interpretPushResponse(response(200, envelope({ content: { ok: true } }))), {
      traceId: "T1",
    }));
  it("no traceId → an empty one", () =>
    assert.deepEqual(interpretPushResponse(response(200, '{"success":true}')), { traceId: "" }));

  const failures: Array<[string, number, string, new (...a: never[]) => Error, number, RegExp]> = [
    [
      "rate limit per key (401)",
      401,
      envelope({
        code: 401,
        success: false,
        errorCode: "ft.TriggerApiAkCurrentLimiting",
        message: "limited",
      }),
      UnavailableError,
      ExitCode.unavailable,
      /^Guance rate-limited the request \(HTTP 401 after 3 attempts\): ft\.TriggerApiAkCurrentLimiting: limited \(traceId T1\)$/,
    ],
    [
      "rate limit per workspace (401)",
      401,
      envelope({ success: false, errorCode: "ft.TriggerApiWorkspaceCurrentLimiting" }),
      UnavailableError,
      ExitCode.unavailable,
      /rate-limited/,
    ],
    [
      "invalid API key",
      403,
      envelope({ success: false, errorCode: "ft.InvalidAPIKey", message: "bad key" }),
      AuthError,
      ExitCode.auth,
      /^Guance refused the API key \(HTTP 403\): ft\.InvalidAPIKey: bad key \(traceId T1\)$/,
    ],
    [
      "the errorCode decides, not the status",
      200,
      envelope({ success: false, errorCode: "ft.InvalidAPIKey" }),
      AuthError,
      ExitCode.auth,
      /API key/,
    ],
    [
      "another errorCode",
      400,
      envelope({ success: false, errorCode: "ft.ParamError", message: "event.status" }),
      RejectedError,
      ExitCode.rejected,
      /^Guance rejected the event \(HTTP 400\): ft\.ParamError: event\.status \(traceId T1\)$/,
    ],
    [
      "200 with success: false",
      200,
      envelope({ success: false }),
      RejectedError,
      ExitCode.rejected,
      /without success: true/,
    ],
    [
      "200 with content.ok false",
      200,
      envelope({ content: { ok: false } }),
      RejectedError,
      ExitCode.rejected,
      /without success: true/,
    ],
    [
      "200 that is not JSON",
      200,
      "<html>proxy</html>",
      RejectedError,
      ExitCode.rejected,
      /without success: true: <html>proxy<\/html>$/,
    ],
    [
      "a 5xx with an errorCode stays 'try later'",
      503,
      envelope({ success: false, errorCode: "ft.Internal" }),
      UnavailableError,
      ExitCode.unavailable,
      /unavailable \(HTTP 503 after 3 attempts\)/,
    ],
    [
      "401 without an errorCode",
      401,
      "nope",
      AuthError,
      ExitCode.auth,
      /refused the request \(HTTP 401\): nope/,
    ],
    [
      "404 without an errorCode",
      404,
      "",
      RejectedError,
      ExitCode.rejected,
      /^Guance rejected the event \(HTTP 404\)$/,
    ],
  ];
  for (const [name, status, body, type, code, message] of failures) {
    it(`${name} → exit ${code}`, () =>
      assert.throws(
        () => interpretPushResponse(response(status, body, 3)),
        (e: unknown) =>
          e instanceof type &&
          (e as AuthError).exitCode === code &&
          message.test(shortenServerText((e as Error).message)),
      ));
  }

  it("isRateLimited: the two rate-limit errorCodes only", () => {
    assert.equal(
      isRateLimited(response(401, envelope({ errorCode: "ft.TriggerApiAkCurrentLimiting" }))),
      true,
    );
    assert.equal(
      isRateLimited(
        response(401, envelope({ errorCode: "ft.TriggerApiWorkspaceCurrentLimiting" })),
      ),
      true,
    );
    assert.equal(isRateLimited(response(403, envelope({ errorCode: "ft.InvalidAPIKey" }))), false);
    assert.equal(isRateLimited(response(401, "not json")), false);
  });
});
