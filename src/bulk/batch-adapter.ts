import type { HttpRequest, HttpResponse, SendOptions } from "../transport/http.js";
import type { SendOutcome } from "./types.js";

/** What the runner gives a service to send its requests through. */
export interface BulkRequests {
  /** True in --dry-run: `send` shows requests instead of sending them. */
  readonly dryRun: boolean;
  /**
   * In --dry-run, prints the request (URL and headers masked, the start of the body) with `note`
   * (e.g. the lines it carries) and returns undefined: nothing is sent, no credential is needed.
   * Otherwise sends it through the shared transport (retries, timeouts, masking) and returns the
   * answer, whatever its status. Counts the body bytes for the summary either way.
   */
  send(
    request: HttpRequest,
    note: string,
    options?: SendOptions,
  ): Promise<HttpResponse | undefined>;
}

/** One batch's request, as a service builds it. */
export interface BuiltRequest {
  request: HttpRequest;
  /** What the request carries (e.g. its lines), shown with it in --dry-run. */
  note: string;
  /** Transport options for this request (e.g. which answers are worth retrying). */
  options?: SendOptions;
}

/** Sends a request of the batch through the runner (which counts its bytes) and gives the answer. */
export type Exchange = (request: HttpRequest, options?: SendOptions) => Promise<HttpResponse>;

/** What a service made of an answer that accepted the batch. */
export interface BatchAnswer {
  /** Delivered, but the service said something worth showing. */
  warned?: string;
}

/**
 * A service's part of sending one batch: the request, and what an answer means. The runner does
 * the rest, once for every service: --dry-run (the built request is shown, not sent), the 413 rule,
 * and turning whatever is thrown into the outcome that stops the run.
 */
export interface BatchAdapter<B, A = HttpResponse> {
  /** The batch's request (in --dry-run, the one shown). */
  build(batch: B): BuiltRequest | Promise<BuiltRequest>;
  /**
   * Instead of sending the built request once: how the batch is delivered (e.g. with a renewed
   * token after a refusal). What it resolves to is what `interpret` reads. Throw `NotSent` when
   * the batch never left.
   */
  exchange?(batch: B, built: BuiltRequest, send: Exchange): Promise<A>;
  /** Reads the answer: throws the typed error of a refusal; otherwise says if it warned. */
  interpret(answer: A, batch: B, built: BuiltRequest): BatchAnswer | void;
  /**
   * A 413 to the built request halves the batch (see too-large.ts); otherwise `interpret` reads
   * it like any answer.
   */
  halveOn413?: boolean;
  /** Told when a 413 halves the batch (e.g. for a -v line). */
  onTooLarge?(batch: B, built: BuiltRequest): void;
}

/** How a batch is sent: a service's adapter, or a send that does it all (tests, made-up services). */
export type BatchSend<B> = BatchAdapter<B, unknown> | { send(batch: B): Promise<SendOutcome> };

/** Thrown by an adapter's `exchange` when the batch never left: its records are not sent, not failed. */
export class NotSent extends Error {
  readonly error: Error;
  constructor(error: Error) {
    super(error.message);
    this.error = error;
  }
}

/** Sends batches the way `how` says, through `requests`; never throws. */
export function batchSender<B>(
  requests: BulkRequests,
  how: BatchSend<B>,
): (batch: B) => Promise<SendOutcome> {
  if ("send" in how) return (batch) => how.send(batch);
  return async (batch) => {
    try {
      const built = await how.build(batch);
      const send: Exchange = async (request, options) =>
        (await requests.send(request, built.note, options))!;
      if (requests.dryRun) {
        await requests.send(built.request, built.note, built.options);
        return { ok: true };
      }
      let answer: unknown;
      if (how.exchange) answer = await how.exchange(batch, built, send);
      else {
        const response = await send(built.request, built.options);
        if (how.halveOn413 && response.status === 413) {
          how.onTooLarge?.(batch, built);
          return { ok: false, tooLarge: true };
        }
        answer = response;
      }
      const said = how.interpret(answer, batch, built);
      return said?.warned !== undefined ? { ok: true, warned: said.warned } : { ok: true };
    } catch (error) {
      if (error instanceof NotSent) return { ok: false, error: error.error, unsent: true };
      return { ok: false, error: error as Error };
    }
  };
}
