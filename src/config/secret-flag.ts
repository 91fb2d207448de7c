import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { ConfigError, EvsendError, InterruptedError } from "../errors.js";
import { collectBounded } from "../input/open.js";
import { looksLikeSecret } from "./looks-like-secret.js";
import { expandHome, fsReason } from "./paths.js";
import { interrupted, MAX_SMALL_FILE_BYTES, readSmallFile } from "./read-small.js";

/** Where a `--<secret>-file` flag's secret could come from instead, for messages. */
export interface SecretFlagSite {
  /** The flag, e.g. `--token-file`. */
  flag: string;
  /** `EVSEND_<SERVICE>_<FIELD>`. */
  envName: string;
  /** `<service>.<key>` in a profile. */
  profileField: string;
}

/** Options for reading a `--<secret>-file` value. */
export interface SecretFlagOptions {
  /** stdin, for `-`; a function because opening process.stdin costs start-up (fs or tty streams). */
  stdin: () => Readable;
  cwd: string;
  homedir: string;
  /** Called before stdin is read, so a second reader of stdin is a usage error. */
  claimStdin?: (what: string) => void;
  /** Ctrl-C/SIGTERM: stop waiting for stdin or a FIFO (InterruptedError, exit 130). */
  signal?: AbortSignal;
}

/** All of stdin, at most 1 MiB; rejects at once when `signal` aborts, even if no byte ever comes. */
async function readStdin(stdin: Readable, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) throw new InterruptedError("interrupted while reading stdin");
  const onAbort = (): void => {
    stdin.destroy();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const chunks = (async function* () {
      for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
        yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      }
    })();
    return (await collectBounded(chunks, MAX_SMALL_FILE_BYTES)).toString("utf8");
  } catch (error) {
    throw interrupted(error, signal, "stdin");
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function ways(site: SecretFlagSite): string {
  return `${site.flag} <file>, ${site.flag} - (stdin), ${site.envName}, or ${site.profileField} in a profile`;
}

/**
 * Reads a secret passed as `--<secret>-file <path|->`: the file, or stdin for `-`, at most 1 MiB,
 * without trailing whitespace. `~` is expanded because `--token-file=~/x` reaches us unexpanded.
 * A value that could not be read and looks like a pasted secret is never echoed.
 */
export async function readSecretFlag(
  site: SecretFlagSite,
  path: string,
  options: SecretFlagOptions,
): Promise<string> {
  const { flag } = site;
  const what = path === "-" ? `${flag} - (stdin)` : `${flag} ${path}`;
  let text: string;
  try {
    if (path === "-") {
      options.claimStdin?.(`${flag} -`);
      text = await readStdin(options.stdin(), options.signal);
    } else {
      const file = resolve(options.cwd, expandHome(path, options.homedir));
      text = await readSmallFile(file, options.signal);
    }
  } catch (error) {
    // A second reader of stdin (exit 2) or Ctrl-C (130) is not a read failure.
    if (error instanceof EvsendError) throw error;
    if (path !== "-" && looksLikeSecret(path)) {
      throw new ConfigError(
        `cannot read ${flag}: its value is not a file and looks like a secret (not shown)`,
        {
          hint: `${flag} takes the path of a file that holds the secret; pass the secret as ${ways(site)}`,
        },
      );
    }
    throw new ConfigError(`cannot read ${what}: ${fsReason(error)}`, {
      hint: `${flag} takes a file that holds the secret, or - to read it from stdin`,
    });
  }
  const secret = text.trimEnd();
  if (secret === "")
    throw new ConfigError(`${what} is empty`, {
      hint: `${flag} takes a file that holds the secret`,
    });
  return secret;
}
