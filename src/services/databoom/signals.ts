import { InputError, UsageError } from "../../errors.js";

/** A signal's value as sent: a JSON number, or text when `--allow-text` was given. */
export type SignalValue = number | string;

/** One `signal=value` of `databoom push`. */
export interface SignalArgument {
  name: string;
  value: SignalValue;
}

/** A decimal number as people write one: `21.5`, `-3`, `.5`, `1e3` (not `0x10`, `Infinity`, ``). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A value from text (an argument, a CSV cell): a finite decimal number becomes a JSON number;
 * anything else is text when `allowText`, or a plain Error saying why not. Empty text is never
 * a value: it is far more often an unset shell variable than a signal's real text.
 */
export function parseValue(text: string, allowText: boolean): SignalValue {
  const trimmed = text.trim();
  if (trimmed === "") throw new Error("the value is empty");
  if (DECIMAL.test(trimmed)) {
    const value = Number(trimmed);
    if (Number.isFinite(value)) return value;
    throw new Error(`"${text}" is too large for a number`);
  }
  if (allowText) return text;
  throw new Error(`"${text}" is not a number`);
}

/** Splits one argument at its first `=`; the name is taken as written, spaces included. */
function splitArgument(arg: string): [string, string] {
  const at = arg.indexOf("=");
  if (at === -1) {
    throw new UsageError(`"${arg}" is not signal=value`, {
      hint: "write each signal as name=value, e.g. `evsend databoom push temperature=21.5`",
    });
  }
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/** How to fix a refused value: an empty one is never sent, --allow-text or not. */
function valueHint(name: string, text: string, allowText: boolean): string {
  if (text.trim() === "")
    return `give ${name} a value (${name}=21.5); an empty value is refused even with --allow-text — it is most often an unset shell variable ("${name}=$VAR")`;
  return allowText
    ? "numbers such as 21.5 or -3"
    : "values are numbers such as 21.5 or -3; text needs --allow-text";
}

/**
 * `name=value` arguments → signals in argument order. A malformed argument is a usage error
 * (exit 2); an empty name, a value that is not a number (without `allowText`) or the same signal
 * twice is invalid input (exit 5). Every argument is checked before anything is sent.
 */
export function parseSignalArguments(args: string[], allowText: boolean): SignalArgument[] {
  if (args.length === 0) {
    throw new UsageError("no signals: pass one or more signal=value arguments", {
      hint: "e.g. `evsend databoom push temperature=21.5 humidity=40`",
    });
  }
  const split = args.map(splitArgument);
  const seen = new Set<string>();
  return split.map(([name, text], i) => {
    const which = `argument ${i + 1} ("${args[i]}")`;
    if (name.trim() === "") {
      throw new InputError(`${which} has no signal name`, {
        hint: "the name before = is the signal's token in Databoom",
      });
    }
    if (seen.has(name)) {
      throw new InputError(`${which}: signal "${name}" is given twice`, {
        hint: "a push sends one value per signal; send the other in another push or with --date",
      });
    }
    seen.add(name);
    try {
      return { name, value: parseValue(text, allowText) };
    } catch (error) {
      throw new InputError(`${which}: ${(error as Error).message}`, {
        hint: valueHint(name, text, allowText),
      });
    }
  });
}
