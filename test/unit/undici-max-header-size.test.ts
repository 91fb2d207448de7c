// evsend gives undici maxHeaderSize itself (src/transport/client.ts), so that undici does not load
// node:http to read Node's default (esbuild.config.js). It must be that default on every Node
// evsend runs on (CI runs this suite on Node 20, 22 and 24); the suite runs without
// --max-http-header-size, so node:http's value here is the default.
import assert from "node:assert/strict";
import { maxHeaderSize } from "node:http";
import { describe, it } from "node:test";
import { MAX_HEADER_SIZE } from "../../src/transport/client.js";

describe("the response head size evsend reads", () => {
  it(`is Node's default on the running Node (${process.version})`, () => {
    assert.equal(MAX_HEADER_SIZE, maxHeaderSize);
  });
});
