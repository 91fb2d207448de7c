import { Agent, EnvHttpProxyAgent, type Dispatcher } from "undici";
import { tlsOptions } from "./ca.js";

/** undici's dispatcher, as the transport uses it. */
export interface UndiciClient {
  dispatcher: Dispatcher;
}

/** The largest response head evsend reads, in bytes: Node's default (README: Sending). */
export const MAX_HEADER_SIZE = 16 * 1024;

/**
 * The undici dispatcher every request goes through: keep-alive connections, proxies from the
 * given settings (an EnvHttpProxyAgent where one is set, else an Agent), TLS verification with
 * Node's CAs plus `caFile` (read now). This module is imported only when the first request is
 * sent (src/transport/send.ts): undici is the largest part of evsend, and --help, --dry-run and
 * errors found before sending do not load it. Its imports are static so that the bundle
 * (esbuild.config.js) resolves undici's CommonJS exports by name.
 */
export async function createClient(options: {
  proxy: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  env: NodeJS.ProcessEnv;
  caFile: string | undefined;
  timeoutMs: number;
}): Promise<UndiciClient> {
  const { proxy } = options;
  const tls = await tlsOptions(options.env, options.caFile);
  const agent = {
    keepAliveTimeout: 10_000,
    // Node's own default, given here so that undici does not load node:http to read it (a few
    // milliseconds of every run; esbuild.config.js). --max-http-header-size does not apply.
    maxHeaderSize: MAX_HEADER_SIZE,
    // The attempt's own timer bounds the exchange; these only must not fire first.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { ...tls, timeout: options.timeoutMs },
  };
  // Without a proxy, what EnvHttpProxyAgent would send through anyway: a plain Agent (and
  // undici's proxy code is not loaded, src/transport/undici-dispatcher.js).
  if (!proxy.httpProxy && !proxy.httpsProxy) return { dispatcher: new Agent(agent) };
  return {
    dispatcher: new EnvHttpProxyAgent({
      ...agent,
      httpProxy: proxy.httpProxy,
      httpsProxy: proxy.httpsProxy,
      noProxy: proxy.noProxy,
      requestTls: tls,
      proxyTls: tls,
    }),
  };
}
