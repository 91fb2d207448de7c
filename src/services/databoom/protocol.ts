import { AuthError, RejectedError, UnavailableError } from "../../errors.js";
import { isRetryableStatus } from "../../transport/retry.js";
import { serverText } from "../../transport/server-text.js";
import type { HttpRequest, HttpResponse } from "../../transport/send.js";
import type { SignalArgument, SignalValue } from "./signals.js";

/** Databoom's public API; on-premise installations and tests set their own. */
export const DEFAULT_DATABOOM_URL = "https://api.databoom.com/v1";

/** The answer Databoom documents for a request it took in full. */
export const ALL_INFO_PROCESSED = "ALL_INFO_PROCESSED";

/** Where and as whom to send. */
export interface DataboomTarget {
  /** Base URL without a trailing slash, e.g. `https://api.databoom.com/v1`. */
  url: string;
  device: string;
  /** The OAuth token (a secret). */
  token: string;
}

/** One historical point of one signal. */
export interface HistoryPoint {
  signal: string;
  /** ISO 8601 UTC. */
  date: string;
  value: SignalValue;
}

function historyHeaders(target: DataboomTarget): Record<string, string> {
  return { authorization: `Bearer ${target.token}`, "content-type": "application/json" };
}

function pushRequest(target: DataboomTarget, body: object): HttpRequest {
  return {
    method: "POST",
    url: `${target.url}/signals/push`,
    headers: historyHeaders(target),
    body: JSON.stringify(body),
  };
}

/**
 * Current values: `{"device", "date"?, "signals": [{"name", "value"}]}`, signals in argument
 * order. Without a date Databoom uses the reception time, so none is invented.
 */
export function buildPushRequest(
  target: DataboomTarget,
  signals: SignalArgument[],
  date?: string,
): HttpRequest {
  return pushRequest(target, {
    device: target.device,
    ...(date === undefined ? {} : { date }),
    signals: signals.map(({ name, value }) => ({ name, value })),
  });
}

/**
 * A history request's body, and what it takes to read its rows back (`historyRows`): the body
 * groups points by signal, which loses the rows' order.
 */
export interface HistoryBody {
  /**
   * The body's JSON text in parts, in order (joined: the body), none made larger than about
   * 64 KiB by `historyBody`: a batch's text in one string is a large object, which V8 moves out of
   * the young generation whole when a collection meets it (peak memory); parts are written one
   * after the other into the request's bytes.
   */
  parts: string[];
  /** The signals, in the body's order (first seen). */
  signals: string[];
  /** Each point's signal (its index in `signals`), in input order. */
  order: number[];
  /** Each row's number of points, in input order. */
  sizes: number[];
}

/** A history body as one text, with what it takes to read its rows back (`historyRows`). */
export type HistoryText = Omit<HistoryBody, "parts"> & { body: string };

/**
 * Pieces of a signal's history joined into one part: 4 a point, so about 1,000 points (some 45
 * KiB of text, the array 32 KiB), well under V8's large-object size (128 KiB).
 */
const PIECES_PER_PART = 4096;

/**
 * History: `{"device", "signals": {"<signal>": {"history": [{"date", "value"}]}}}`. Signals in
 * the order they first appear, each signal's points in input order. The body is written in one
 * pass over the rows' points (the pieces of each point's JSON text as they come, joined every
 * `PIECES_PER_PART` pieces and at the end of the signal), with no object per point: dates are
 * ISO 8601 UTC as `parseDate` writes them (no character to escape), numbers are written as
 * JSON.stringify writes them, text values and signal names through it.
 */
export function historyBody(device: string, rows: Iterable<readonly HistoryPoint[]>): HistoryBody {
  // A Map: a signal named __proto__ or constructor is a key like any other, in first-seen order.
  const index = new Map<string, number>();
  // Per signal: its history's parts already joined, and the pieces not yet joined.
  const joined: string[][] = [];
  const pending: string[][] = [];
  const order: number[] = [];
  const sizes: number[] = [];
  for (const row of rows) {
    sizes.push(row.length);
    for (const { signal, date, value } of row) {
      let at = index.get(signal);
      if (at === undefined) {
        index.set(signal, (at = pending.length));
        pending.push([]);
        joined.push([]);
      }
      order.push(at);
      const json = typeof value === "number" ? String(value) : JSON.stringify(value);
      // The pieces as they are, joined later: a string made per point would be a tree of
      // concatenations for the join to walk.
      let pieces = pending[at]!;
      if (pieces.length >= PIECES_PER_PART) {
        joined[at]!.push(pieces.join(""));
        pending[at] = pieces = [];
      }
      const first = pieces.length === 0 && joined[at]!.length === 0;
      pieces.push(first ? '{"date":"' : '},{"date":"', date, '","value":', json);
    }
  }
  const signals = [...index.keys()];
  const parts = [`{"device":${JSON.stringify(device)},"signals":{`];
  signals.forEach((signal, at) => {
    parts.push(`${at === 0 ? "" : ","}${JSON.stringify(signal)}:{"history":[`);
    for (const part of joined[at]!) parts.push(part);
    parts.push(`${pending[at]!.join("")}}]}`);
  });
  parts.push("}}");
  return { parts, signals, order, sizes };
}

/** The rows a history body was made of, in order, as they were (numbers equal, text the same). */
export function historyRows({ body, signals, order, sizes }: HistoryText): HistoryPoint[][] {
  const parsed = JSON.parse(body) as {
    signals: Record<string, { history: Array<{ date: string; value: SignalValue }> }>;
  };
  // Object.entries, not parsed.signals[name]: a signal may be named __proto__.
  const bySignal = new Map(Object.entries(parsed.signals));
  const histories = signals.map((signal) => bySignal.get(signal)?.history ?? []);
  const taken = signals.map(() => 0);
  const rows: HistoryPoint[][] = [];
  let point = 0;
  for (const size of sizes) {
    const row: HistoryPoint[] = [];
    for (const end = point + size; point < end; point++) {
      const at = order[point]!;
      const { date, value } = histories[at]![taken[at]!++]!;
      row.push({ signal: signals[at]!, date, value });
    }
    rows.push(row);
  }
  return rows;
}

/** The request of a history body (`historyBody`). */
export function historyRequest(target: DataboomTarget, body: string | Buffer): HttpRequest {
  return {
    method: "POST",
    url: `${target.url}/signals/push`,
    headers: historyHeaders(target),
    body,
  };
}

/** A history request for the rows (`historyBody`). */
export function buildHistoryRequest(
  target: DataboomTarget,
  rows: Iterable<readonly HistoryPoint[]>,
): HttpRequest {
  return historyRequest(target, historyBody(target.device, rows).parts.join(""));
}

/** The start of the body, cut after secrets are masked (server-text.ts). */
function excerpt(body: string): string {
  return body.trim() ? `: ${serverText(body, { max: 500 })}` : "";
}

/** The `message` of a JSON answer, or undefined. */
function messageOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { message?: unknown } | null)?.message;
  } catch {
    return undefined;
  }
}

/**
 * A 2xx with `{"message":"ALL_INFO_PROCESSED"}` is success (no warning); any other 2xx is
 * success with a warning to show. Anything else throws: 401/403 exit 4, 429/5xx exit 7, other
 * statuses exit 1.
 */
export function interpretResponse(response: HttpResponse): { warning?: string } {
  const { status, body, attempts } = response;
  if (status >= 200 && status < 300) {
    if (messageOf(body) === ALL_INFO_PROCESSED) return {};
    const said = body.trim() ? `answered${excerpt(body)}` : "sent an empty answer";
    return {
      warning: `Databoom took the request (HTTP ${status}) but ${said}, not ${ALL_INFO_PROCESSED}: some values may not have been recorded`,
    };
  }
  const after = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (status === 401 || status === 403) {
    throw new AuthError(`Databoom refused the token (HTTP ${status})${excerpt(body)}`, {
      hint:
        "the OAuth token needs the Publish permission (Databoom: Settings → Credentials → OAuth keys); " +
        "set it with --token-file, EVSEND_DATABOOM_TOKEN or databoom.token",
    });
  }
  if (isRetryableStatus(status)) {
    throw new UnavailableError(`Databoom is unavailable (HTTP ${status}${after})${excerpt(body)}`, {
      hint: "try again later; --retries and --timeout control how long evsend keeps trying",
    });
  }
  if (status === 413) {
    throw new RejectedError(
      `Databoom refused the request as too large (HTTP 413)${excerpt(body)}`,
      {
        hint: "send fewer points per request with `evsend databoom history --batch-points`",
      },
    );
  }
  throw new RejectedError(`Databoom rejected the request (HTTP ${status})${excerpt(body)}`, {
    hint:
      status === 404
        ? "check the URL (--url, EVSEND_DATABOOM_URL or databoom.url): it should end in /v1"
        : "check the device token and the signal names and values",
  });
}
