import { emulatorRoute } from "../../emulator/types.js";
import { defineEmulation } from "../define.js";

/** `evsend emulate --databoom-token`; the emulator itself loads only there. */
export const databoomEmulation = defineEmulation({
  options: {
    token: {
      flags: "--databoom-token <token>",
      description:
        "accept only this made-up test token as Databoom's Bearer token (401 for any other; " +
        "without it, any token); never a real token: flag values show in ps. Never printed",
      kind: "secret",
    },
  },
  async start({ token }) {
    const { databoomEmulator } = await import("./emulator.js");
    return emulatorRoute(databoomEmulator, { token });
  },
});
