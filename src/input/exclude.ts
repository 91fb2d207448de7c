import { basename } from "node:path";

/** The part of micromatch that evsend uses. */
export interface Micromatch {
  matcher(pattern: string, options: Record<string, unknown>): (path: string) => boolean;
}

/**
 * micromatch, fast-glob 3's own matcher, so `--exclude` patterns mean exactly what the globs they
 * filter mean. Loaded only when there are patterns.
 */
export async function loadMicromatch(): Promise<Micromatch> {
  return (await import("micromatch")).default;
}

/** One `--exclude` pattern and how many inputs it left out. */
interface Rule {
  pattern: string;
  test(path: string): boolean;
  matched: number;
}

/**
 * `--exclude` patterns, checked against every input. A pattern without `/` matches the file's
 * name at any depth (`*.debug.log`), as in `.gitignore` and rsync; a pattern with `/` matches the
 * whole path, as shown (relative to the current directory) or absolute. Dot files match `*`:
 * an exclude should leave out what it names, hidden or not. Counts what each pattern matched.
 */
export class ExcludeRules {
  readonly #rules: Rule[];

  /** `micromatch` is needed only when there are patterns (loadMicromatch). */
  constructor(patterns: readonly string[], micromatch?: Micromatch) {
    this.#rules = patterns.map((pattern) => {
      if (micromatch === undefined) throw new Error("ExcludeRules: patterns without micromatch");
      const match = micromatch.matcher(pattern, { dot: true });
      const byName = !pattern.includes("/");
      return {
        pattern,
        matched: 0,
        test: (path: string) => match(byName ? basename(path) : path),
      };
    });
  }

  /**
   * The first pattern that matches the file (`shown`: its path as the user sees it; `absolute`:
   * its absolute path), or undefined when none does. Every matching pattern counts the match.
   */
  match(shown: string, absolute: string): string | undefined {
    let first: string | undefined;
    for (const rule of this.#rules) {
      if (rule.test(shown) || (absolute !== shown && rule.test(absolute))) {
        rule.matched += 1;
        first ??= rule.pattern;
      }
    }
    return first;
  }

  /** Patterns that left out no input (worth a warning: probably a typo or a wrong folder). */
  unused(): string[] {
    return this.#rules.filter((rule) => rule.matched === 0).map((rule) => rule.pattern);
  }
}
