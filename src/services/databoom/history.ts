import type { Context } from "../../context.js";
import type { BatchAdapter } from "../../bulk/batch-adapter.js";
import type { BulkSpec, PackedRecords, RecordBatch, RecordParser } from "../../bulk/records.js";
import type { BulkInputOptions, BulkRunOptions } from "../../bulk/run-bulk-command.js";
import { describeSegments } from "../../bulk/segments.js";
import { csvRows } from "./csv-rows.js";
import { ndjsonRows } from "./ndjson-rows.js";
import {
  buildHistoryRequest,
  historyBody,
  historyRequest,
  historyRows,
  interpretResponse,
  type DataboomTarget,
  type HistoryBody,
} from "./protocol.js";
import { formatOf, type HistoryFormat, type Row, type RowOptions } from "./rows.js";
import { resolveDataboomSettings } from "./settings.js";

/** What `databoom history` was asked to do. */
export interface DataboomHistoryOptions extends BulkInputOptions {
  /** `--format`; otherwise each input's extension says. */
  format: HistoryFormat | undefined;
  /** Most points in one request. */
  batchPoints: number;
  allowText: boolean;
  /** `--delimiter`: the CSV field separator (`,` when absent). */
  delimiter?: string;
  /** Connection fields passed as flags. */
  flags: Record<string, unknown>;
}

/**
 * Every input's format, known before anything is read or sent: `-` needs --format (checked
 * before stdin is claimed), and so does a file whose name does not say it (checked once the
 * globs are expanded).
 */
function formatCheck(options: DataboomHistoryOptions): Pick<BulkRunOptions, "checkSources"> {
  if (options.format) return {};
  if (options.inputs.includes("-")) formatOf({ kind: "stdin", name: "stdin" }, undefined);
  return {
    checkSources: (sources) => {
      for (const source of sources) formatOf(source, undefined);
    },
  };
}

/** Reads each input as its format says. */
function rowParser(format: HistoryFormat | undefined, options: RowOptions): RecordParser<Row> {
  const csv = csvRows(options);
  const ndjson = ndjsonRows(options);
  return (input) => {
    const which =
      format ??
      formatOf(
        { kind: input.source === "stdin" ? "stdin" : "file", name: input.source },
        undefined,
      );
    return which === "csv" ? csv(input) : ndjson(input);
  };
}

/**
 * Buffers of delivered bodies, for the next ones: a body waits for its request, long enough for
 * the collector to move it out of the young generation, where a new buffer per batch would then
 * pile up until a full collection (peak memory).
 */
class BodyBuffers {
  readonly #spare: Buffer[] = [];

  /**
   * The text of `parts` as bytes, in a spare buffer when one is large enough; `buffer` is what to
   * give back.
   */
  take(parts: readonly string[]): { body: Buffer; buffer: Buffer } {
    let size = 0;
    for (const part of parts) size += Buffer.byteLength(part);
    const at = this.#spare.findIndex((spare) => spare.length >= size);
    // Some room over the size: the next bodies are about as large, a few bytes more or less.
    const buffer =
      at === -1 ? Buffer.allocUnsafeSlow(size + (size >> 3)) : this.#spare.splice(at, 1)[0]!;
    let written = 0;
    for (const part of parts) written += buffer.write(part, written, "utf8");
    return { body: buffer.subarray(0, size), buffer };
  }

  /** A buffer no request reads any more. */
  give(buffer: Buffer): void {
    if (this.#spare.length < MAX_SPARE_BODIES) this.#spare.push(buffer);
  }
}

/** Spare body buffers kept: the requests in flight and the batch read ahead, with some margin. */
const MAX_SPARE_BODIES = 8;

/**
 * A complete batch of rows as its request body, no object per row or point. Bytes, not text: the
 * transport would make them of the text anyway, and the text's parts die young here.
 */
class PackedRows implements PackedRecords<Row> {
  readonly body: Buffer;
  readonly #buffers: BodyBuffers;
  #buffer: Buffer | undefined;
  readonly #signals: string[];
  /** `HistoryBody`'s numbers in typed arrays: outside the heap, nothing for the collector to copy. */
  readonly #order: Uint8Array | Uint16Array | Uint32Array;
  readonly #sizes: Uint8Array | Uint16Array | Uint32Array;
  constructor({ parts, signals, order, sizes }: HistoryBody, buffers: BodyBuffers) {
    const taken = buffers.take(parts);
    this.body = taken.body;
    this.#buffer = taken.buffer;
    this.#buffers = buffers;
    this.#signals = signals;
    this.#order = typedArrayOf(order);
    this.#sizes = typedArrayOf(sizes);
  }
  /** A row's weight is its number of points. */
  unpack(): { values: Row[]; weights: number[] } {
    const [order, sizes] = [Array.from(this.#order), Array.from(this.#sizes)];
    const values = historyRows({
      body: this.body.toString(),
      signals: this.#signals,
      order,
      sizes,
    });
    return { values, weights: sizes };
  }
  release(): void {
    if (this.#buffer) this.#buffers.give(this.#buffer);
    this.#buffer = undefined;
  }
}

/** Whole numbers from 0 in the smallest typed array that holds them. */
function typedArrayOf(numbers: number[]): Uint8Array | Uint16Array | Uint32Array {
  let max = 0;
  for (const n of numbers) if (n > max) max = n;
  if (max < 0x100) return Uint8Array.from(numbers);
  return max < 0x10000 ? Uint16Array.from(numbers) : Uint32Array.from(numbers);
}

/** One batch of rows → one request; Databoom's answer → delivered, perhaps with a warning. */
function rowsAdapter(target: DataboomTarget): BatchAdapter<RecordBatch<Row>> {
  return {
    build: (batch) => ({
      // Packed when complete; the halves of a batch split after a 413 are rows again.
      request:
        batch.packed instanceof PackedRows
          ? historyRequest(target, batch.packed.body)
          : buildHistoryRequest(target, batch.values),
      note: `${batch.weight} point${batch.weight === 1 ? "" : "s"}: ${describeSegments(batch.segments)}`,
    }),
    halveOn413: true,
    interpret(response) {
      const { warning } = interpretResponse(response);
      return warning ? { warned: warning } : {};
    },
  };
}

/** Streams CSV and NDJSON points to Databoom in batches of at most `batchPoints`. */
export async function runDataboomHistory(
  ctx: Context,
  options: DataboomHistoryOptions,
): Promise<void> {
  const check = formatCheck(options);
  const { runBulkCommand } = await import("../../bulk/run-bulk-command.js");
  await runBulkCommand<Row>(ctx, {
    ...options,
    ...check,
    // Settings are resolved once the inputs are known to be usable.
    spec: async (): Promise<BulkSpec<Row>> => {
      const target = await resolveDataboomSettings(ctx, options.flags);
      const buffers = new BodyBuffers();
      return {
        parse: rowParser(options.format, {
          allowText: options.allowText,
          ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
        }),
        // Rows stay whole: a wide row with more points than a batch goes alone in its request.
        limits: {
          maxWeight: options.batchPoints,
          maxRecords: Number.POSITIVE_INFINITY,
          hardWeight: Number.POSITIVE_INFINITY,
        },
        pack: (rows) => new PackedRows(historyBody(target.device, rows), buffers),
        ...rowsAdapter(target),
        words: { record: "row", records: "rows", weight: "points" },
        batchOption: "--batch-points",
      };
    },
  });
}
