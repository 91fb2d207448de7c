import {
  access as accessCallback,
  close,
  fstat,
  open,
  read,
  stat as statCallback,
  type Stats,
} from "node:fs";
import { promisify } from "node:util";

// The file-system calls evsend awaits, as promises, without node:fs/promises: that module loads
// readline, file-handle streams and watchers when it is first imported, milliseconds of every
// run's start-up for calls a callback does as well.

// Plain descriptors, not FileHandles: a FIFO's descriptor is handed to a socket, and a FileHandle
// that is garbage-collected closes its descriptor — under the socket, which then waits forever.
export const openFd = promisify(open);
export const fstatFd = promisify(fstat);
export const closeFd = promisify(close);
export const readFd = promisify(read);

/** `fs.stat` as a promise. */
export const stat: (path: string) => Promise<Stats> = promisify(statCallback);

/** `fs.access` as a promise. */
export const access: (path: string, mode?: number) => Promise<void> = promisify(accessCallback);
