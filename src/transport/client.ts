import { EnvHttpProxyAgent } from "undici";
import { tlsOptions } from "./ca.js";

/** undici's dispatcher, as the transport uses it. */
export interface UndiciClient {
  dispatcher: EnvHttpProxyAgent;
}

/** The largest response head evsend reads, in bytes: Node's default (README: Performance). */
export const MAX_HEADER_SIZE = 16 * 1024;

/**
 * The undici dispatcher every request goes through: keep-alive connections, proxies from the
 * given settings, TLS verification with Node's CAs plus `caFile` (read now). This module is
 * imported only when the first request is sent (src/transport/send.ts): undici is the largest
 * part of evsend, and --help, --dry-run and errors found before sending do not load it. Its
 * imports are static so that the bundle (esbuild.config.js) resolves undici's CommonJS exports
 * by name.
 */
export async function createClient(options: {
  proxy: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  env: NodeJS.ProcessEnv;
  caFile: string | undefined;
  timeoutMs: number;
}): Promise<UndiciClient> {
  const { proxy } = options;
  const tls = await tlsOptions(options.env, options.caFile);
  return {
    dispatcher: new EnvHttpProxyAgent({
      httpProxy: proxy.httpProxy,
      httpsProxy: proxy.httpsProxy,
      noProxy: proxy.noProxy,
      keepAliveTimeout: 10_000,
      // Node's own default, given here so that undici does not load node:http to read it (a few
      // milliseconds of every run; esbuild.config.js). --max-http-header-size does not apply.
      maxHeaderSize: MAX_HEADER_SIZE,
      // The attempt's own timer bounds the exchange; these only must not fire first.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { ...tls, timeout: options.timeoutMs },
      requestTls: tls,
      proxyTls: tls,
    }),
  };
}
