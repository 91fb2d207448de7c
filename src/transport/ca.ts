import { ConfigError } from "../errors.js";
import { readBounded } from "../input/open.js";
import type { TlsOptions } from "./tls.js";

// CA certificates for --ca-file. Loaded with undici, on the first request (src/transport/client.ts);
// node:crypto and node:tls (several milliseconds of start-up) only when a CA file is given.

/** A CA bundle is a few hundred KiB; more is not a certificate file. */
const CA_FILE_LIMIT = 16 * 1024 * 1024;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The PEM certificates in `text`, each checked; a file without one is a mistake, not a no-op. */
export async function pemCertificates(text: string, what: string): Promise<string[]> {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(`${what} holds no PEM certificate`, {
      hint: "give a file with one or more -----BEGIN CERTIFICATE----- blocks (the CA that signed the server's certificate)",
    });
  }
  const { X509Certificate } = await import("node:crypto");
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new ConfigError(
        `${what}: certificate ${i + 1} is not valid: ${(error as Error).message}`,
        { hint: "export the CA certificate again in PEM format" },
      );
    }
  });
  return blocks;
}

async function readCertificates(file: string, what: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(file, CA_FILE_LIMIT);
  } catch (error) {
    throw new ConfigError(`cannot read ${what}: ${(error as Error).message}`, {
      hint: "pass a readable PEM file",
      cause: error,
    });
  }
  return pemCertificates(bytes.toString("utf8"), what);
}

/**
 * TLS options for every connection. Verification is always on: `rejectUnauthorized: true` is
 * explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn it off. With `--ca-file`, the trusted
 * set is Node's roots plus NODE_EXTRA_CA_CERTS plus the file (an explicit `ca` replaces Node's
 * defaults, so they are listed again); without it, Node applies NODE_EXTRA_CA_CERTS itself.
 */
export async function tlsOptions(env: NodeJS.ProcessEnv, caFile?: string): Promise<TlsOptions> {
  if (!caFile) return { rejectUnauthorized: true };
  const extra = env.NODE_EXTRA_CA_CERTS
    ? await readCertificates(
        env.NODE_EXTRA_CA_CERTS,
        `NODE_EXTRA_CA_CERTS ${env.NODE_EXTRA_CA_CERTS}`,
      )
    : [];
  const own = await readCertificates(caFile, `--ca-file ${caFile}`);
  const { rootCertificates } = await import("node:tls");
  return { rejectUnauthorized: true, ca: [...rootCertificates, ...extra, ...own] };
}
