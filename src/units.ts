/** Pure parsers for option values. They throw plain Errors; the CLI turns them into usage errors. */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration; use e.g. 500ms, 30s or 5m`);
  const unit = (match[2] ?? "s").toLowerCase();
  return Math.round(Number(match[1]) * (DURATION_UNITS[unit] ?? 1000));
}

/** A duration of at least 1 ms: a zero timeout would fail every request (or mean "none"). */
export function parseTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms < 1) throw new Error(`"${text}" is not a usable timeout; use e.g. 500ms, 30s or 5m`);
  return ms;
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `512k`, `4m`, `32MB`, or a bare number of bytes → bytes. Units are binary (k = 1024). */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? SIZE_UNITS[(match[2] ?? "").toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`"${text}" is not a size; use e.g. 512k, 4m or 32MB`);
  }
  return Math.floor(Number(match[1]) * factor);
}

/** A size (as parseSize) within [min, max] bytes; errors quote the text as the user typed it. */
export function parseSizeWithin(text: string, min: number, max: number): number {
  const bytes = parseSize(text);
  if (bytes > max) throw new Error(`"${text}" is over ${formatBytes(max)}, the most allowed`);
  if (bytes < min) throw new Error(`"${text}" is under ${formatBytes(min)}, the least allowed`);
  return bytes;
}

/** A whole number within [min, max]. */
export function parseInteger(text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new Error(`"${text}" is not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new Error(`"${text.trim()}" is outside ${min}–${max}`);
  return value;
}

/**
 * Human-readable bytes: `812 B`, `4.0 KiB`, `31.9 MiB`. Binary multiples, labelled so (a MiB is
 * 1,048,576 bytes: `200000037` bytes are `190.7 MiB`, never "190.7 MiB").
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Human-readable duration: `850ms`, `2.4s`, `3m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, "0")}s`;
}
