import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RejectedError } from "../../src/errors.js";
import { batchSender, NotSent, type BatchAdapter } from "../../src/bulk/batch-adapter.js";
import type { BulkRequests } from "../../src/bulk/run-bulk-command.js";
import type { HttpRequest, HttpResponse } from "../../src/transport/send.js";

const REQUEST: HttpRequest = { method: "POST", url: "https://api.example/in", headers: {} };

/** Requests that answer `status` (or, in a dry run, nothing), and what was sent with which note. */
function requests(dryRun: boolean, status = 200): BulkRequests & { notes: string[] } {
  const notes: string[] = [];
  return {
    dryRun,
    notes,
    async send(_request, note): Promise<HttpResponse | undefined> {
      notes.push(note);
      return dryRun ? undefined : { status, headers: {}, body: "", attempts: 1 };
    },
  };
}

/** An adapter whose interpret says what `said` returns. */
function adapter(
  said: (response: HttpResponse) => { warned?: string } | void,
  halveOn413 = true,
): BatchAdapter<string> & { interpreted: number } {
  return {
    interpreted: 0,
    build: (batch) => ({ request: REQUEST, note: `note of ${batch}` }),
    halveOn413,
    interpret(response) {
      this.interpreted += 1;
      return said(response);
    },
  };
}

describe("batchSender", () => {
  it("in a dry run shows the built request and reads no answer", async () => {
    const how = adapter(() => assert.fail("interpreted in a dry run"));
    const via = requests(true);
    assert.deepEqual(await batchSender(via, how)("a"), { ok: true });
    assert.deepEqual(via.notes, ["note of a"]);
  });

  it("halves on a 413 only where the service batches", async () => {
    const batched = adapter(() => ({}));
    assert.deepEqual(await batchSender(requests(false, 413), batched)("a"), {
      ok: false,
      tooLarge: true,
    });
    assert.equal(batched.interpreted, 0);
    const single = adapter((r) => {
      throw new RejectedError(`HTTP ${r.status}`);
    }, false);
    const outcome = await batchSender(requests(false, 413), single)("a");
    assert.equal(outcome.ok, false);
    assert.equal("error" in outcome && outcome.error.message, "HTTP 413");
  });

  it("keeps a warning, even an empty one, and a plain delivery has none", async () => {
    assert.deepEqual(
      await batchSender(
        requests(false),
        adapter(() => ({ warned: "" })),
      )("a"),
      {
        ok: true,
        warned: "",
      },
    );
    assert.deepEqual(
      await batchSender(
        requests(false),
        adapter(() => {}),
      )("a"),
      { ok: true },
    );
  });

  it("a batch that never left is not sent, not failed", async () => {
    const cause = new Error("no token");
    const how: BatchAdapter<string, unknown> = {
      build: () => ({ request: REQUEST, note: "" }),
      exchange: async () => {
        throw new NotSent(cause);
      },
      interpret: () => assert.fail("interpreted without an answer"),
    };
    assert.deepEqual(await batchSender(requests(false), how)("a"), {
      ok: false,
      error: cause,
      unsent: true,
    });
  });

  it("whatever building throws is the outcome, never thrown", async () => {
    const how: BatchAdapter<string> = {
      build: () => {
        throw new Error("gzip failed");
      },
      interpret: () => {},
    };
    const outcome = await batchSender(requests(false), how)("a");
    assert.equal("error" in outcome && outcome.error.message, "gzip failed");
  });
});
