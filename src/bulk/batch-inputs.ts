import type { BatchEvent, BatcherOptions, BatchStats } from "./batcher.js";
import { LineBatcher } from "./line-batcher.js";

/** Reads the next bytes of an input into `buffer[offset, offset + length)`; 0 at its end. */
export type DirectRead = (buffer: Buffer, offset: number, length: number) => Promise<number>;

/** One input for `batchInputs`. */
export interface BatchInput {
  source: string;
  /** Counters of this input, updated in place as it is read. */
  stats: BatchStats;
  /** Its bytes; the buffer of a chunk may be reused once the next one is asked for. */
  chunks: AsyncIterable<Buffer>;
  /**
   * For an uncompressed regular file, once its first chunk was read: a reader of the rest,
   * straight into the caller's buffer (it shares the chunks' position, so the two may
   * alternate). Undefined before the first chunk and for any other input.
   */
  direct?(): DirectRead | undefined;
  /** Called once the input was read to its end. */
  onEnd?(): void;
  /**
   * Where this run starts in the input (a checkpoint): its chunks begin `bytes` into it (line
   * engine) or at its start with the records before `bytes` skipped (record engine).
   */
  start?: { bytes: number; lines: number };
  /** A last line without a newline is held back (the file may still grow: `--state`). */
  holdBack?: boolean;
}

/** Batches one input: read straight into the batch being filled where it can, else by chunks. */
async function* batchOne(batcher: LineBatcher, input: BatchInput): AsyncGenerator<BatchEvent> {
  const chunks = input.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const read = input.direct?.();
      const space = read && batcher.space();
      if (read && space) {
        const bytes = await read(space.buffer, space.offset, space.length);
        if (bytes === 0) break;
        yield* batcher.filled(bytes);
        continue;
      }
      const next = await chunks.next();
      if (next.done) break;
      yield* batcher.push(next.value);
    }
  } finally {
    // Closes the input (a no-op once the chunks ended by themselves).
    await chunks.return?.();
  }
}

/**
 * Reads the inputs one after the other (each opened only when reached, through the lazy
 * iterable) and yields batches and rejects, in input order; a batch may span inputs. Pulls input
 * only as needed: a consumer that stops early stops the reading (and closes the input).
 */
export async function* batchInputs(
  inputs: Iterable<BatchInput>,
  options: BatcherOptions,
): AsyncGenerator<BatchEvent> {
  const batcher = new LineBatcher(options);
  for (const input of inputs) {
    batcher.begin(input.source, input.stats, input.start, input.holdBack);
    yield* batchOne(batcher, input);
    yield* batcher.endInput();
    input.onEnd?.();
  }
  yield* batcher.end();
}
