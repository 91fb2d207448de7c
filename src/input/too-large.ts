import { RejectedError } from "../errors.js";
import { formatBytes } from "../parse.js";

/** A 413 is taken as a size limit only for bodies of at least this much (and 1/8 of a batch). */
const FLOOR_CAP = 1024 * 1024;

function size(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`;
}

/**
 * What the server's 413 answers say about its body limit. A refused batch is halved and both
 * halves sent, so a proxy with a smaller limit than the batch size still gets everything; and a
 * batch at least as large as one already refused is halved before it is sent. But a 413 for a
 * body under the floor — 1/8 of the batch size, at most 1 MiB — is not a size limit anyone sets
 * on purpose (or not one worth ~2 requests per line to work around): the run stops there, with
 * what the server accepted and refused. Sizes are of the uncompressed body.
 */
export class TooLargeTracker {
  /** Bodies under this many bytes refused with 413 stop the run. */
  readonly floor: number;
  readonly #batchBytes: number;
  #largestAccepted = 0;
  #smallestRefused = Infinity;

  constructor(batchBytes: number) {
    this.#batchBytes = batchBytes;
    this.floor = Math.min(FLOOR_CAP, Math.floor(batchBytes / 8));
  }

  /** Whether a body this large was already refused (bodies at least this large will be too). */
  known(bytes: number): boolean {
    return bytes >= this.#smallestRefused;
  }

  /** A body the server took. */
  accepted(bytes: number): void {
    this.#largestAccepted = Math.max(this.#largestAccepted, bytes);
  }

  /** A body the server refused with 413: the error that stops the run, or undefined to split. */
  refused(bytes: number): RejectedError | undefined {
    this.#smallestRefused = Math.min(this.#smallestRefused, bytes);
    if (bytes >= this.floor) return undefined;
    const accepted = this.#largestAccepted;
    return new RejectedError(
      `the server refused a ${size(bytes)} request body as too large (HTTP 413), far under the ` +
        `batch size of ${formatBytes(this.#batchBytes)}: largest body accepted ` +
        `${accepted > 0 ? size(accepted) : "none"}, smallest refused ${size(this.#smallestRefused)}`,
      {
        hint:
          `evsend halves a refused batch only down to ${formatBytes(this.floor)} (1/8 of ` +
          `--batch-size, at most 1 MB); if the server or a proxy in front of it really limits ` +
          `bodies to less, lower --batch-size under ${formatBytes(this.#smallestRefused)}`,
      },
    );
  }
}
