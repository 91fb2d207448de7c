import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExitCode, EvsendError } from "../../src/errors.js";
import {
  interpretSendResponse,
  interpretTokenResponse,
  isTokenRefused,
} from "../../src/services/eventhos/interpret.js";
import type { HttpResponse } from "../../src/transport/send.js";
import { shortenServerText } from "../../src/transport/server-text.js";

const UUID = "5f0c2a8e-1111-4a2b-9c3d-0123456789ab";

function response(status: number, body: unknown, attempts = 1): HttpResponse {
  return {
    status,
    headers: {},
    body: typeof body === "string" ? body : JSON.stringify(body),
    attempts,
  };
}

function errorBody(code: number, message: string): unknown {
  return { message, code, errorUUID: UUID };
}

function refusal(fn: () => unknown): EvsendError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof EvsendError, String(error));
    // As printed: the server's words are cut once secrets are masked (server-text.ts).
    error.message = shortenServerText(error.message);
    return error;
  }
  assert.fail("expected an error");
}

describe("eventhos send responses (every row of apis/eventhos.md)", () => {
  it("200/20000 and the wiki's 200000 are stored; other 2xx codes too", () => {
    for (const code of [20000, 200000]) {
      const r = interpretSendResponse(response(200, { code, message: "success" }), "e", "key");
      assert.equal(r.outcome, "delivered");
      assert.equal(r.code, code);
      assert.equal(r.message, "success");
      assert.equal(r.warning, undefined);
    }
    assert.equal(interpretSendResponse(response(201, ""), "e", "key").outcome, "delivered");
  });

  it("203/200310 is a success with a warning that no contract is bound", () => {
    const r = interpretSendResponse(
      response(203, { code: "200310", message: "Success, but no contracts exists" }),
      "order-created-1",
      "key",
    );
    assert.equal(r.outcome, "warned");
    assert.equal(r.code, 200310);
    assert.match(r.warning ?? "", /"order-created-1" was stored, but no contract is bound/);
  });

  const rows: Array<[number, number, number, RegExp, RegExp]> = [
    [400, 400201, ExitCode.rejected, /event-identifier or the access key is missing/, /not empty/],
    [400, 400202, ExitCode.rejected, /the event does not exist/, /--event, EVSEND_EVENTHOS_EVENT/],
    [404, 404201, ExitCode.rejected, /producer system has no client/, /administrator/],
    [403, 403201, ExitCode.auth, /access is revoked/, /administrator/],
    [401, 401201, ExitCode.auth, /not this client's long-lived key/, /--access-key-file/],
    [401, 401202, ExitCode.auth, /bad, expired or belongs to another client/, /client credentials/],
    [401, 400001, ExitCode.auth, /saw an Authorization header/, /never sends one/],
    [401, 400002, ExitCode.auth, /expired bearer/, /never sends one/],
    [413, 500000, ExitCode.rejected, /refused event/, /--max-body/],
    [400, 500000, ExitCode.rejected, /refused event/, /checks the JSON/],
    [500, 500001, ExitCode.unavailable, /refused event/, /try again later/],
    [503, 500000, ExitCode.unavailable, /refused event/, /try again later/],
  ];
  for (const [status, code, exit, message, hint] of rows) {
    it(`${status}/${code} → exit ${exit}, with message, code and errorUUID`, () => {
      const error = refusal(() =>
        interpretSendResponse(response(status, errorBody(code, "server words")), "ev-1", "key"),
      );
      assert.equal(error.exitCode, exit);
      assert.match(error.message, message);
      assert.match(error.message, new RegExp(`HTTP ${status}, code ${code}, errorUUID ${UUID}`));
      assert.match(error.message, /: server words$/);
      assert.match(error.hint ?? "", hint);
    });
  }

  it("a 2xx carrying a known error code is that error, not a success", () => {
    const rows: Array<[number, number, RegExp]> = [
      [500000, ExitCode.unavailable, /try again later/],
      [500202, ExitCode.unavailable, /try again later/],
      [400202, ExitCode.rejected, /--event/],
      [401202, ExitCode.auth, /client credentials/],
    ];
    for (const [code, exit, hint] of rows) {
      const body = { code, message: "database error, nothing stored" };
      const error = refusal(() => interpretSendResponse(response(200, body), "e", "key"));
      assert.equal(error.exitCode, exit, String(code));
      assert.match(error.message, new RegExp(`\\(HTTP 200, code ${code}\\): database error`));
      assert.match(error.hint ?? "", hint);
    }
  });

  it("a 2xx with an unknown code that is not 2xxxx is accepted with a warning", () => {
    for (const code of [20000, 200000, 201000, 20100]) {
      const r = interpretSendResponse(response(200, { code }), "e", "key");
      assert.deepEqual([r.outcome, r.warning], ["delivered", undefined]);
    }
    const r = interpretSendResponse(response(200, { code: 300001, message: "odd" }), "e", "key");
    assert.equal(r.outcome, "warned");
    assert.match(
      shortenServerText(r.warning ?? ""),
      /HTTP 200 but code 300001, which is not a success code \("odd"\)/,
    );
  });

  it("401202 with a fresh token says the new token was refused too, only when one was", () => {
    const error = refusal(() =>
      interpretSendResponse(response(401, errorBody(401202, "x")), "e", "token", true),
    );
    assert.match(error.hint ?? "", /fetched a new token and it was refused too/);
    const unrenewed = refusal(() =>
      interpretSendResponse(response(401, errorBody(401202, "x")), "e", "token"),
    );
    assert.doesNotMatch(unrenewed.hint ?? "", /fetched a new token/);
  });

  it("401202 for a long-lived key names the likely cause: another client's producer system", () => {
    const error = refusal(() =>
      interpretSendResponse(response(401, errorBody(401202, "Incorrect token")), "e", "key"),
    );
    assert.equal(error.exitCode, ExitCode.auth);
    assert.match(
      error.hint ?? "",
      /^most likely the event belongs to another client's producer system: .*--event/,
    );
  });

  it("401003 (Subject is locked) explains the lockout and the wait, send or token", () => {
    const body = errorBody(401003, "Subject is locked");
    for (const error of [
      refusal(() => interpretSendResponse(response(401, body), "e", "token")),
      refusal(() => interpretTokenResponse(response(401, body))),
    ]) {
      assert.equal(error.exitCode, ExitCode.auth);
      assert.match(error.message, /locked this client \(HTTP 401, code 401003, errorUUID /);
      assert.match(
        error.hint ?? "",
        /four wrong client secrets .* about 3 minutes.*wait that long/,
      );
    }
  });

  it("a non-JSON error (a proxy's page) is shown shortened, 404 points at the URL", () => {
    const error = refusal(() =>
      interpretSendResponse(response(404, `<html>${"x".repeat(1000)}</html>`), "e", "key"),
    );
    assert.equal(error.exitCode, ExitCode.rejected);
    assert.match(error.message, /\(HTTP 404\): <html>x+…$/);
    assert.ok(error.message.length < 450);
    assert.match(error.hint ?? "", /check the URL/);
  });

  it("says how many attempts a 5xx took", () => {
    const error = refusal(() =>
      interpretSendResponse(response(502, errorBody(500000, "db"), 6), "e", "key"),
    );
    assert.match(error.message, /after 6 attempts/);
  });

  it("isTokenRefused: only 401 with code 401202", () => {
    assert.equal(isTokenRefused(response(401, errorBody(401202, "x"))), true);
    assert.equal(isTokenRefused(response(401, errorBody(401201, "x"))), false);
    assert.equal(isTokenRefused(response(403, errorBody(401202, "x"))), false);
    assert.equal(isTokenRefused(response(401, "not json")), false);
  });
});

describe("eventhos token responses", () => {
  it("201 → content.jwt_token", () => {
    const token = interpretTokenResponse(
      response(201, { code: 200000, message: "success", content: { jwt_token: "a.b.c" } }),
    );
    assert.equal(token, "a.b.c");
  });

  it("a 2xx without a token is exit 1", () => {
    const error = refusal(() => interpretTokenResponse(response(201, { content: {} })));
    assert.equal(error.exitCode, ExitCode.rejected);
    assert.match(error.message, /without content\.jwt_token/);
  });

  it("401/401100: exit 4, and the hint says why evsend never retries it", () => {
    const error = refusal(() =>
      interpretTokenResponse(response(401, errorBody(401100, "Incorrect client credentials"))),
    );
    assert.equal(error.exitCode, ExitCode.auth);
    assert.match(error.message, /refused the client credentials \(HTTP 401, code 401100/);
    assert.match(
      error.hint ?? "",
      /does not retry.*locks the client for about 3 minutes after four wrong secrets/,
    );
  });

  it("404/401100 (unknown client) is exit 4 too, pointing at the client id", () => {
    const error = refusal(() => interpretTokenResponse(response(404, errorBody(401100, "nf"))));
    assert.equal(error.exitCode, ExitCode.auth);
    assert.match(error.hint ?? "", /unknown client id: check --client-id/);
  });

  it("403/403100 tells the user this client must use its long-lived key", () => {
    const error = refusal(() =>
      interpretTokenResponse(response(403, errorBody(403100, "use your long live token"))),
    );
    assert.equal(error.exitCode, ExitCode.auth);
    assert.match(error.hint ?? "", /long-lived key.*--access-key-file/);
  });

  it("400/40000x (missing field) is exit 1; 5xx is exit 7", () => {
    assert.equal(
      refusal(() => interpretTokenResponse(response(400, errorBody(400002, "m")))).exitCode,
      ExitCode.rejected,
    );
    assert.equal(
      refusal(() => interpretTokenResponse(response(500, errorBody(500000, "m")))).exitCode,
      ExitCode.unavailable,
    );
  });
});
