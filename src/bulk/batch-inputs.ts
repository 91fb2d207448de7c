import type { BatchEvent, BatcherOptions } from "./batcher.js";
import { LineBatcher } from "./line-batcher.js";
import type { BatchInput } from "./types.js";

export type { BatchInput, DirectRead } from "./types.js";

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
