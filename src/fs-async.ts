import { access as accessCallback, stat as statCallback, type Stats } from "node:fs";
import { promisify } from "node:util";

// The few file-system calls evsend awaits outside its input layer, as promises, without
// node:fs/promises: that module loads readline, file-handle streams and watchers when it is first
// imported, milliseconds of every run's start-up for calls a callback does as well.

/** `fs.stat` as a promise. */
export const stat: (path: string) => Promise<Stats> = promisify(statCallback);

/** `fs.access` as a promise. */
export const access: (path: string, mode?: number) => Promise<void> = promisify(accessCallback);
