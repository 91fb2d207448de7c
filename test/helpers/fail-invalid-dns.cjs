// A `--require` preload (and a module tests may require): host names under `.invalid` (RFC 6761,
// reserved never to resolve) fail at once with ENOTFOUND, as a resolver answers for a typo,
// without asking any DNS server. Every other name resolves as usual.
"use strict";
const dns = require("node:dns");

const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof hostname === "string" && hostname.endsWith(".invalid")) {
    const done = typeof options === "function" ? options : callback;
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: "ENOTFOUND",
      errno: -3008,
      syscall: "getaddrinfo",
      hostname,
    });
    process.nextTick(done, error);
    return {};
  }
  return Reflect.apply(original, this, arguments);
};
