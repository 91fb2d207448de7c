import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";

/** True when the bytes start with gzip's magic number (1f 8b). */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** `head`, then the rest of the source; closing it early closes the source (its file). */
async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.();
  }
}

/** Copies of the chunks: a stream may hold a chunk after asking for the next one. */
async function* copies(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

/**
 * Passes the chunks through, or decompresses them when they start with gzip's magic bytes (by
 * content, not by name, so `.gz` files and gzip piped on stdin both work). Concatenated gzip
 * members are read as one stream, like `zcat` does. The chunks may live in a reused buffer: they
 * are passed on before the next is read, and copied only to feed the decompressor.
 */
export async function* decodeGzip(
  chunks: AsyncIterable<Buffer>,
  name: string,
): AsyncGenerator<Buffer> {
  const source = chunks[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await source.next();
    if (next.done) break;
    // A short first chunk is copied: a reused buffer would overwrite it on the next read.
    head = head.length > 0 ? Buffer.concat([head, next.value]) : next.value;
    if (head.length < 2) head = Buffer.from(head);
  }
  if (!isGzip(head)) {
    yield* prepend(head, source);
    return;
  }
  // node:zlib only now: most inputs are not compressed, and loading it costs start-up.
  const { createGunzip } = await import("node:zlib");
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // One chunk read ahead at most: memory stays bounded for any file size.
  const compressed = Readable.from(copies(prepend(head, source)), { highWaterMark: 1 });
  const piping = pipeline(compressed, gunzip);
  piping.catch(() => {}); // surfaced through the iteration below and awaited after it
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
    await piping;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (!code.startsWith("Z_")) throw error;
    throw new InputError(`${name}: not valid gzip data (${(error as Error).message})`, {
      hint: "the file looks gzip-compressed but is damaged or cut short; check it with `gzip -t`",
      cause: error,
    });
  } finally {
    gunzip.destroy();
  }
}
