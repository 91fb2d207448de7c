import { isUtf8 } from "node:buffer";

/** Bytes a UTF-8 sequence has, from its first byte (1 for ASCII and for bytes that start none). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return lead >= 0xc0 ? 2 : 1;
}

/** Where a character cut short by the end of `bytes` starts (after `from`); its length if none. */
function cutAt(bytes: Buffer, from: number): number {
  const end = bytes.length;
  for (let i = end - 1; i >= Math.max(from, end - 3); i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its sequence starts earlier
    return byte >= 0xc0 && end - i < sequenceLength(byte) ? i : end;
  }
  return end;
}

/**
 * Tells whether a stream of chunks is UTF-8, a character possibly cut between two chunks, without
 * decoding it: `TextDecoder` made a string of every chunk (1 MiB chunks: external strings that
 * the collector frees late), `isUtf8` only checks. Once a check failed, the stream is not UTF-8.
 */
export class Utf8Check {
  #ok = true;
  /** The start of a character cut short by the end of the last chunk. */
  #pending: Buffer = Buffer.alloc(0);

  /** False once the bytes so far were not UTF-8. */
  get ok(): boolean {
    return this.#ok;
  }

  /** Checks the next chunk (which may be reused once this returns). */
  push(chunk: Buffer): void {
    if (!this.#ok) return;
    let from = 0;
    const pending = this.#pending;
    if (pending.length > 0) {
      // The rest of the cut character starts this chunk.
      from = Math.min(chunk.length, sequenceLength(pending[0]!) - pending.length);
      const joined = Buffer.concat([pending, chunk.subarray(0, from)]);
      if (joined.length < sequenceLength(pending[0]!)) {
        this.#pending = joined;
        return;
      }
      this.#ok = isUtf8(joined);
      if (!this.#ok) return;
    }
    const cut = cutAt(chunk, from);
    this.#ok = isUtf8(chunk.subarray(from, cut));
    this.#pending = Buffer.from(chunk.subarray(cut));
  }

  /** The stream ended: a character cut short there is not UTF-8. */
  end(): void {
    if (this.#pending.length > 0) this.#ok = false;
    this.#pending = Buffer.alloc(0);
  }
}
