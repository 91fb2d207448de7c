import type { EmulatorRoute } from "../emulator/types.js";
import type { EmulatorOption, ServiceEmulation } from "./types.js";

/** An option's value as its kind makes it: a number for `integer`, else text; unset: undefined. */
export type EmulatorSetting<O extends EmulatorOption> =
  (O["kind"] extends "integer" ? number : string) | undefined;

/** The values of a service's named emulator options, each typed by its option's kind. */
export type EmulatorSettings<Options extends Record<string, EmulatorOption>> = {
  readonly [Name in keyof Options]: EmulatorSetting<Options[Name]>;
};

/**
 * A service's part of `evsend emulate`, typed end to end: its options by name (help lists them by
 * kind, in this order within a kind), and `start`, which gets each option's value under the same
 * name — `{ rateLimit: number | undefined }` for an `integer` option `rateLimit` — and binds the
 * service's emulator to its settings (`emulatorRoute`).
 */
export function defineEmulation<const Options extends Record<string, EmulatorOption>>(emulation: {
  options: Options;
  start(settings: EmulatorSettings<Options>): Promise<EmulatorRoute>;
}): ServiceEmulation {
  const named = Object.entries(emulation.options);
  return {
    options: named.map(([, option]) => option),
    start(values) {
      const settings = Object.fromEntries(
        named.map(([name, option]) => [
          name,
          option.kind === "integer" ? values.integer(option) : values.text(option),
        ]),
      );
      // Each entry was read as its option's kind says, which is what EmulatorSettings spells.
      return emulation.start(settings as EmulatorSettings<Options>);
    },
  };
}
