/**
 * The services name the same things differently — one event is `send` for some and `push` for
 * others, a file of events is `file`, `history` or `--ndjson` — because each follows its own
 * API's words. A user who knows one reaches for its word with another: these are the words, and
 * what each one is called elsewhere, in order of preference. A hint only, never an alias: each
 * command keeps one name in help, completions and scripts (README › One vocabulary).
 */
const OTHER_WORDS: Readonly<Record<string, readonly string[]>> = {
  send: ["push"],
  push: ["send"],
  event: ["send", "push"],
  post: ["send", "push"],
  file: ["history", "send --ndjson", "push --ndjson"],
  history: ["file", "send --ndjson", "push --ndjson"],
  upload: ["file", "history", "send --ndjson", "push --ndjson"],
};

/**
 * What an unknown command `name` is called among `commands` (`push`, `send --ndjson`), or
 * undefined when it is not a word of another service's vocabulary.
 */
export function otherVocabulary(name: string, commands: readonly string[]): string | undefined {
  return OTHER_WORDS[name.toLowerCase()]?.find((word) =>
    commands.includes(word.split(" ")[0] ?? ""),
  );
}
