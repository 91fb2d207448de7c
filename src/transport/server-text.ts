/**
 * A server's own words in a message evsend prints (an error body, an Eventhos message) are cut
 * short and may be put on one line. Both must happen after secrets are masked: cut first, a
 * message that ends with a secret would print all of it but the last characters, and a secret
 * with a run of spaces or a tab would no longer match once the spaces were collapsed.
 *
 * So a service only marks the words (`serverText`), whole; the Redactor masks the text, then
 * `shortenServerText` does the cutting and collapsing where the marks are, for every service.
 */

const OPEN = "\uE000";
const SEP = "\uE001";
const CLOSE = "\uE002";

/** The marker characters: private-use code points, replaced in a server's words. */
const MARKERS = /[\uE000-\uE002]/g;

/** One marked span: its length limit, its flags (`o` one line, `e` an ellipsis), the words. */
const MARKED = /\uE000(\d+)([oe]*)\uE001([^\uE000-\uE002]*)\uE002/g;

/** How a server's words are shown. */
export interface ServerTextOptions {
  /** Characters kept (after masking); longer words end with `…`. */
  max: number;
  /** Collapse every run of whitespace to one space. */
  oneLine?: boolean;
  /** End words that were cut with `…`. */
  ellipsis?: boolean;
}

/**
 * `text` (trimmed), marked to be cut to `max` characters, and collapsed to one line, after the
 * Redactor masked it. Marker characters the server sent are replaced (U+FFFD), so a server can
 * neither forge nor end a mark.
 */
export function serverText(text: string, options: ServerTextOptions): string {
  const words = text.replace(MARKERS, "\uFFFD");
  const flags = `${options.oneLine ? "o" : ""}${options.ellipsis ? "e" : ""}`;
  return `${OPEN}${options.max}${flags}${SEP}${words}${CLOSE}`;
}

/** True when `text` holds marked words still to be shortened. */
export function hasServerText(text: string): boolean {
  return text.includes(OPEN);
}

/** `text` with each marked span trimmed, collapsed if asked, and cut to its limit. */
export function shortenServerText(text: string): string {
  return text.replace(MARKED, (_m, max: string, flags: string, words: string) => {
    const limit = Number(max);
    let shown = words.trim();
    if (flags.includes("o")) shown = shown.replace(/\s+/g, " ");
    if (shown.length <= limit) return shown;
    return `${shown.slice(0, limit)}${flags.includes("e") ? "…" : ""}`;
  });
}
