/** Where a JSON text first goes wrong, for an error that points at it. */
export interface JsonProblem {
  /** 0-based offset in the text (UTF-16 code units, as `text[offset]`); the length at its end. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters. */
  column: number;
  /** What was found and what was expected there. */
  reason: string;
}

/** The result of checking one JSON text: its value, or where its syntax breaks. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const LITERALS = ["true", "false", "null"];

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

function shown(text: string, at: number): string {
  if (at >= text.length) return "end of input";
  const char = String.fromCodePoint(text.codePointAt(at) ?? 0);
  return JSON.stringify(char);
}

/** The offset just past a string that starts at `at`, or the problem inside it. */
function scanString(text: string, at: number): number | [number, string] {
  for (let j = at + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 34) return j + 1;
    if (code < 0x20) return [j, "a control character in a string (escape it, e.g. \\n)"];
    if (code !== 92) continue;
    const next = text[j + 1];
    if (next === undefined) break;
    if (ESCAPES.has(next)) j += 1;
    else if (next !== "u") return [j + 1, `an invalid escape \\${next} in a string`];
    else {
      // Like JSON.parse, point at the first character that is not a hex digit.
      for (let k = j + 2; k < j + 6; k++) {
        if (!/[0-9a-fA-F]/.test(text[k] ?? "")) return [k, "a \\u escape without 4 hex digits"];
      }
      j += 5;
    }
  }
  return [text.length, "a string that is never closed"];
}

/**
 * Finds the first syntax error of a JSON text (RFC 8259), or undefined when it is valid. JSON.parse
 * does not say where the error is in every case on Node 20 (and quotes the whole input instead),
 * so this scanner, run only after JSON.parse failed, does. Iterative (an explicit stack of open
 * brackets, no recursion): deep nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): JsonProblem | undefined {
  const stack: string[] = [];
  let mode: "value" | "key" | "after" = "value";
  let i = 0;
  const fail = (at: number, reason: string): JsonProblem => ({
    offset: at,
    ...positionOf(text, at),
    reason,
  });
  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
    const c = text[i];
    if (mode === "value") {
      if (c === "{" || c === "[") {
        stack.push(c === "{" ? "}" : "]");
        i++;
        while (i < text.length && WHITESPACE.has(text[i]!)) i++;
        if (text[i] === stack.at(-1)) {
          stack.pop();
          i++;
          mode = "after";
        } else mode = c === "{" ? "key" : "value";
        continue;
      }
      if (c === '"') {
        const end = scanString(text, i);
        if (typeof end !== "number") return fail(end[0], end[1]);
        i = end;
      } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
        NUMBER.lastIndex = i;
        if (!NUMBER.exec(text)) return fail(i, `an invalid number`);
        i = NUMBER.lastIndex;
      } else {
        const word = LITERALS.find((w) => w[0] === c);
        if (!word) return fail(i, `unexpected ${shown(text, i)}: expected a value`);
        // Like JSON.parse, point at the first character that breaks the literal (`tru}` → `}`).
        for (const char of word) {
          if (text[i] !== char) return fail(i, `unexpected ${shown(text, i)}: expected ${word}`);
          i++;
        }
      }
      mode = "after";
    } else if (mode === "key") {
      if (c !== '"') return fail(i, `unexpected ${shown(text, i)}: expected a "property name"`);
      const end = scanString(text, i);
      if (typeof end !== "number") return fail(end[0], end[1]);
      i = end;
      while (i < text.length && WHITESPACE.has(text[i]!)) i++;
      if (text[i] !== ":")
        return fail(i, `unexpected ${shown(text, i)}: expected ':' after the property name`);
      i++;
      mode = "value";
    } else {
      const close = stack.at(-1);
      if (close === undefined) {
        return i < text.length
          ? fail(i, `unexpected ${shown(text, i)} after the JSON value`)
          : undefined;
      }
      if (c === ",") {
        i++;
        mode = close === "}" ? "key" : "value";
      } else if (c === close) {
        stack.pop();
        i++;
      } else return fail(i, `unexpected ${shown(text, i)}: expected ',' or '${close}'`);
    }
  }
}

/** Parses one JSON text; on a syntax error, says where (JSON.parse does the real work). */
export function checkJson(text: string): JsonCheck {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const problem = locateJsonError(text) ?? {
      offset: 0,
      line: 1,
      column: 1,
      reason: "not valid JSON",
    };
    return { ok: false, problem };
  }
}

/** `an object`, `an array`, `a string`, `null`…: how a JSON value is named in messages. */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
