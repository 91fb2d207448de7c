/**
 * `--state`: per input file, how far everything was delivered. A run starts each file where the
 * last one left it (recognising the file by device, inode and its first bytes, whatever its name
 * now), moves the checkpoint only as the service settles batches in order, and writes the state
 * after each move. See README › Checkpoints.
 */
import { InputError, UsageError } from "../../errors.js";
import type { InputSource } from "../../input/sources.js";
import type { AckedInput } from "../acked.js";
import type { ResumeBy } from "../engine.js";
import { fingerprintOf, identify, type FileIdentity } from "./identify.js";
import { lockState, type StateLock } from "./lock.js";
import {
  loadState,
  writeState,
  writeStateNow,
  STATE_VERSION,
  type FileCheckpoint,
  type StateDocument,
} from "./state-file.js";

/** Where a run starts reading one input, and the identity it must still have when opened. */
export interface ResumePoint {
  /** Offset (of the input as read, decompressed) and lines before it. */
  bytes: number;
  lines: number;
  identity: FileIdentity;
}

interface Live {
  entry: FileCheckpoint;
  identity: FileIdentity;
  /** Marks of this run count from here (`offset`), or from the file's start (`records`). */
  base: number;
}

/** The checkpoints of one `--state` file, locked for this run. */
export class Checkpoints {
  readonly path: string;
  readonly #lock: StateLock;
  readonly #previous: StateDocument;
  /** How the engine resumes (the runner sets it once the service's engine is known). */
  resumeBy: ResumeBy;
  readonly #live = new Map<string, Live>();
  /** Every input was planned: the state may be written (a partial plan would forget files). */
  #planned = false;
  #failure: Error | undefined;

  constructor(path: string, lock: StateLock, previous: StateDocument, resumeBy: ResumeBy) {
    this.path = path;
    this.#lock = lock;
    this.#previous = previous;
    this.resumeBy = resumeBy;
  }

  /** Locks and reads the state at `path` (absolute); a missing file is an empty state. */
  static async open(path: string, resumeBy: ResumeBy): Promise<Checkpoints> {
    const lock = await lockState(path);
    try {
      return new Checkpoints(path, lock, await loadState(path), resumeBy);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The pid of a killed evsend whose lock this run took over, if any. */
  get staleOwner(): number | undefined {
    return this.#lock.staleOwner;
  }

  /**
   * Where to start each input, in order; `warn` is told of files that were truncated or replaced
   * since the last run (read from their start) and of rotated files that are not among the
   * inputs. stdin (or a pipe) has no offsets: a usage error.
   */
  async plan(sources: readonly InputSource[], warn: (message: string) => void) {
    const points = new Map<InputSource, ResumePoint>();
    for (const source of sources) {
      const identity = source.path === undefined ? undefined : await identify(source.path);
      if (source.kind === "stdin" || !identity) {
        throw new UsageError(`--state needs files: ${source.name} is not a regular file`, {
          hint: "a checkpoint is an offset in a file; send stdin or a pipe without --state",
        });
      }
      points.set(source, this.#start(source, identity, warn));
    }
    this.#warnRotated(sources, warn);
    this.#planned = true;
    return points;
  }

  #start(source: InputSource, identity: FileIdentity, warn: (m: string) => void): ResumePoint {
    const known = this.#previous.files.find((f) => f.id === identity.id);
    let bytes = 0;
    let lines = 0;
    if (known && known.offset > 0) {
      const head = identity.head.subarray(0, known.fingerprintBytes);
      if (!identity.gzip && identity.size < known.offset) {
        warn(
          `${source.name}: it shrank below the checkpoint (${known.offset} bytes; truncated, as ` +
            "by copytruncate); reading it from the start",
        );
      } else if (
        head.length < known.fingerprintBytes ||
        fingerprintOf(head) !== known.fingerprint
      ) {
        warn(
          `${source.name}: its start changed since the checkpoint (a new file in the old one's ` +
            "place); reading it from the start",
        );
      } else {
        bytes = known.offset;
        lines = known.lines;
      }
    }
    const entry: FileCheckpoint = {
      path: source.path ?? source.name,
      id: identity.id,
      fingerprint: "",
      fingerprintBytes: 0,
      offset: bytes,
      lines,
      updatedAt: known && bytes > 0 ? known.updatedAt : new Date().toISOString(),
    };
    this.#sign(entry, identity);
    const base = this.resumeBy === "offset" ? bytes : 0;
    this.#live.set(source.name, { entry, identity, base });
    return { bytes, lines, identity };
  }

  /** A file checkpointed last time under a path that now holds another file, and absent here. */
  #warnRotated(sources: readonly InputSource[], warn: (message: string) => void): void {
    const ids = new Set([...this.#live.values()].map((l) => l.identity.id));
    for (const old of this.#previous.files) {
      if (ids.has(old.id)) continue;
      const now = [...this.#live.values()].find((l) => l.entry.path === old.path);
      if (!now) continue;
      warn(
        `${sources.find((s) => s.path === old.path)?.name ?? old.path} was rotated since the ` +
          "last run: lines written to the old file after that run are sent only if its new " +
          "name is among the inputs (e.g. 'app.log*')",
      );
    }
  }

  /** The fingerprint covers what was delivered (at most its first KiB), which must not change. */
  #sign(entry: FileCheckpoint, identity: FileIdentity): void {
    const length = identity.gzip
      ? identity.head.length
      : Math.min(identity.head.length, entry.offset);
    entry.fingerprintBytes = length;
    entry.fingerprint = fingerprintOf(identity.head.subarray(0, length));
  }

  /** The service settled `source` up to `acked`: the checkpoint moves there, then is saved. */
  advance(source: string, acked: AckedInput): void {
    const live = this.#live.get(source);
    if (!live || !this.#planned) return;
    const offset = live.base + acked.bytes;
    if (offset <= live.entry.offset) return;
    live.entry.offset = offset;
    if (acked.lines !== undefined) live.entry.lines = acked.lines;
    live.entry.updatedAt = new Date().toISOString();
    this.#sign(live.entry, live.identity);
    this.#save();
  }

  /** Where `source` was delivered up to (absolute offset), and where this run started it. */
  offsets(source: string): { startOffset: number; deliveredOffset: number } | undefined {
    const live = this.#live.get(source);
    if (!live) return undefined;
    return { startOffset: live.base, deliveredOffset: live.entry.offset };
  }

  /**
   * Writes the state at once (synchronously: a few dozen microseconds for a small file), so that
   * it never lags behind what was delivered: a crash resends at most the batches in flight.
   */
  #save(): void {
    if (this.#failure) return;
    try {
      writeStateNow(this.path, this.#document());
    } catch (error) {
      this.#failure = error as Error;
    }
  }

  #document(): StateDocument {
    return {
      kind: "evsend-checkpoints",
      version: STATE_VERSION,
      files: [...this.#live.values()].map((l) => ({ ...l.entry })),
    };
  }

  /**
   * Saves the final state and releases the lock. Files of the last run that were not among this
   * run's inputs are forgotten. A state that could not be written is an error.
   */
  async close(): Promise<void> {
    try {
      if (!this.#failure && this.#planned) {
        // The last write also reaches the disk (fsync), for a power failure after the run.
        await writeState(this.path, this.#document()).catch((error: unknown) => {
          this.#failure = error as Error;
        });
      }
      if (this.#failure) {
        const code = (this.#failure as NodeJS.ErrnoException).code;
        throw new InputError(
          `could not save the state file ${this.path}: ${code ?? this.#failure.message}`,
          {
            hint: "the next run resends what was delivered since the last save; check the disk",
            cause: this.#failure,
          },
        );
      }
    } finally {
      await this.#lock.release();
    }
  }
}

/**
 * Where each file would resume, from the state at `path`, without locking or writing it (a dry
 * run shows what the next run would send).
 */
export async function planReadOnly(
  path: string,
  sources: readonly InputSource[],
  warn: (message: string) => void,
): Promise<Map<InputSource, ResumePoint>> {
  const previous = await loadState(path);
  const reader = new Checkpoints(path, { path, release: async () => {} }, previous, "offset");
  return reader.plan(sources, warn);
}
