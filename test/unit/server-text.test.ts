import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Redactor } from "../../src/transport/redact.js";
import { serverText, shortenServerText } from "../../src/transport/server-text.js";

describe("serverText: a server's words, cut and collapsed after masking", () => {
  it("cuts to the limit, with an ellipsis only when asked", () => {
    assert.equal(shortenServerText(`a ${serverText("  abcdef  ", { max: 3 })} b`), "a abc b");
    assert.equal(shortenServerText(serverText("abcdef", { max: 3, ellipsis: true })), "abc…");
    assert.equal(shortenServerText(serverText("abc", { max: 3, ellipsis: true })), "abc");
  });

  it("collapses whitespace on one line", () => {
    const marked = serverText("a\t b\n\nc", { max: 300, oneLine: true });
    assert.equal(shortenServerText(marked), "a b c");
  });

  it("the Redactor masks a secret at the cut and one with inner whitespace whole", () => {
    const redactor = new Redactor();
    redactor.add("Cut0ffSecretKey0000000000000Tail");
    redactor.add("Tab\tSecretKey  Two");
    const atCut = `${"x".repeat(269)}Cut0ffSecretKey0000000000000Tail`;
    assert.equal(redactor.redact(serverText(atCut, { max: 300 })), `${"x".repeat(269)}****`);
    const spaced = serverText("key Tab\tSecretKey  Two  end", { max: 300, oneLine: true });
    assert.equal(redactor.redact(spaced), "key **** end");
  });

  it("a server cannot forge or end a mark to join the parts of a secret", () => {
    const redactor = new Redactor();
    redactor.add("JoinedSecret");
    const forged = serverText("Joined\uE0009\uE001Secret\uE002", { max: 300 });
    assert.ok(!redactor.redact(forged).includes("JoinedSecret"));
    assert.equal(redactor.redact(`Joined${serverText("Secret", { max: 9 })}`), "****");
  });
});
