import { isUtf8 } from "node:buffer";
import { addAbortSignal, type Readable } from "node:stream";
import type { Context } from "../../context.js";
import { InterruptedError, UsageError } from "../../errors.js";
import { buildEventRequest, EVENT_MESSAGE_LIMIT, interpretResponse } from "./protocol.js";
import { resolveDevoSettings } from "./settings.js";

/** What `devo send` was asked to do. */
export interface DevoSendOptions {
  /** Message words from the command line; none, or `-` alone, means stdin. */
  words: string[];
  method: "GET" | "POST";
  /** Connection fields passed as flags. */
  flags: Record<string, unknown>;
}

/**
 * Reads stdin up to `limit + 2` bytes (enough to know it is too long) and drops one final
 * newline. Bytes, not text: a message that is not UTF-8 is sent byte for byte. Ctrl-C stops the
 * read (a terminal or a pipe that never ends would otherwise keep evsend waiting).
 */
async function readMessage(stdin: Readable, limit: number, signal: AbortSignal): Promise<Buffer> {
  if (signal.aborted) throw new InterruptedError();
  addAbortSignal(signal, stdin);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit + 2) break;
    }
  } catch (error) {
    if (signal.aborted) throw new InterruptedError("interrupted while reading the message");
    throw error;
  }
  const message = Buffer.concat(chunks);
  let end = message.length;
  if (message[end - 1] === 10) end -= message[end - 2] === 13 ? 2 : 1;
  return message.subarray(0, end);
}

function noMessageError(): UsageError {
  return new UsageError("no message: pass the event text as arguments or pipe it on stdin", {
    hint: "to send a file line by line, use `evsend devo file <path>`",
  });
}

/** Sends one event in Devo event mode. */
export async function runDevoSend(ctx: Context, options: DevoSendOptions): Promise<void> {
  const { runtime, output } = ctx;
  // `-` alone means stdin, as for `devo file -`; no words read stdin only when it is not a terminal.
  const fromStdin =
    (options.words.length === 1 && options.words[0] === "-") ||
    (options.words.length === 0 && !runtime.stdin.isTTY);
  if (options.words.length === 0 && !fromStdin) throw noMessageError();
  let message: string | Buffer;
  if (fromStdin) {
    ctx.claimStdin("the message");
    // A run that seems to hang is often one waiting for stdin: -v says so.
    output.debug("reading the message from stdin (until it ends: Ctrl-D on a terminal)");
    message = await readMessage(runtime.stdin, EVENT_MESSAGE_LIMIT, runtime.signal);
  } else message = options.words.join(" ");
  if (typeof message !== "string" && !isUtf8(message)) {
    output.warn("the message is not valid UTF-8 text; it is sent byte for byte, percent-encoded");
  }
  if (message.includes("\n")) {
    output.warn(
      "the message has several lines and is sent as one event; `evsend devo file` sends one event per line",
    );
  }

  const { target } = await resolveDevoSettings(ctx, options.flags);
  const { sendOneEvent } = await import("../../send-one.js");
  await sendOneEvent(ctx, {
    request: buildEventRequest(target, message, options.method),
    interpret(response) {
      interpretResponse(response);
      // The final attempt's own time (connect, send, answer), not loading the HTTP library.
      const ms = Math.round(response.durationMs);
      return {
        text: `accepted: 1 event (HTTP ${response.status}, ${ms}ms)`,
        json: {
          service: "devo",
          mode: "event",
          status: response.status,
          attempts: response.attempts,
          accepted: 1,
        },
        summary: { events: 1, accepted: 1, delivered: 1, durationMs: ms },
      };
    },
  });
}
