import { ConfigError } from "../errors.js";

/** The proxy settings undici's EnvHttpProxyAgent takes, read once from the environment. */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  /** Proxy passwords (or user names without a password), to register for masking. */
  secrets: string[];
}

/** The variable that sets `kind`: the lower-case one wins, as in curl. */
function pick(env: NodeJS.ProcessEnv, upper: string): { name: string; value: string } {
  const lower = upper.toLowerCase();
  if (env[lower] !== undefined) return { name: lower, value: env[lower] };
  return { name: upper, value: env[upper] ?? "" };
}

function checkProxy(name: string, value: string, secrets: string[]): void {
  if (!value) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === "http:" || url.protocol === "https:") && url.hostname) {
    const secret = url.password || url.username;
    // The Redactor also masks the percent-decoded form of a secret that holds %XX.
    if (secret) secrets.push(secret);
    return;
  }
  // The value may hold a password: quote it only when it cannot.
  const shown = value.includes("@") ? "" : `: "${value}"`;
  throw new ConfigError(`${name} is not an http(s) proxy URL${shown}`, {
    hint: `set ${name} to a URL such as http://proxy.example.com:3128, or unset it`,
  });
}

/**
 * Reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (either case). A value that is not an http(s) URL
 * is a ConfigError (exit 3) naming the variable, before any connection is tried.
 */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings {
  const http = pick(env, "HTTP_PROXY");
  const https = pick(env, "HTTPS_PROXY");
  const secrets: string[] = [];
  checkProxy(http.name, http.value, secrets);
  checkProxy(https.name, https.value, secrets);
  return {
    httpProxy: http.value,
    httpsProxy: https.value,
    noProxy: pick(env, "NO_PROXY").value,
    secrets,
  };
}
