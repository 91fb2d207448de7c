import { emulatorRoute } from "../../emulator/types.js";
import { defineEmulation } from "../define.js";

/** `evsend emulate --devo-token`; the emulator itself loads only there. */
export const devoEmulation = defineEmulation({
  options: {
    token: {
      flags: "--devo-token <token>",
      description:
        "accept only this made-up test token in Devo requests (401 for any other; without it, " +
        "any token); never a real token: flag values show in ps. Never printed",
      kind: "secret",
    },
  },
  async start({ token }) {
    const { devoEmulator } = await import("./emulator.js");
    return emulatorRoute(devoEmulator, { token });
  },
});
