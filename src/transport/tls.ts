import { ConfigError } from "../errors.js";

/** TLS settings every connection gets: verification on, whatever the environment says. */
export interface TlsOptions {
  rejectUnauthorized: true;
  /** The trusted CAs when extra ones were given; Node's defaults otherwise. */
  ca?: string[];
}

/** Whether the environment asks Node to skip verification (which evsend refuses to do). */
export function insecureTlsRequested(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_TLS_REJECT_UNAUTHORIZED === "0";
}

/** The warning for NODE_TLS_REJECT_UNAUTHORIZED=0. */
export const INSECURE_TLS_WARNING =
  "NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored: evsend always verifies TLS certificates; to trust a private CA, pass its certificate with --ca-file (or NODE_EXTRA_CA_CERTS)";

/** OpenSSL's verification failures, as Node reports them in `code`. */
const CERT_CODES =
  /^(?:ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:GET_ISSUER_CERT(?:_LOCALLY)?|VERIFY_LEAF_SIGNATURE|DECRYPT_CERT_SIGNATURE|DECODE_ISSUER_PUBLIC_KEY)|CERT_(?:\w+)|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|ERROR_IN_CERT_\w+)$/;

/**
 * A ConfigError (exit 3) for a TLS failure that no retry can fix — an untrusted, expired or
 * mismatched certificate, or TLS spoken to a plain-HTTP port — or undefined for other errors.
 */
export function tlsFailure(code: string, message: string, origin: string): ConfigError | undefined {
  if (CERT_CODES.test(code)) {
    const hint =
      code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH"
        ? "check the host name in the endpoint URL: the certificate is for another name"
        : code.includes("EXPIRED") || code.includes("NOT_YET_VALID")
          ? "the server's certificate is out of date (or this machine's clock is wrong)"
          : "if the server uses a private or self-signed CA, pass its certificate with --ca-file <pem> (or NODE_EXTRA_CA_CERTS); verification cannot be turned off";
    return new ConfigError(`the TLS certificate of ${origin} was refused: ${message} (${code})`, {
      hint,
    });
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER") {
    return new ConfigError(`${origin} does not speak TLS: ${message}`, {
      hint: "if the server is plain HTTP, use an http:// URL",
    });
  }
  return undefined;
}
