import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { looksLikeSecret } from "../../src/config/looks-like-secret.js";

describe("looksLikeSecret", () => {
  const secrets = [
    "9f8e7d6c5b4a39281716f5e4d3c2b1a0",
    "ghp_R2d2C3poX9wingQ7Lk4mZtB8vNcY0aQe1sUf",
    "123e4567-e89b-12d3-a456-426614174000",
    "9f8e7d6c5b4a3928",
    "aB3xY9qLm2Zt7Kw4",
  ];
  const notSecrets = [
    "-",
    "token",
    "token.txt",
    "~/keys/devo",
    "keys/devo-token",
    "/run/secrets/devo",
    "devo-token",
    "my_devo_token_file",
    "backup-2024-token-file",
    "secret-2024-11-25-prod",
    "EVSEND_DEVO_TOKEN",
    "aaaaaaaaaaaaaaaaaaaaaaaa",
    "0123456789abcdef0123",
    "9f8e7d6c5b4a392", // too short to tell from a name
    "9f8e7d6c5b4a39281716f5e4d3c2b1a0.txt",
    "C:\\keys\\9f8e7d6c5b4a39281716f5e4d3c2b1a0",
  ];
  for (const value of secrets)
    it(`${value} looks like a secret`, () => assert.ok(looksLikeSecret(value)));
  for (const value of notSecrets) {
    it(`${value} does not`, () => assert.equal(looksLikeSecret(value), false));
  }

  it("recognises random tokens of the usual shapes (≥ 99%)", () => {
    let hits = 0;
    const total = 3000;
    for (let i = 0; i < total / 3; i++) {
      if (looksLikeSecret(randomBytes(16).toString("hex"))) hits++;
      if (looksLikeSecret(randomUUID())) hits++;
      if (looksLikeSecret(randomBytes(24).toString("base64url"))) hits++;
    }
    assert.ok(hits / total >= 0.99, `${hits} of ${total}`);
  });
});
