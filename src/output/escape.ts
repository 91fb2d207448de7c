/**
 * Control characters from outside (a server's error body, an event the emulator received, a
 * profile name) must not reach a terminal raw: `\e]52;…` writes the clipboard, `\r` and cursor
 * movements rewrite what the user sees. They are shown as escapes instead.
 */

/** C0 controls (but tab and newline), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** The same, and newline too, for text that must stay on one line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_ONE_LINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

function show(char: string): string {
  const code = char.charCodeAt(0);
  const hex = code.toString(16).padStart(2, "0");
  // C1 characters are code points, not bytes: written as UTF-8 they are two bytes.
  return code >= 0x80 ? `\\u00${hex}` : `\\x${hex}`;
}

/**
 * Text safe to print on a terminal: control characters become `\x1b`, `\x7f`, `\u009b`. Tab stays;
 * newline stays unless `oneLine` (a spinner's text), and a CRLF becomes a newline.
 */
export function escapeControl(text: string, oneLine = false): string {
  if (oneLine) return text.replace(CONTROL_ONE_LINE, show);
  return text.replace(/\r\n/g, "\n").replace(CONTROL, show);
}

/** DEL and C1 characters, which JSON.stringify leaves raw. */
const JSON_RAW_CONTROL = /[\x7f-\x9f]/g;

/**
 * Serialized JSON with DEL and C1 characters escaped as `\u007f`…`\u009f` too (JSON.stringify
 * escapes C0 only). They can only occur inside JSON strings, where the escape means the same.
 */
export function escapeJsonControl(json: string): string {
  return json.replace(JSON_RAW_CONTROL, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
