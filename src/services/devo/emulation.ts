import { emulatorRoute } from "../../emulator/types.js";
import type { ServiceEmulation } from "../types.js";

/** `evsend emulate --devo-token`; the emulator itself loads only there. */
export const devoEmulation: ServiceEmulation = {
  options: [
    {
      flags: "--devo-token <token>",
      description:
        "accept only this made-up test token in Devo requests (401 for any other; without it, " +
        "any token); never a real token: flag values show in ps. Never printed",
      kind: "secret",
    },
  ],
  async start(values) {
    const { devoEmulator } = await import("./emulator.js");
    return emulatorRoute(devoEmulator, { token: values.text("devoToken") });
  },
};
