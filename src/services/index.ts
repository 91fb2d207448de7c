import type { Command } from "commander";
import type { ServiceSpec } from "../config/types.js";
import type { ServiceEmulator } from "../emulator/types.js";
import type { ContextFactory } from "../program.js";
import { databoom } from "./databoom/commands.js";
import { devo } from "./devo/commands.js";
import { eventhos } from "./eventhos/commands.js";
import { guance } from "./guance/commands.js";

/** A service: its configuration fields and its commands. */
export interface Service {
  spec: ServiceSpec;
  /** One line for `evsend --help`'s list of commands (and the service's own help). */
  summary: string;
  /** Adds `evsend <service> …` to the program. */
  register(program: Command, contextFor: ContextFactory): void;
  /** The server side of this API for `evsend emulate`, loaded only there. */
  emulator(): Promise<ServiceEmulator>;
}

/** Every service evsend speaks. Adding an API means adding a folder and one line here. */
export const services: Service[] = [devo, databoom, eventhos, guance];
