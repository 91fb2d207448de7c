import { RejectedError } from "../errors.js";
import { formatBytes } from "../units.js";

/** A 413 is taken as a size limit only for bodies of at least this much (and 1/8 of a batch). */
const FLOOR_CAP = 1024 * 1024;

/** A byte count as the 413 messages show it: `5.1 KiB (5210 bytes)`. */
export function describeBytes(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`;
}

/** The floor of byte-sized batches: 1/8 of the batch size, at most 1 MiB. */
export function byteFloor(batchBytes: number): number {
  return Math.min(FLOOR_CAP, Math.floor(batchBytes / 8));
}

/** How sizes are measured and named; bytes of `--batch-size` unless told otherwise. */
export interface TooLargeUnits {
  floor: number;
  /** A size in the message, e.g. `5.1 KiB (5210 bytes)` or `300 points`. */
  describeSize(size: number): string;
  /** A size in the hint, e.g. `5.1 KiB`. */
  shortSize(size: number): string;
  /** The batch limit, e.g. `4.0 MiB` or `5000 points`. */
  batchLimit: string;
  /** How the floor is set, e.g. `1/8 of --batch-size, at most 1 MB`. */
  floorRule: string;
  /** The flag that lowers the batch limit. */
  option: string;
}

/** The units of Devo's byte batches of `batchBytes`. */
export function byteUnits(batchBytes: number, option = "--batch-size"): TooLargeUnits {
  return {
    floor: byteFloor(batchBytes),
    describeSize: describeBytes,
    shortSize: formatBytes,
    batchLimit: formatBytes(batchBytes),
    floorRule: `1/8 of ${option}, at most 1 MiB`,
    option,
  };
}

/**
 * What the server's 413 answers say about its body limit. A refused batch is halved and both
 * halves sent, so a proxy with a smaller limit than the batch size still gets everything; and a
 * batch at least as large as one already refused is halved before it is sent. But a 413 for a
 * body under the floor — for bytes 1/8 of the batch size, at most 1 MiB — is not a size limit
 * anyone sets on purpose (or not one worth ~2 requests per line to work around): the run stops
 * there, with what the server accepted and refused. Sizes are of the uncompressed body (or the
 * records' weight, for record batches).
 */
export class TooLargeTracker {
  /** Bodies under this size refused with 413 stop the run. */
  readonly floor: number;
  readonly #units: TooLargeUnits;
  #largestAccepted = 0;
  #smallestRefused = Infinity;

  /** `units`: a batch size in bytes, or how record batches are measured. */
  constructor(units: number | TooLargeUnits) {
    this.#units = typeof units === "number" ? byteUnits(units) : units;
    this.floor = this.#units.floor;
  }

  /** Whether a body this large was already refused (bodies at least this large will be too). */
  known(size: number): boolean {
    return size >= this.#smallestRefused;
  }

  /** A body the server took. */
  accepted(size: number): void {
    this.#largestAccepted = Math.max(this.#largestAccepted, size);
  }

  /** A body the server refused with 413: the error that stops the run, or undefined to split. */
  refused(size: number): RejectedError | undefined {
    this.#smallestRefused = Math.min(this.#smallestRefused, size);
    if (size >= this.floor) return undefined;
    const { describeSize, shortSize, batchLimit, floorRule, option } = this.#units;
    const accepted = this.#largestAccepted;
    return new RejectedError(
      `the server refused a ${describeSize(size)} request body as too large (HTTP 413), far under the ` +
        `batch size of ${batchLimit}: largest body accepted ` +
        `${accepted > 0 ? describeSize(accepted) : "none"}, smallest refused ${describeSize(this.#smallestRefused)}`,
      {
        hint:
          `evsend halves a refused batch only down to ${shortSize(this.floor)} (${floorRule}); ` +
          `if the server or a proxy in front of it really limits bodies to less, lower ${option} ` +
          `under ${shortSize(this.#smallestRefused)}`,
      },
    );
  }
}
