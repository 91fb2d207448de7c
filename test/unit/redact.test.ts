import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MASK, maskUrlUserinfo } from "../../src/transport/redact.js";
import { serviceRedactor } from "../helpers/redactor.js";

/** A strict percent-encoding that also encodes !'()* (RFC 3986), in upper or lower-case hex. */
function strictEncode(text: string, lower = false): string {
  const encoded = encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return lower ? encoded.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()) : encoded;
}

/** What an HTML page makes of text: `&`, `<`, `>`, `"` and `'` as references. */
function htmlEscape(text: string): string {
  const named: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
  return text.replace(/[&<>"']/g, (c) => named[c] ?? "&#39;");
}

/** Every form a secret may take in text evsend prints. */
function forms(secret: string): Array<[string, string]> {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return [
    ["raw", secret],
    ["encodeURIComponent", encodeURIComponent(secret)],
    ["strict upper-case", strictEncode(secret)],
    ["strict lower-case", strictEncode(secret, true)],
    ["form-encoded", new URLSearchParams({ a: secret }).toString().slice(2)],
    ["JSON-escaped", json],
    ["JSON-escaped, ASCII only", asciiJson],
    ["JSON-escaped percent-encoding", JSON.stringify(encodeURIComponent(secret)).slice(1, -1)],
    ["JSON in a JSON string", JSON.stringify(json).slice(1, -1)],
    [
      "JSON in JSON in a JSON string",
      JSON.stringify(JSON.stringify(json).slice(1, -1)).slice(1, -1),
    ],
    ["HTML-escaped", htmlEscape(secret)],
    ["HTML numeric references", [...secret].map((c) => `&#${c.codePointAt(0)};`).join("")],
    [
      "HTML hexadecimal references",
      [...secret].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(""),
    ],
  ];
}

const NASTY = [
  "ab'SECRET",
  'ab\\"SECRET',
  'q"uo"te',
  "back\\slash",
  "per%cent",
  "pre%2Fencoded",
  "sl/ash",
  "spa ce+plus",
  "ünï©ødé😀",
  "star*(paren)!",
  "0",
  "type",
  "tab\there",
];

describe("Redactor: every form of a registered secret", () => {
  for (const secret of NASTY) {
    for (const [name, form] of forms(secret)) {
      it(`${JSON.stringify(secret)} ${name}`, () => {
        const r = serviceRedactor();
        r.add(secret);
        const text = `before ${form} after`;
        const out = r.redact(text);
        assert.equal(out, `before ${MASK} after`, `form ${JSON.stringify(form)}`);
      });
    }
  }

  it("masks every character of base64 text that holds bits of a secret in a path, at any offset", () => {
    for (const secret of NASTY) {
      const inPath = encodeURIComponent(secret);
      for (const prefix of ["/event/d/token!", "/event/dd/token!", "/event/ddd/token!"]) {
        const path = Buffer.from(`${prefix}${inPath}/h/t`);
        const start = Buffer.byteLength(prefix);
        const end = start + Buffer.byteLength(inPath);
        for (const alphabet of ["base64", "base64url"] as const) {
          const encoded = path.toString(alphabet);
          const r = serviceRedactor();
          r.add(secret);
          const out = r.redact(`path ${encoded} seen`);
          if (Buffer.byteLength(secret) < 6 && Buffer.byteLength(inPath) < 6) continue;
          const at = out.indexOf(MASK);
          assert.ok(at > 0, `${secret} ${alphabet}: ${out}`);
          const kept = at - "path ".length;
          const keptAfter = out.length - " seen".length - (at + MASK.length);
          assert.ok(kept <= Math.floor((8 * start) / 6), `${secret}: ${out}`);
          assert.ok(encoded.length - keptAfter >= Math.ceil((8 * end) / 6), `${secret}: ${out}`);
        }
      }
    }
  });

  it("masks the percent-decoded form of a secret that holds %XX", () => {
    const r = serviceRedactor();
    r.add("pre%2Fencoded");
    assert.equal(r.redact("x pre/encoded y"), `x ${MASK} y`);
  });

  it("masks a token with ' in a Devo URL whole, encoded and echoed decoded", () => {
    const r = serviceRedactor();
    const token = "ab'c/d\"SECRET";
    r.add(token);
    const url = `https://h/event/dom/token!${encodeURIComponent(token)}/host/tag`;
    const out = r.redact(
      `POST ${url} → 503; server said: no route for /event/dom/token!${token}/host/tag`,
    );
    assert.ok(!out.includes("SECRET"), out);
    assert.ok(!out.includes("c/d"), out);
    assert.equal(
      out,
      `POST https://h/event/dom/token!${MASK}/host/tag → 503; server said: no route for /event/dom/token!${MASK}/host/tag`,
    );
  });

  it("masks the longer of two overlapping secrets whole", () => {
    const r = serviceRedactor();
    r.add("abc");
    r.add("abcdef");
    assert.equal(r.redact("xabcdefx abc"), `x${MASK}x ${MASK}`);
  });

  it("masks a raw secret the same whether or not the text holds an encoded character", () => {
    // Text without %, + or \\ takes the plain search; with one, the full pattern.
    for (const secret of NASTY) {
      const r = serviceRedactor();
      r.add(secret);
      r.add("abcdef");
      assert.equal(r.redact(`a ${secret} b abcdef`), `a ${MASK} b ${MASK}`, secret);
      assert.equal(r.redact(`a% ${secret} b abcdef`), `a% ${MASK} b ${MASK}`, secret);
    }
  });

  it("masks secrets that overlap in the text whole, together (plain and encoded text)", () => {
    const r = serviceRedactor();
    r.add("xa");
    r.add("abcd");
    // A shorter secret that starts first must not leave the rest of the longer one visible.
    assert.equal(r.redact("1 xabcd 2"), `1 ${MASK} 2`);
    assert.equal(r.redact("1% xabcd 2"), `1% ${MASK} 2`);
    assert.equal(r.redact("1 %78abcd 2"), `1 ${MASK} 2`);
    // Overlapping occurrences of one secret, and touching but separate ones.
    const s = serviceRedactor();
    s.add("aba");
    assert.equal(s.redact("ababa aba-aba"), `${MASK} ${MASK}-${MASK}`);
  });

  it("ignores empty secrets", () => {
    const r = serviceRedactor();
    r.add("");
    r.add(undefined);
    assert.equal(r.redact("text"), "text");
  });
});

describe("Redactor: unregistered secrets in URLs", () => {
  const cases: Array<[string, string]> = [
    [
      "https://http-eu.devo.io/event/acme/token!abc123/host/my.app.x?hi",
      `https://http-eu.devo.io/event/acme/token!${MASK}/host/my.app.x?hi`,
    ],
    ["POST http://h/stream/d/token%21s3cr%2Ft/h/t", `POST http://h/stream/d/token%21${MASK}/h/t`],
    ["token!it's'quoted/x", `token!${MASK}/x`],
    [
      "POST /api/v1/push-events/wh-S3cret/alerts/x → 200",
      `POST /api/v1/push-events/${MASK}/alerts/x → 200`,
    ],
    ["https://h/api/v1/push-events/abc?x", `https://h/api/v1/push-events/${MASK}?x`],
    ["could not reach http://u:p4ss@proxy:8080/x", `could not reach http://u:${MASK}@proxy:8080/x`],
    ["http://:pw@host/x", `http://:${MASK}@host/x`],
    ["https://tok3n@host", `https://${MASK}@host`],
    ["http://u:p@ss@host/x", `http://u:${MASK}@host/x`],
    ["mail me@example.com or see http://h/a@b", "mail me@example.com or see http://h/a@b"],
    ["no secrets here", "no secrets here"],
  ];
  for (const [input, expected] of cases) {
    it(`masks ${JSON.stringify(input)}`, () =>
      assert.equal(serviceRedactor().redact(input), expected));
  }

  it("takes linear time on hostile text (a long run of a.a.a.…)", () => {
    const r = serviceRedactor();
    r.add("S3cretT0ken0000000000000000000AB");
    for (const text of ["a.".repeat(500_000), "x://".repeat(250_000), "token!".repeat(150_000)]) {
      const started = performance.now();
      r.redact(text);
      const took = performance.now() - started;
      // Linear is a few ms here, quadratic minutes: the bound is far from both (a loaded CI).
      assert.ok(took < 5000, `${took}ms for ${text.slice(0, 8)}…`);
    }
  });

  it("maskUrlUserinfo alone", () =>
    assert.equal(
      maskUrlUserinfo("HTTPS_PROXY=http://a:b@p:3128"),
      `HTTPS_PROXY=http://a:${MASK}@p:3128`,
    ));
});

describe("Redactor.mask: structured values", () => {
  it("masks string values only, never keys, numbers, booleans or null", () => {
    const r = serviceRedactor();
    r.add("0");
    r.add("type");
    r.add('ab\\"SECRET');
    const value = {
      type: "error",
      exitCode: 0,
      ok: true,
      none: null,
      message: 'token ab\\"SECRET and 0 and type',
      list: [0, "0", { type: 10 }],
    };
    const masked = r.mask(value);
    assert.deepEqual(masked, {
      type: "error",
      exitCode: 0,
      ok: true,
      none: null,
      message: `token ${MASK} and ${MASK} and ${MASK}`,
      list: [0, MASK, { type: 10 }],
    });
    const json = JSON.stringify(masked);
    assert.ok(!json.includes("SECRET"), json);
    assert.deepEqual(Object.keys(JSON.parse(json) as object), Object.keys(value));
  });

  it("leaves the input untouched and handles Dates", () => {
    const r = serviceRedactor();
    r.add("2026");
    const value = { at: new Date(Date.UTC(2026, 0, 2)), s: "x" };
    assert.deepEqual(r.mask(value), { at: `${MASK}-01-02T00:00:00.000Z`, s: "x" });
    assert.equal(value.s, "x");
  });
});

describe("Redactor.redactHeaders", () => {
  it("masks secret headers by name and secrets in other values, never names", () => {
    const r = serviceRedactor();
    r.add("tok");
    r.add("content");
    assert.deepEqual(
      r.redactHeaders({
        Authorization: "Bearer x",
        "Proxy-Authorization": "Basic y",
        "access-key": "k",
        "DF-API-KEY": "y",
        "x-note": "has tok",
        "content-type": "text/plain",
        accept: "*/*",
      }),
      {
        Authorization: MASK,
        "Proxy-Authorization": MASK,
        "access-key": MASK,
        "DF-API-KEY": MASK,
        "x-note": `has ${MASK}`,
        "content-type": "text/plain",
        accept: "*/*",
      },
    );
  });
});
