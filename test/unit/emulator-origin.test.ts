import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { refusedOrigin } from "../../src/emulator/origin.js";

const req = (headers: Record<string, string>): IncomingMessage =>
  ({ headers }) as unknown as IncomingMessage;

describe("the emulator refuses requests from web pages (Host and Origin)", () => {
  it("accepts senders on this machine: localhost, IP addresses, the --host name, no Host", () => {
    for (const host of [
      "127.0.0.1:4780",
      "localhost:4780",
      "LOCALHOST",
      "[::1]:4780",
      "192.168.1.20:4780",
      "emu.internal:4780",
    ])
      assert.equal(refusedOrigin(req({ host }), "emu.internal"), undefined, host);
    assert.equal(refusedOrigin(req({}), "127.0.0.1"), undefined);
  });

  it("refuses a DNS name it does not listen on (DNS rebinding)", () => {
    assert.match(
      refusedOrigin(req({ host: "attacker.example:4780" }), "127.0.0.1") ?? "",
      /^Host "attacker\.example:4780" is not this emulator's address/,
    );
  });

  it("refuses a browser Origin other than its own, accepts its own", () => {
    const host = "127.0.0.1:4780";
    assert.match(
      refusedOrigin(req({ host, origin: "https://attacker.example" }), "127.0.0.1") ?? "",
      /^Origin "https:\/\/attacker\.example" is not this emulator/,
    );
    assert.ok(refusedOrigin(req({ host, origin: "null" }), "127.0.0.1"));
    assert.equal(refusedOrigin(req({ host, origin: `http://${host}` }), "127.0.0.1"), undefined);
  });
});
