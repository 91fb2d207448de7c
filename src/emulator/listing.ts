import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { EventStore } from "./store.js";

/** Events per page of `GET /_emulator/events` when no `limit` is given. */
export const DEFAULT_PAGE_SIZE = 1000;
/** The largest `limit` accepted. */
export const MAX_PAGE_SIZE = 10_000;

/** Which page a listing asked for. */
export interface ListQuery {
  /** Events with a `seq` above this (0: from the oldest kept). */
  after: number;
  limit: number;
}

function wholeNumber(params: URLSearchParams, name: string): number | string | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  if (!/^\d{1,15}$/.test(text)) return `${name} must be a whole number`;
  return Number(text);
}

/** Reads `?after=<seq>&limit=<n>`; a string is why the query is invalid (a 400). */
export function parseListQuery(params: URLSearchParams): ListQuery | string {
  const after = wholeNumber(params, "after") ?? 0;
  const limit = wholeNumber(params, "limit") ?? DEFAULT_PAGE_SIZE;
  if (typeof after === "string") return after;
  if (typeof limit === "string") return limit;
  if (limit < 1 || limit > MAX_PAGE_SIZE) return `limit must be within 1–${MAX_PAGE_SIZE}`;
  return { after, limit };
}

/** Text chunks of one listing page, so a page is never built as one string. */
function* listingChunks(store: EventStore, query: ListQuery): Generator<string> {
  const { total, kept, dropped } = store.stats();
  const { events, next } = store.page(query.after, query.limit);
  yield `{"total":${total},"kept":${kept},"dropped":${dropped},"next":${next},"events":[`;
  let batch = "";
  for (const [i, text] of events.entries()) {
    batch += (i === 0 ? "" : ",") + text;
    // Hand the socket ~64 KiB at a time: fewer writes than one per event, yet never one huge string.
    if (batch.length >= 65_536) {
      yield batch;
      batch = "";
    }
  }
  yield `${batch}]}\n`;
}

/**
 * Streams one page as `{ total, kept, dropped, next, events: [{ seq, … }] }`, honouring the
 * client's back-pressure.
 */
export async function sendListing(
  res: ServerResponse,
  store: EventStore,
  query: ListQuery,
): Promise<void> {
  res.writeHead(200, { "content-type": "application/json" });
  await pipeline(Readable.from(listingChunks(store, query)), res);
}
