// What the bundle takes from undici (esbuild.config.js maps `import … from "undici"` here).
// evsend sends through an EnvHttpProxyAgent and its Dispatcher#request only; undici's own entry
// point also loads fetch, WebSocket, EventSource, caches and mocks, which doubles the code a
// one-off run parses and the Node built-ins it loads. The assignment below is the one in
// undici's index.js that gives every dispatcher its request API. The tests that spawn
// bin/evsend.js run through this file; the in-process tests use undici's full entry point.
import Dispatcher from "undici/lib/dispatcher/dispatcher.js";
import api from "undici/lib/api/index.js";
import EnvHttpProxyAgent from "undici/lib/dispatcher/env-http-proxy-agent.js";

Object.assign(Dispatcher.prototype, api);

export { EnvHttpProxyAgent };
