import type { Command } from "commander";
import type { ServiceSpec } from "../config/types.js";
import type { Context } from "../context.js";
import type { EmulatorRoute } from "../emulator/types.js";
import type { SecretForms } from "../transport/redact.js";

/** Builds a context for the command whose action is running. */
export type ContextFactory = (command: Command) => Context;

/**
 * One option of `evsend emulate` that a service adds, e.g. `--devo-token <token>`. Its kind says
 * what its value is and where its help goes (after `--host`, the kinds in this order): `secret`, a
 * made-up credential to accept (never printed); `integer`, a whole number from `min`; `file`, a
 * path the service reads.
 */
export interface EmulatorOption {
  /** Commander's flags, e.g. `--devo-token <token>`. */
  flags: string;
  description: string;
  kind: "secret" | "integer" | "file";
  /** The smallest integer accepted (kind `integer`). */
  min?: number;
}

/**
 * What `evsend emulate` was given for a service's options (unset ones undefined), asked by the
 * option itself: how a flag's value is named and parsed stays in commands/emulate-options.ts.
 */
export interface EmulatorOptionValues {
  /** A `secret` or `file` option's text. */
  text(option: EmulatorOption): string | undefined;
  /** An `integer` option's number. */
  integer(option: EmulatorOption): number | undefined;
}

/** The server side of a service for `evsend emulate`. */
export interface ServiceEmulation {
  /** The service's options of `evsend emulate`. */
  options: EmulatorOption[];
  /**
   * Loads the service's emulator (only `evsend emulate` does) and binds it to its typed settings,
   * read from the options' values: a config file is read and checked here, once. Written with
   * `defineEmulation` (services/define.ts), which reads each option into a typed setting.
   */
  start(values: EmulatorOptionValues): Promise<EmulatorRoute>;
}

/**
 * A service: everything evsend knows about one API. Adding an API means adding a folder that
 * exports one of these and one line in src/services/index.ts; nothing outside src/services/
 * names a service.
 */
export interface Service {
  /** Its configuration fields: profile keys, variables, flags and their help. */
  spec: ServiceSpec;
  /** One line for `evsend --help`'s list of commands (and the service's own help). */
  summary: string;
  /** Adds `evsend <service> …` to the program. */
  register(program: Command, contextFor: ContextFactory): void;
  /** How its secrets look where evsend did not register them (URL paths, header names). */
  secretForms?: SecretForms;
  /** Its emulator and the options of `evsend emulate` for it. */
  emulation: ServiceEmulation;
  /**
   * For `evsend config check`: resolves what its commands need, as they do before sending
   * (secrets read, URLs, regions and sites checked), and throws what they would. Sends nothing.
   */
  checkSettings(ctx: Context): Promise<void>;
}
