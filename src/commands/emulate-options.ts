import { Option, type Command } from "commander";
import { argParser } from "../cli/arg-parser.js";
import { parseInteger } from "../units.js";
import type { EmulatorOption, EmulatorOptionValues, Service } from "../services/types.js";

/** Help lists the services' options by kind: test credentials, then numbers, then files. */
const KIND_ORDER: ReadonlyArray<EmulatorOption["kind"]> = ["secret", "integer", "file"];

/** `--devo-token <token>` → `devoToken`, as commander names its value. */
function attributeOf(option: EmulatorOption): string {
  return new Option(option.flags).attributeName();
}

/** The services' options of `evsend emulate`, as commander options in help's order. */
export function serviceOptions(services: readonly Service[]): Option[] {
  const declared = services.flatMap((s) => s.emulation.options);
  return KIND_ORDER.flatMap((kind) => declared.filter((o) => o.kind === kind)).map((o) => {
    const option = new Option(o.flags, o.description);
    if (o.kind === "integer") option.argParser(argParser((text) => parseInteger(text, o.min ?? 0)));
    return option;
  });
}

/** What `command` (evsend emulate, parsed) was given for the services' options. */
export function serviceOptionValues(command: Command): EmulatorOptionValues {
  const all = command.opts<Record<string, unknown>>();
  return {
    // An empty text is as none, as before the services declared their options.
    text: (option) => (all[attributeOf(option)] as string | undefined) || undefined,
    integer: (option) => all[attributeOf(option)] as number | undefined,
  };
}
