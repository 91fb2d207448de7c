// What the bundle takes from undici (esbuild.config.js maps `import … from "undici"` here).
// evsend sends through an Agent (or an EnvHttpProxyAgent) and its Dispatcher#request only;
// undici's own entry point also loads fetch, WebSocket, EventSource, caches and mocks, which
// doubles the code a one-off run parses and the Node built-ins it loads. The assignment below is
// the one in undici's index.js that gives every dispatcher its request API. The tests that spawn
// bin/evsend.js run through this file; the in-process tests use undici's full entry point.
import Dispatcher from "undici/lib/dispatcher/dispatcher.js";
import api from "undici/lib/api/index.js";
import Agent from "undici/lib/dispatcher/agent.js";

Object.assign(Dispatcher.prototype, api);

/**
 * undici's EnvHttpProxyAgent, loaded with its ProxyAgent when a run first makes one: only a run
 * with a proxy set does (src/transport/client.ts), the others send through an Agent.
 */
export function EnvHttpProxyAgent(options) {
  // esbuild bundles this require() as a module of its own, evaluated at the first call.
  // eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports
  const Real = require("undici/lib/dispatcher/env-http-proxy-agent.js");
  return new Real(options);
}

export { Agent };
