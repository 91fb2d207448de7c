import { createRequire } from "node:module";
import { basename } from "node:path";

/** The part of micromatch that evsend uses. */
interface Micromatch {
  matcher(pattern: string, options: Record<string, unknown>): (path: string) => boolean;
}

/**
 * micromatch as fast-glob resolves it: it is fast-glob's own matcher (a declared dependency of
 * fast-glob 3), so `--exclude` patterns mean exactly what the globs they filter mean.
 */
function loadMicromatch(): Micromatch {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve("fast-glob"))("micromatch") as Micromatch;
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

  constructor(patterns: readonly string[]) {
    const micromatch = patterns.length > 0 ? loadMicromatch() : undefined;
    this.#rules = patterns.map((pattern) => {
      const match = micromatch!.matcher(pattern, { dot: true });
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
