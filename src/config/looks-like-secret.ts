/** Shorter values are paths or names; tokens and keys are longer. */
const MIN_LENGTH = 16;

/** Bits per character (Shannon) below which a value repeats too much to be a random token. */
const MIN_ENTROPY = 2.5;

/**
 * Share of neighbouring characters (separators skipped) that switch between lower case, upper
 * case and digits: ~0.5 for random hex or base62, ~0.1 for words such as `devo-token-2024`.
 */
const MIN_SWITCHES = 0.15;

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function classOf(char: string): string | undefined {
  if (/[a-z]/.test(char)) return "lower";
  if (/[A-Z]/.test(char)) return "upper";
  if (/[0-9]/.test(char)) return "digit";
  return undefined;
}

function switchRatio(text: string): number {
  const classes = [...text].map(classOf).filter((c) => c !== undefined);
  let switches = 0;
  for (let i = 1; i < classes.length; i++) if (classes[i] !== classes[i - 1]) switches++;
  return classes.length < 2 ? 0 : switches / (classes.length - 1);
}

/**
 * True when a value given where a path belongs (`--token-file <value>`) looks like a pasted
 * secret rather than a file name: no `/`, `.`, `~` or whitespace, at least 16 characters, high
 * entropy, and letters and digits mixed the way random tokens mix them. Such a value must not be
 * echoed in an error. Pure, so the heuristic is tested on its own.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < MIN_LENGTH || /[/.~\s\\]/.test(value)) return false;
  return entropy(value) >= MIN_ENTROPY && switchRatio(value) >= MIN_SWITCHES;
}
