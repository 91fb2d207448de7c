/** Where a JSON text first goes wrong, for an error that points at it. */
export interface JsonProblem {
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters. */
  column: number;
  /** What was found and what was expected there. */
  reason: string;
}

/** The result of checking one event: its value, or where its syntax breaks. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; problem: JsonProblem };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

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
    const next = text[j + 1] ?? "";
    if (ESCAPES.has(next)) j += 1;
    else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 5;
    else return [j, `an invalid escape \\${next} in a string`];
  }
  return [text.length, "a string that is never closed"];
}

/**
 * Finds the first syntax error of a JSON text (RFC 8259), or undefined when it is valid. JSON.parse
 * does not say where the error is in every case on Node 20 (and quotes the whole input instead),
 * so this scanner, run only after JSON.parse failed, does. Iterative: deep nesting cannot overflow.
 */
export function locateJsonError(text: string): JsonProblem | undefined {
  const stack: string[] = [];
  let mode: "value" | "key" | "after" = "value";
  let i = 0;
  const fail = (at: number, reason: string): JsonProblem => ({
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
        const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
        if (!word) return fail(i, `unexpected ${shown(text, i)}: expected a value`);
        i += word.length;
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

/** Parses one event's JSON text; on a syntax error, says where (JSON.parse does the real work). */
export function checkJson(text: string): JsonCheck {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const problem = locateJsonError(text) ?? { line: 1, column: 1, reason: "not valid JSON" };
    return { ok: false, problem };
  }
}

/** `an object`, `an array`, `a string`, `null`…: how a JSON value is named in messages. */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Why a text is not an Eventhos event: a syntax error (with where), or the wrong top level. */
export interface EventProblem {
  /** Set for a syntax error. */
  at?: { line: number; column: number };
  reason: string;
}

/** Undefined when `text` is an Eventhos event: valid JSON whose top level is an object or array. */
export function eventProblem(text: string): EventProblem | undefined {
  const checked = checkJson(text);
  if (!checked.ok) {
    const { line, column, reason } = checked.problem;
    return { at: { line, column }, reason };
  }
  if (typeof checked.value === "object" && checked.value !== null) return undefined;
  return { reason: `must be a JSON object or array, not ${jsonKind(checked.value)}` };
}
