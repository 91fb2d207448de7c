import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";

/** Bytes at the start of a file that identify it, with its device and inode. */
export const FINGERPRINT_BYTES = 1024;

/** What a file is, as far as checkpoints care. */
export interface FileIdentity {
  /** `dev:ino`, as `openInput` gives it. */
  id: string;
  size: number;
  /** Its first bytes (at most FINGERPRINT_BYTES), as stored. */
  head: Buffer;
  /** It starts with gzip's magic bytes: offsets count its decompressed bytes. */
  gzip: boolean;
}

/**
 * Reads a regular file's identity: device, inode, size and first bytes, from one descriptor.
 * Undefined for anything else (a pipe, a device): it has no offsets to resume from.
 */
export async function identify(path: string): Promise<FileIdentity | undefined> {
  // Non-blocking: opening a FIFO must not wait for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const head = Buffer.alloc(Math.min(FINGERPRINT_BYTES, info.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const first = head.subarray(0, bytesRead);
    return {
      id: `${info.dev}:${info.ino}`,
      size: info.size,
      head: first,
      gzip: first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b,
    };
  } finally {
    await handle.close();
  }
}

/** `sha256:<hex>` of `bytes`. */
export function fingerprintOf(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
