import type { Writable } from "node:stream";
import type { OutStream } from "./streams.js";
import { formatBytes } from "../units.js";

/** A live status line: an ora spinner on a terminal, nothing elsewhere. */
export interface Progress {
  update(text: string): void;
  /** Removes the line (before other text is written). */
  clear(): void;
  /** Draws it again. */
  render(): void;
  stop(): void;
}

/** The status line where none is shown (not a terminal, --quiet, --json). */
export const NO_PROGRESS: Progress = {
  update() {},
  clear() {},
  render() {},
  stop() {},
};

/**
 * Starts a spinner on `stream` when enabled (ora is loaded only then). A spinner is enabled only
 * on a terminal, whose stream is Node's own (output/stdio.ts) or, in a test, a Writable.
 */
export async function createProgress(
  text: string,
  options: { stream: OutStream; enabled: boolean },
): Promise<Progress> {
  if (!options.enabled) return NO_PROGRESS;
  const { default: ora } = await import("ora");
  const stream = options.stream as unknown as Writable;
  const spinner = ora({ text, stream, discardStdin: false }).start();
  return {
    update(next) {
      spinner.text = next;
    },
    clear() {
      spinner.clear();
    },
    render() {
      spinner.render();
    },
    stop() {
      spinner.stop();
    },
  };
}

/**
 * What a bulk run's status line shows; all counts so far, of what the service settled (accepted,
 * or rejected for good), never of what was read ahead of it.
 */
export interface BulkProgressFacts {
  files: number;
  /** Inputs whose every record was settled. */
  finishedFiles: number;
  /** Records settled, and their word ("lines", "rows"). */
  records: number;
  recordsWord: string;
  /** Bytes of the inputs (decompressed) up to which every record was settled. */
  bytesDone: number;
  /** The same in bytes as stored (compressed), and the inputs' total when every size is known. */
  storedDone: number;
  totalBytes: number | undefined;
  elapsedMs: number;
  inFlight: number;
}

/** `42s`, `3m05s`, `1h02m`: an ETA, rounded up to whole seconds. */
export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * The spinner text of a bulk run, counting what the service settled: files, records, bytes, rate,
 * requests in flight — and, when the total size is known (regular files, gzip ones too: progress
 * is counted on the bytes as stored), the percentage and an ETA from the delivery rate so far
 * (under --rate, the paced rate). Pure, for tests.
 */
export function formatBulkProgress(p: BulkProgressFacts): string {
  const seconds = Math.max(p.elapsedMs / 1000, 0.001);
  const parts = [
    `${p.finishedFiles}/${p.files} file${p.files === 1 ? "" : "s"}`,
    `${p.records} ${p.recordsWord}`,
    formatBytes(p.bytesDone),
    `${formatBytes(p.bytesDone / seconds)}/s`,
  ];
  if (p.totalBytes !== undefined && p.totalBytes > 0) {
    const done = Math.min(p.storedDone, p.totalBytes);
    parts.push(`${Math.floor((done / p.totalBytes) * 100)}% of ${formatBytes(p.totalBytes)}`);
    // Too early, or nothing settled yet: no rate to extrapolate from.
    if (done > 0 && p.elapsedMs >= 1000) {
      parts.push(`ETA ${formatEta(((p.totalBytes - done) / done) * p.elapsedMs)}`);
    }
  }
  parts.push(`${p.inFlight} in flight`);
  return parts.join(" · ");
}
