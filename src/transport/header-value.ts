import { ConfigError } from "../errors.js";

/**
 * What an HTTP header value may hold (undici's own rule, from Node's http): tab, printable ASCII
 * and Latin-1. Anything else undici refuses with UND_ERR_INVALID_ARG before a byte is sent, which
 * is no network problem and no use retrying.
 */
const NOT_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/u;

/** The code point as `U+200B`, with a name for the usual suspects. */
function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  const id = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (char === "\n" || char === "\r") return `a line break (${id})`;
  if (code < 0x20 || code === 0x7f) return `the control character ${id}`;
  if (code === 0x200b || code === 0xfeff || code === 0x200c || code === 0x200d)
    return `the invisible character ${id}`;
  return `the character ${id}, which is not Latin-1`;
}

/**
 * Why `value` cannot be sent as a header value, or undefined when it can. Says what and where
 * (the character's code point and position), never the value itself: it is a secret.
 */
export function headerValueProblem(value: string): string | undefined {
  const match = NOT_HEADER_CHAR.exec(value);
  if (!match) return undefined;
  const position = [...value.slice(0, match.index)].length + 1;
  const lines = value.split(/\r\n|\r|\n/).length;
  const where = lines > 1 ? ` (it has ${lines} lines)` : "";
  return `it holds ${describeChar(match[0])} at character ${position}${where}`;
}

/**
 * Every header of a request can be sent, else the configuration error for the first that cannot:
 * exit 3, before anything is sent, naming the header and what is wrong — never its value.
 */
export function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerValueProblem(value);
    if (problem === undefined) continue;
    throw new ConfigError(`the ${name} header cannot be sent: ${problem}`, {
      hint:
        `the ${name} header carries a key or token, which is one line of printable characters: ` +
        "check the file, variable or profile it comes from (a file of two lines, or a character pasted along with it)",
    });
  }
}
