import { markOf, PendingMarks, type InputMark } from "./acked.js";
import { emptyStats } from "./batcher.js";
import type { BatchInput } from "./batch-inputs.js";
import type { BatchStats } from "./batcher.js";
import type { BatchKind, BatchSource, EngineEvent } from "./engine.js";
import type {
  BulkSpec,
  BulkWords,
  RecordBatch,
  RecordEvent,
  RecordLimits,
  RecordSpec,
} from "./records.js";
import { addLine } from "./runs.js";
import { splitSegments, type Segment } from "./segments.js";
import { counted } from "../input/sources.js";

type Out<V> = EngineEvent<RecordBatch<V>>;

/** What `add` returns for a record that completed nothing. */
const NOTHING: readonly never[] = Object.freeze([]);

/** The batch being filled: its weights are kept (a 413 halves it by them). */
type OpenBatch<V> = RecordBatch<V> & { weights: number[] };

/** `12 points`, `1 row`: a weight in the words of the service. */
export function describeWeight(words: BulkWords, weight: number): string {
  if (words.weight) return `${weight} ${words.weight}`;
  return `${weight} ${weight === 1 ? words.record : words.records}`;
}

/**
 * Groups parsed records into batches under a service's limits, in input order; a batch may span
 * inputs, one segment per input, and ends before a rejected record (events stay in line order).
 * Holds one batch at most: memory is bounded by the limits, whatever the input size.
 */
export class RecordBatcher<V> {
  readonly #limits: RecordLimits;
  readonly #words: BulkWords;
  readonly #pack: RecordSpec<V>["pack"];
  #source = "";
  #stats: BatchStats | undefined;
  #segment: Segment | undefined;
  /** Where the last record taken ended: the next one starts there (blank lines before it too). */
  #lastEnd = 0;
  #batch: OpenBatch<V> = empty();
  #out: Out<V>[] = [];
  readonly #marks = new PendingMarks();
  /** How far the current input is covered by the open batch and the events so far, not yet a mark. */
  #end: number | undefined;
  /** The line the record that ends at `#end` starts on. */
  #endLine = 0;

  /** `pack`: how a complete batch is held (see `RecordSpec.pack`); as its values without it. */
  constructor(limits: RecordLimits, words: BulkWords, pack?: RecordSpec<V>["pack"]) {
    this.#limits = limits;
    this.#words = words;
    this.#pack = pack;
  }

  /** Starts the next input (its counters are updated in place), at `start` bytes when resumed. */
  begin(source: string, stats: BatchStats, start = 0): void {
    this.#markEnd();
    this.#source = source;
    this.#stats = stats;
    this.#segment = undefined;
    this.#lastEnd = start;
  }

  /** The input was read to its end: the next event covers all of it (for progress). */
  endInput(): void {
    this.#markEnd();
    if (this.#stats) this.#marks.note(markOf(this.#source, this.#stats, 0, true));
  }

  /** Takes one parser event; returns the batches and rejects it completed. */
  add(event: RecordEvent<V>): readonly Out<V>[] {
    const { maxWeight, maxRecords, hardWeight } = this.#limits;
    if (event.type === "rejected") this.#reject(event.line, event.end, event.reason);
    else if (event.weight > hardWeight) {
      const words = this.#words;
      this.#reject(
        event.line,
        event.end,
        `${words.record} of ${describeWeight(words, event.weight)} is over the limit of ` +
          `${describeWeight(words, hardWeight)} per request`,
      );
    } else if (event.weight > maxWeight) {
      // Heavier than a batch but within what the API takes: alone, in its own request.
      this.#flush();
      this.#put(event.line, event.value, event.weight, event.end);
      this.#flush();
    } else {
      const batch = this.#batch;
      const full = batch.values.length + 1 > maxRecords || batch.weight + event.weight > maxWeight;
      if (batch.values.length > 0 && full) this.#flush();
      this.#put(event.line, event.value, event.weight, event.end);
      if (this.#batch.values.length >= maxRecords) this.#flush();
    }
    return this.#drain();
  }

  /** No more input: the last batch. */
  end(): readonly Out<V>[] {
    this.#flush();
    return this.#drain();
  }

  #drain(): readonly Out<V>[] {
    const out = this.#out;
    // Most records complete nothing: no array is made for them.
    if (out.length === 0) return NOTHING;
    this.#out = [];
    return out;
  }

  #put(line: number, value: V, weight: number, end: number | undefined): void {
    const start = this.#lastEnd;
    this.#note(end, line);
    const batch = this.#batch;
    let segment = this.#segment;
    if (!segment) {
      segment = this.#segment = { source: this.#source, lines: [] };
      if (end !== undefined) segment.bytes = { start, end };
      batch.segments.push(segment);
    } else if (segment.bytes) {
      // A record whose end the parser did not give: the segment's range is not known.
      if (end === undefined) delete segment.bytes;
      else segment.bytes.end = end;
    }
    addLine(segment.lines, line);
    batch.values.push(value);
    batch.weights.push(weight);
    batch.weight += weight;
  }

  #reject(line: number, end: number | undefined, reason: string): void {
    if (this.#stats) this.#stats.rejected += 1;
    // The batch so far goes first: events stay in line order, so the ledger can merge lines as
    // they are recorded (its memory stays flat), and a batch never straddles a rejected record.
    this.#flush();
    const start = this.#lastEnd;
    this.#note(end, line);
    const range = end === undefined ? {} : { range: { start, end } };
    this.#out.push({
      type: "rejected",
      record: { source: this.#source, lineNumber: line, reason, ...range },
      marks: this.#takeMarks(),
    });
  }

  /**
   * The current input is covered up to `end` (the record that starts on `line` included) by the
   * events so far and the open batch. Only the latest counts: its mark is made when an event
   * takes the marks (not one object per record).
   */
  #note(end: number | undefined, line: number): void {
    if (end === undefined) return;
    this.#lastEnd = end;
    this.#end = end;
    this.#endLine = line;
  }

  #markEnd(): void {
    if (this.#end !== undefined && this.#stats)
      this.#marks.note(markOf(this.#source, this.#stats, this.#end, false, this.#endLine));
    this.#end = undefined;
  }

  #takeMarks(): InputMark[] {
    this.#markEnd();
    return this.#marks.take();
  }

  #flush(): void {
    const open = this.#batch;
    if (open.values.length === 0) return;
    // Packed, its records' objects (and their weights, which the packed form knows) die young:
    // only the packed form waits for the request.
    const batch: RecordBatch<V> = this.#pack
      ? {
          values: [],
          packed: this.#pack(open.values),
          segments: open.segments,
          weight: open.weight,
        }
      : open;
    this.#out.push({ type: "batch", batch, marks: this.#takeMarks() });
    this.#batch = empty();
    this.#segment = undefined;
  }
}

function empty<V>(): OpenBatch<V> {
  return { values: [], segments: [], weight: 0, weights: [] };
}

/** Halves a batch of two or more records where its weight passes the middle. */
export function splitRecordBatch<V>(batch: RecordBatch<V>): [RecordBatch<V>, RecordBatch<V>] {
  const unpacked = batch.packed?.unpack();
  const values = unpacked?.values ?? batch.values;
  const weights =
    unpacked?.weights ?? batch.weights ?? values.map(() => batch.weight / values.length);
  let cut = 1;
  let sum = weights[0] ?? 0;
  while (cut < weights.length - 1 && sum + (weights[cut] ?? 0) <= batch.weight / 2) {
    sum += weights[cut] ?? 0;
    cut += 1;
  }
  const [head, tail] = splitSegments(batch.segments, cut);
  const half = (from: number, to: number, segments: Segment[]): RecordBatch<V> => {
    const part = weights.slice(from, to);
    return {
      values: values.slice(from, to),
      segments,
      weight: part.reduce((a, b) => a + b, 0),
      weights: part,
    };
  };
  return [half(0, cut, head), half(cut, weights.length, tail)];
}

/** Record batches under `spec`'s limits, as the delivery sees them. */
export function recordKind<V>(spec: BulkSpec<V>): BatchKind<RecordBatch<V>> {
  const { words, limits } = spec;
  const describe = (n: number): string => describeWeight(words, n);
  const finite = Number.isFinite(limits.maxWeight);
  return {
    record: words.record,
    size: (batch) => batch.weight,
    split: splitRecordBatch,
    release: (batch) => batch.packed?.release?.(),
    // Batching services build the next batch while one is in flight (their batches cost CPU to
    // build). One event per request (Eventhos, Guance) does not read ahead: a line costs little,
    // and a stop leaves no event read but not sent.
    readAhead: limits.maxRecords > 1,
    units: {
      // A batch of one record per request has no floor: a 413 rejects that record, the run goes on.
      floor: finite ? Math.floor(limits.maxWeight / 8) : 0,
      describeSize: describe,
      shortSize: describe,
      batchLimit: finite ? describe(limits.maxWeight) : `${limits.maxRecords} ${words.records}`,
      floorRule: `1/8 of ${spec.batchOption ?? "the batch size"}`,
      option: spec.batchOption ?? "the batch size",
    },
  };
}

/** Passes chunks through up to the last newline; the bytes after it are never passed on. */
export async function* holdingBack(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  for await (const chunk of chunks) {
    const nl = chunk.lastIndexOf(10);
    if (nl === -1) {
      held.push(Buffer.from(chunk));
      continue;
    }
    for (const piece of held) yield piece;
    held = [];
    yield chunk.subarray(0, nl + 1);
    if (nl + 1 < chunk.length) held.push(Buffer.from(chunk.subarray(nl + 1)));
  }
}

/**
 * The records of one input as the batcher takes them (one event, or the events of a parsed
 * slice). Resuming (`start`), the input is parsed from its start (a CSV header is needed, and line
 * numbers stay those of the file) and the records that end at or before `start.bytes` — delivered
 * by an earlier run — are skipped, not counted as read.
 */
async function* recordsOf<V>(
  input: BatchInput,
  spec: BulkSpec<V>,
): AsyncGenerator<RecordEvent<V> | Array<RecordEvent<V>>> {
  let chunks = input.holdBack ? holdingBack(input.chunks) : input.chunks;
  // The parser counts records; the engine counts the bytes.
  chunks = counted(chunks, (bytes) => (input.stats.bytesRead += bytes));
  const skip = input.start?.bytes ?? 0;
  const stats = skip > 0 ? emptyStats() : input.stats;
  const parsed = spec.parse({ source: input.source, chunks, stats });
  if (skip === 0) return yield* parsed;
  let emptyBefore: number | undefined;
  for await (const events of parsed) {
    const kept: Array<RecordEvent<V>> = [];
    for (const event of Array.isArray(events) ? events : [events]) {
      if (event.end !== undefined && event.end <= skip) continue;
      emptyBefore ??= stats.emptyLines;
      input.stats.records += 1;
      input.stats.emptyLines = stats.emptyLines - emptyBefore;
      kept.push(event);
    }
    if (kept.length > 0) yield kept;
  }
}

/** Reads the inputs in order through the service's parser and batches the records. */
async function* batchRecords<V>(
  inputs: Iterable<BatchInput>,
  spec: BulkSpec<V>,
): AsyncGenerator<Out<V>> {
  const batcher = new RecordBatcher<V>(spec.limits, spec.words, spec.pack?.bind(spec));
  for (const input of inputs) {
    batcher.begin(input.source, input.stats, input.start?.bytes);
    for await (const parsed of recordsOf(input, spec)) {
      // Not `yield*` per record: in an async generator it is an iterator and an await even for
      // the records that complete nothing (most of them).
      if (!Array.isArray(parsed)) for (const out of batcher.add(parsed)) yield out;
      else for (const event of parsed) for (const out of batcher.add(event)) yield out;
    }
    batcher.endInput();
    input.onEnd?.();
  }
  yield* batcher.end();
}

/** The batches of a record-based service: its parser and limits. */
export function recordEngine<V>(spec: BulkSpec<V>): BatchSource<RecordBatch<V>> {
  return {
    kind: recordKind(spec),
    resumeBy: "records",
    batches: (inputs) => batchRecords(inputs, spec),
  };
}
