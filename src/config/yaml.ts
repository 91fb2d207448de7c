import { createRequire } from "node:module";
import { lineColumn, type Position } from "./position.js";

/** The part of js-yaml's parser state that the listener reads. */
interface ParserState {
  position: number;
  anchor: string | null;
  kind: string | null;
}

interface JsYaml {
  load(
    text: string,
    options: {
      filename?: string;
      listener?: (event: "open" | "close", state: ParserState) => void;
    },
  ): unknown;
}

/** A YAML document that cannot be used; `reason` never holds text from the file. */
export class YamlProblem extends Error {
  constructor(
    readonly reason: string,
    readonly at: Position | undefined,
  ) {
    super(reason);
  }
}

let jsYaml: JsYaml | undefined;

/**
 * js-yaml, a direct dependency (loaded from node_modules, not bundled): its `listener` option
 * is what lets an empty anchor be found, which a loader without options cannot do. Loaded on
 * first use: only YAML config files need it.
 */
function loader(): JsYaml {
  jsYaml ??= createRequire(import.meta.url)("js-yaml") as JsYaml;
  return jsYaml;
}

/**
 * js-yaml's reason without anything taken from the file: tag names (`!<…>`), quoted alias or
 * handle names and `: <excerpt>` tails can all be the secret a user typed unquoted.
 */
export function yamlReason(reason: string): string {
  const generic = reason
    .replace(/\s*!<[^>]*>\s*/g, " ")
    .replace(/\s*"[^"]*"/g, "")
    .replace(/:\s.*$/s, "")
    .replace(/\s+/g, " ")
    .replace(/[\s;,]+$/, "")
    .trim();
  return generic === "" ? "cannot parse" : generic;
}

/**
 * Parses YAML. Throws YamlProblem with a generic reason and the 1-based position for malformed
 * text, and for an anchor with no value (`token: &abc123` is a null token, not the string
 * "&abc123"): YAML would silently drop what the user meant as the value.
 */
export function parseYamlText(filepath: string, text: string): unknown {
  const starts: number[] = [];
  let empty: { anchor: string; from: number } | undefined;
  const listener = (event: "open" | "close", state: ParserState): void => {
    if (event === "open") return void starts.push(state.position);
    const from = starts.pop() ?? 0;
    if (!empty && state.anchor !== null && state.kind === null) {
      empty = { anchor: state.anchor, from };
    }
  };
  let value: unknown;
  try {
    value = loader().load(text, { filename: filepath, listener });
  } catch (error) {
    const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } };
    const at = mark ? { line: mark.line + 1, column: mark.column + 1 } : undefined;
    throw new YamlProblem(yamlReason(reason ?? ""), at);
  }
  if (empty) {
    const offset = text.indexOf(`&${empty.anchor}`, empty.from);
    throw new YamlProblem(
      "an anchor (&) with no value",
      lineColumn(text, offset < 0 ? empty.from : offset),
    );
  }
  return value;
}
