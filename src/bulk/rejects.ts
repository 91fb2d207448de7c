/**
 * `--rejects <path>`: records that can never be delivered (too long, invalid, refused as too large
 * alone, in a batch the service refused for good), appended as they were read so that the same
 * command can send the file again once fixed. Copied from the input file by their byte range, synchronously, before the checkpoint
 * moves past them: a crash never loses one.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { InputError } from "../errors.js";
import type { RejectedRecord } from "./batcher.js";

/** Bytes copied at a time: a rejected line may be longer than any batch. */
const COPY_BYTES = 1024 * 1024;

/** Where a rejected record's input is, and where this run's offsets count from. */
export interface RejectSource {
  /** The file's path; undefined for stdin. */
  path: string | undefined;
  /** Offsets of the record's range count from here in the file. */
  base: number;
}

/** An input file kept open to copy rejects from. */
interface OpenInput {
  path: string;
  fd: number;
  ino: number;
  dev: number;
  gzipped: boolean;
}

/** The rejects file of one run. */
export class RejectsFile {
  readonly path: string;
  /** Records appended. */
  appended = 0;
  /** Records that could not be copied (a compressed input, no known range). */
  notCopied = 0;
  readonly #fd: number;
  #buffer: Buffer | undefined;
  /**
   * The input last copied from, kept open: inputs are read one after the other, so a run of
   * rejects from one file opens it (and checks whether it is compressed) once.
   */
  #input: OpenInput | undefined;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Opens (creates, mode 0600) `path` for appending. */
  static open(path: string): RejectsFile {
    try {
      return new RejectsFile(path, openSync(path, "a", 0o600));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(`cannot open the rejects file ${path}: ${code ?? error}`, {
        hint: "check the path given to --rejects and its directory's permissions",
        cause: error,
      });
    }
  }

  /** Appends the record's bytes as read (with a final newline); false when it cannot be copied. */
  copy(record: RejectedRecord, source: RejectSource): boolean {
    return this.copyRange(record.range, source, 1);
  }

  /**
   * Appends the bytes of `records` records as read, from `range` (with a final newline); false
   * when they cannot be copied (no known range, stdin, a compressed input): counted as not copied.
   */
  copyRange(
    range: { start: number; end: number } | undefined,
    source: RejectSource,
    records: number,
  ): boolean {
    if (!range || source.path === undefined) return this.#missed(records);
    const input = this.#open(source.path);
    if (input.gzipped) return this.#missed(records);
    const buffer = (this.#buffer ??= Buffer.allocUnsafe(COPY_BYTES));
    let at = source.base + range.start;
    const end = source.base + range.end;
    let last = 10;
    while (at < end) {
      const n = readSync(input.fd, buffer, 0, Math.min(buffer.length, end - at), at);
      if (n === 0) break;
      writeAll(this.#fd, buffer.subarray(0, n));
      last = buffer[n - 1] ?? 10;
      at += n;
    }
    if (last !== 10) writeAll(this.#fd, Buffer.from("\n"));
    this.appended += records;
    return true;
  }

  /**
   * The input at `path`, opened once while its rejects come one after the other (and again when
   * another file took that path, as a rotation under --follow does).
   */
  #open(path: string): OpenInput {
    const kept = this.#input;
    if (kept?.path === path) {
      const now = statSync(path, { throwIfNoEntry: false });
      if (now && now.ino === kept.ino && now.dev === kept.dev) return kept;
    }
    this.#closeInput();
    const fd = openSync(path, "r");
    const { ino, dev } = fstatSync(fd);
    this.#input = { path, fd, ino, dev, gzipped: isGzipped(fd) };
    return this.#input;
  }

  #closeInput(): void {
    if (this.#input) closeSync(this.#input.fd);
    this.#input = undefined;
  }

  #missed(records: number): false {
    this.notCopied += records;
    return false;
  }

  close(): void {
    this.#closeInput();
    closeSync(this.#fd);
  }
}

function isGzipped(fd: number): boolean {
  const magic = Buffer.alloc(2);
  return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
}
