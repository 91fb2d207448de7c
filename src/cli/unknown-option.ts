import type { Command } from "commander";
import { envName, flagName } from "../config/precedence.js";
import type { ServiceSpec } from "../config/types.js";
import { UsageError } from "../errors.js";

/** Option names that suggest the user tried to pass a credential as a flag value. */
const SECRET_NAME = /token|secret|key|passw|pwd|pass$|credential|auth/i;

/**
 * `--name=value` → `--name`, `-xvalue` → `-x`: the part of an unknown option that is safe to
 * print. The value may be a secret pasted on the command line; it never reaches the output.
 */
export function optionName(arg: string): { name: string; hadValue: boolean } {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    return eq === -1 ? { name: arg, hadValue: false } : { name: arg.slice(0, eq), hadValue: true };
  }
  return { name: arg.slice(0, 2), hadValue: arg.length > 2 };
}

/**
 * The services a command belongs to: its own (`evsend devo …`); at the root, the one named later
 * on the command line (`evsend --api-key=… devo send`: Devo's ways, not Guance's); else every one.
 */
function servicesOf(command: Command, specs: readonly ServiceSpec[]): ServiceSpec[] {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.push(c.name());
  // commander keeps the words it was given on the root; its typings do not declare them.
  const raw = (command as { rawArgs?: unknown }).rawArgs;
  if (!command.parent && Array.isArray(raw))
    names.push(...raw.filter((a) => typeof a === "string"));
  const own = specs.filter((spec) => names.includes(spec.name));
  return own.length > 0 ? own : [...specs];
}

const squash = (text: string): string => text.replace(/[^a-z0-9]/gi, "").toLowerCase();

/** How to pass each secret that `name` may mean, from the services' specs. */
export function secretAlternatives(name: string, specs: ServiceSpec[]): string[] {
  const wanted = squash(name.replace(/^-+/, "").replace(/-file$/, ""));
  const fields = specs.flatMap((spec) =>
    spec.fields.filter((f) => f.secret).map((field) => ({ spec, field })),
  );
  const exact = fields.filter(({ field }) => squash(field.key) === wanted);
  return (exact.length > 0 ? exact : fields).map(
    ({ spec, field }) =>
      `${flagName(field)} <path|-> (- reads stdin), ${envName(spec.name, field.key)} or ${spec.name}.${field.key} in a profile`,
  );
}

/** Optimal string alignment distance, for "did you mean" (small strings only). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known names (options, commands) closest to `name`: at most 3 edits, not mostly different. */
export function similarNames(name: string, known: string[]): string[] {
  const bare = (text: string): string => text.replace(/^-+/, "");
  // As commander judges it: at most 3 edits, and more than 40% of the longer name the same.
  const scored = known
    .map((option) => ({ option, distance: editDistance(bare(name), bare(option)) }))
    .filter(({ option, distance }) => {
      const length = Math.max(bare(name).length, bare(option).length);
      return distance <= 3 && (length - distance) / length > 0.4;
    });
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).map((s) => s.option);
}

/** "did you mean --host? " or "", for a hint. */
export function didYouMean(name: string, known: string[]): string {
  const similar = similarNames(name, known);
  return similar.length > 0 ? `did you mean ${similar.join(" or ")}? ` : "";
}

/** Long options that `command` accepts, its ancestors' (global) ones included. */
function knownOptions(command: Command): string[] {
  const known: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.createHelp().visibleOptions(c)) if (option.long) known.push(option.long);
  }
  return known;
}

/** The usage error for an unknown option, with the value (if any) left out. */
export function unknownOptionError(
  command: Command,
  arg: string,
  path: string,
  specs: readonly ServiceSpec[],
): UsageError {
  const { name, hadValue } = optionName(arg);
  const message = `unknown option${name ? ` '${name}'` : ""}${hadValue ? " (its value is not shown)" : ""}`;
  if (SECRET_NAME.test(name) && !knownOptions(command).includes(name)) {
    const ways = secretAlternatives(name, servicesOf(command, specs));
    return new UsageError(`${message}; secrets are never passed as flag values`, {
      hint: `a flag value shows in ps and shell history; use ${ways.join("; or ")}`,
    });
  }
  const guess = name.startsWith("--") ? didYouMean(name, knownOptions(command)) : "";
  return new UsageError(message, {
    hint: `${guess}run \`${path} --help\` for the options`,
  });
}
