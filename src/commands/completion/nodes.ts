import type {
  CompletionNode,
  CompletionOption,
  ValueCompletion,
} from "../../cli/completion-tree.js";

/** One command with everything a shell needs at its depth: its options plus the global ones. */
export interface FlatNode {
  /** `devo send`; `""` for the root. */
  key: string;
  node: CompletionNode;
  /** Its own options, then the root's (valid at every depth). */
  options: CompletionOption[];
}

/** Every command of the tree, root first, each with the options valid there. */
export function flatten(root: CompletionNode): FlatNode[] {
  const nodes: FlatNode[] = [];
  const visit = (node: CompletionNode): void => {
    const own = node === root ? [] : node.options;
    // `-h, --help` is each command's own; the root's copy is not listed twice.
    const names = new Set(own.flatMap((o) => o.names));
    const global = root.options.filter((o) => !o.names.some((n) => names.has(n)));
    nodes.push({ key: node.path.join(" "), node, options: [...own, ...global] });
    node.commands.forEach(visit);
  };
  visit(root);
  return nodes;
}

/** The names of the options that take a value (the next word is theirs). */
export function valuedNames(options: CompletionOption[]): string[] {
  return options.filter((o) => o.value).flatMap((o) => o.names);
}

/** The names of the options that take several values. */
export function variadicNames(options: CompletionOption[]): string[] {
  return options.filter((o) => o.variadic).flatMap((o) => o.names);
}

/** `'text'` for a POSIX-like shell (bash, zsh): a single quote inside becomes `'\''`. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The kind of a value and, for fixed words, the words: what each script's data holds. */
export function kindOf(value: ValueCompletion | undefined): { kind: string; words: string[] } {
  if (!value) return { kind: "none", words: [] };
  return value.kind === "words"
    ? { kind: "words", words: [...value.words] }
    : { kind: value.kind, words: [] };
}

/** The first line every script starts its comments with. */
export const GENERATED =
  "Generated from evsend's command tree (`evsend completion <shell>`, `npm run completions`); do not edit.";

/**
 * Each option that takes a value, with its `case` patterns: `'<command path>|--option'` for a
 * command's own, `*'|--json'` for a global one. The commands' own come first, so a global option
 * of the same name never shadows one.
 */
export function valuedOptionPatterns(
  nodes: FlatNode[],
  root: CompletionNode,
): Array<{ patterns: string[]; value: ValueCompletion | undefined }> {
  const found: Array<{ patterns: string[]; value: ValueCompletion | undefined }> = [];
  for (const { key, node } of nodes) {
    for (const option of (key === "" ? [] : node.options).filter((o) => o.value)) {
      found.push({
        patterns: option.names.map((n) => shQuote(`${key}|${n}`)),
        value: option.value,
      });
    }
  }
  for (const option of root.options.filter((o) => o.value)) {
    found.push({ patterns: option.names.map((n) => `*${shQuote(`|${n}`)}`), value: option.value });
  }
  return found;
}
