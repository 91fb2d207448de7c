/**
 * How deep a JSON value may nest. Deeper values are refused before anything walks them: validation,
 * JSON.stringify and messages recurse, and a value thousands of levels deep overflows the stack.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * True when `text`, read as JSON, opens more than `max` arrays or objects inside each other
 * (brackets inside strings do not count). One pass, no recursion; a text too short to nest that
 * deep is not scanned at all.
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92)
        i += 1; // a backslash escapes the next character
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      if (++depth > max) return true;
    } else if (code === 93 || code === 125) depth -= 1;
  }
  return false;
}
