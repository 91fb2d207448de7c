import { emulatorRoute } from "../../emulator/types.js";
import { defineEmulation } from "../define.js";

/** `evsend emulate --eventhos-config`; the emulator itself loads only there. */
export const eventhosEmulation = defineEmulation({
  options: {
    config: {
      flags: "--eventhos-config <path>",
      description:
        "JSON file of the Eventhos events and clients to emulate ({ events, clients, expiresIn, " +
        "lockoutSeconds }; see README › evsend eventhos send); without it any event identifier and any key work",
      kind: "file",
    },
  },
  async start({ config: path }) {
    const config = path
      ? await (await import("./emulator-config.js")).loadEventhosConfig(path)
      : undefined;
    const { eventhosEmulator, eventhosSettings } = await import("./emulator.js");
    return emulatorRoute(eventhosEmulator, eventhosSettings(config));
  },
});
