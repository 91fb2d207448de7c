import { emulatorRoute } from "../../emulator/types.js";
import type { ServiceEmulation } from "../types.js";

/** `evsend emulate --databoom-token`; the emulator itself loads only there. */
export const databoomEmulation: ServiceEmulation = {
  options: [
    {
      flags: "--databoom-token <token>",
      description:
        "accept only this made-up test token as Databoom's Bearer token (401 for any other; " +
        "without it, any token); never a real token: flag values show in ps. Never printed",
      kind: "secret",
    },
  ],
  async start(values) {
    const { databoomEmulator } = await import("./emulator.js");
    return emulatorRoute(databoomEmulator, { token: values.text("databoomToken") });
  },
};
