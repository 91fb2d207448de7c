import { databoom } from "./databoom/commands.js";
import { devo } from "./devo/commands.js";
import { eventhos } from "./eventhos/commands.js";
import { guance } from "./guance/commands.js";
import type { Service } from "./types.js";

/**
 * Every service evsend speaks, in the order help lists them. Adding an API means adding a folder
 * and one line here; only the composition root (src/program.ts) imports this list.
 */
export const services: readonly Service[] = [devo, databoom, eventhos, guance];
