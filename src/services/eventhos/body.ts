import { isUtf8 } from "node:buffer";
import { resolve } from "node:path";
import { addAbortSignal } from "node:stream";
import { fsReason } from "../../config/paths.js";
import type { Context } from "../../context.js";
import { InputError, InterruptedError, UsageError } from "../../errors.js";
import { checkJson, jsonKind } from "../../input/json-error.js";
import { collectBounded, readBounded, TooLargeError } from "../../input/open.js";
import { formatBytes } from "../../units.js";
import { WARN_BODY_BYTES } from "./protocol.js";

/** Where `eventhos send` takes its one event from. */
export interface BodyOptions {
  /** The `[json]` argument; `-` means stdin. */
  argument?: string;
  /** `--data-file <path|->`. */
  dataFile?: string;
  /** `--max-body`: larger events are refused before anything is sent. */
  maxBody: number;
}

/** One checked event: its bytes as sent (a BOM removed) and where it came from, for messages. */
export interface EventBody {
  bytes: Buffer;
  from: string;
}

/** Why a text is not an Eventhos event: a syntax error (with where), or the wrong top level. */
export interface EventProblem {
  /** Set for a syntax error. */
  at?: { line: number; column: number };
  reason: string;
}

/** Undefined when `text` is an Eventhos event: valid JSON whose top level is an object or array. */
export function eventProblem(text: string): EventProblem | undefined {
  const checked = checkJson(text);
  if (!checked.ok) {
    const { line, column, reason } = checked.problem;
    return { at: { line, column }, reason };
  }
  if (typeof checked.value === "object" && checked.value !== null) return undefined;
  return { reason: `must be a JSON object or array, not ${jsonKind(checked.value)}` };
}

function tooLarge(from: string, maxBody: number): InputError {
  return new InputError(`the event in ${from} is over --max-body (${formatBytes(maxBody)})`, {
    hint: "Eventhos stores each event in one database row and fails above a few MiB; raise --max-body only if your server takes it",
  });
}

async function readStdin(ctx: Context, maxBody: number): Promise<Buffer> {
  const { stdin, signal } = ctx.runtime;
  if (signal.aborted) throw new InterruptedError();
  addAbortSignal(signal, stdin);
  try {
    return await collectBounded(stdin as AsyncIterable<Buffer>, maxBody);
  } catch (error) {
    if (signal.aborted) throw new InterruptedError("interrupted while reading the event");
    throw error;
  }
}

async function readSource(ctx: Context, options: BodyOptions, from: string): Promise<Buffer> {
  const { argument, dataFile, maxBody } = options;
  try {
    if (argument !== undefined && argument !== "-") return Buffer.from(argument);
    if (dataFile !== undefined && dataFile !== "-")
      return await readBounded(resolve(ctx.runtime.cwd, dataFile), maxBody, ctx.runtime.signal);
    ctx.claimStdin("the event");
    return await readStdin(ctx, maxBody);
  } catch (error) {
    if (error instanceof TooLargeError) throw tooLarge(from, maxBody);
    if (ctx.runtime.signal.aborted) throw new InterruptedError();
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`cannot read ${from}: ${fsReason(error)}`, { cause: error });
    throw error;
  }
}

/** A file name given where the JSON itself goes: `order.json`, `./events/a.ndjson`. */
const LOOKS_LIKE_PATH = /^[\w./~-]*\.\w+$|^[\w.~-]*\//;

/** The hint for invalid JSON: a file name given as the argument gets the flag that reads it. */
function pathHint(argument: string | undefined): string {
  if (argument === undefined || !LOOKS_LIKE_PATH.test(argument))
    return "nothing was sent; fix the JSON and run again";
  const flag = /\.ndjson(\.gz)?$/i.test(argument) ? "--ndjson" : "--data-file";
  return `did you mean ${flag} ${argument}? The argument is the event's JSON itself; nothing was sent`;
}

/**
 * Reads the event (argument, `--data-file`, or piped stdin), at most `--max-body` bytes, and
 * checks it: UTF-8, valid JSON (a syntax error names its line and column), an object or array.
 * Nothing is sent for an event that fails (exit 5). Above 1 MiB it warns.
 */
export async function readEventBody(ctx: Context, options: BodyOptions): Promise<EventBody> {
  const { argument, dataFile } = options;
  if (argument !== undefined && dataFile !== undefined) {
    throw new UsageError("give the event either as an argument or with --data-file, not both");
  }
  const fromStdin =
    argument === "-" || dataFile === "-" || (argument === undefined && dataFile === undefined);
  if (fromStdin && argument === undefined && dataFile === undefined && ctx.runtime.stdin.isTTY) {
    throw new UsageError("no event: pass the JSON as an argument, with --data-file, or on stdin", {
      hint: `e.g. evsend eventhos send '{"order": 42}'; --ndjson sends a file of events, one per line`,
    });
  }
  const from = fromStdin ? "stdin" : dataFile !== undefined ? dataFile : "the argument";
  const raw = await readSource(ctx, options, from);
  if (raw.length > options.maxBody) throw tooLarge(from, options.maxBody);
  if (!isUtf8(raw)) throw new InputError(`the event in ${from} is not UTF-8 text`);
  const bytes = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
  const text = bytes.toString("utf8");
  if (text.trim() === "")
    throw new InputError(`the event in ${from} is empty`, {
      hint: "an event is a JSON object or array",
    });
  const problem = eventProblem(text);
  if (problem?.at) {
    const { line, column } = problem.at;
    throw new InputError(
      `invalid JSON in ${from} at line ${line}, column ${column}: ${problem.reason}`,
      { hint: pathHint(from === "the argument" ? argument : undefined) },
    );
  }
  if (problem) {
    throw new InputError(`the event in ${from} ${problem.reason}`, {
      hint: 'e.g. {"order": 42}; Eventhos rejects any other top-level value',
    });
  }
  if (bytes.length > WARN_BODY_BYTES) {
    ctx.output.warn(
      `the event is ${formatBytes(bytes.length)}: Eventhos stores it in one database row, and bodies over a few MiB fail`,
    );
  }
  return { bytes, from };
}
