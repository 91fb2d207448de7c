import type { RecordEvent } from "../../src/bulk/records.js";

/** A parser's events one by one, whether it yields them singly or a chunk's together. */
export async function* eventsOf<V>(
  parsed: AsyncIterable<RecordEvent<V> | Array<RecordEvent<V>>>,
): AsyncGenerator<RecordEvent<V>> {
  for await (const item of parsed) {
    if (Array.isArray(item)) yield* item;
    else yield item;
  }
}
