import { Option, type Command } from "commander";
import { argParser } from "./arg-parser.js";
import { completeAs } from "./completion-tree.js";
import { envName, flagName } from "../config/precedence.js";
import type { ServiceSpec } from "../config/types.js";
import type { Context } from "../context.js";

/** Where else a field can be set, for its option's help: `env EVSEND_DEVO_TAG, profile devo.tag`. */
export function fieldSources(spec: ServiceSpec, key: string): string {
  const field = spec.fields.find((f) => f.key === key);
  if (!field) throw new Error(`${spec.name} has no field ${key}`);
  return `env ${envName(spec.name, key)}, profile ${spec.name}.${key}`;
}

/**
 * The commander option that sets one field of a service, all from the field's spec: flag, value,
 * help, and where else it can be set (the variable and the profile field). `other` is a second
 * flag for the same field (`--no-gzip`), with its own help. A string value must not be empty (an
 * empty `--domain ""` is a usage error, not a "missing domain" later). No commander default: a
 * flag counts only when the user passed it (design: precedence), so `defaultText` is help only.
 */
export function fieldOption(
  spec: ServiceSpec,
  key: string,
  other?: { flags: string; description: string },
): Option {
  const field = spec.fields.find((f) => f.key === key);
  if (!field?.flag) throw new Error(`${spec.name}.${key} has no flag`);
  const flags = other?.flags ?? (field.value ? `${field.flag} ${field.value}` : field.flag);
  const description = other?.description ?? field.description;
  const extra = other || field.defaultText === undefined ? "" : `; default ${field.defaultText}`;
  const option = new Option(flags, `${description} (${fieldSources(spec, key)}${extra})`);
  // Completion, from the field: a secret's flag names a file, fixed values are offered.
  if (field.secret) completeAs(option, { kind: "file" });
  else if (field.choices) completeAs(option, { kind: "words", words: field.choices });
  else completeAs(option, { kind: "none" });
  if (field.type === "string" && option.required) {
    option.argParser(
      argParser((text) => {
        if (text.trim() === "") throw new Error("it must not be empty");
        return text;
      }),
    );
  }
  return option;
}

/** Adds the options of the fields `keys` to `command`, in that order (the order help lists). */
export function addFieldOptions(command: Command, spec: ServiceSpec, keys: string[]): Command {
  for (const key of keys) command.addOption(fieldOption(spec, key));
  return command;
}

/** Where a value came from, for messages (config/precedence.ts). */
export { sourceText } from "../config/precedence.js";

/** Claims stdin for each secret flag passed as `-` (`--token-file -`), as the secret reader will. */
export function claimSecretStdin(
  ctx: Context,
  spec: ServiceSpec,
  flags: Record<string, unknown>,
): void {
  for (const field of spec.fields) {
    if (field.secret && flags[field.key] === "-") ctx.claimStdin(`${flagName(field)} -`);
  }
}

/**
 * The field values the user actually passed as flags on `command` (a commander default never
 * counts), found through each field's flag: `--token-file` sets `token`, and `--no-gzip` sets
 * `gzip` as `--gzip` does. A secret flag given as `-` claims stdin now, before any reader starts.
 */
export function passedFieldFlags(
  command: Command,
  ctx: Context,
  spec: ServiceSpec,
): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const opts = command.opts();
  for (const field of spec.fields) {
    const option = command.options.find((o) => o.long === field.flag);
    const attribute = option?.attributeName();
    if (attribute && command.getOptionValueSource(attribute) === "cli")
      flags[field.key] = opts[attribute];
  }
  claimSecretStdin(ctx, spec, flags);
  return flags;
}
