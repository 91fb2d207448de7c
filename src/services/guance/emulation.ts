import { emulatorRoute } from "../../emulator/types.js";
import { defineEmulation } from "../define.js";

/** `evsend emulate --guance-…`; the emulator itself loads only there. */
export const guanceEmulation = defineEmulation({
  options: {
    secret: {
      flags: "--guance-secret <secret>",
      description:
        "record only Guance pushes to this made-up secret; others get a 200 that records " +
        "nothing, as Guance does (without it, any secret). Never printed",
      kind: "secret",
    },
    apiKey: {
      flags: "--guance-api-key <key>",
      description:
        "require this made-up DF-API-KEY in Guance pushes (403 ft.InvalidAPIKey otherwise; " +
        "without it, any key or none). Never printed",
      kind: "secret",
    },
    rateLimit: {
      flags: "--guance-rate-limit <n>",
      description:
        "answer Guance pushes past n a minute with HTTP 401 and the rate-limit errorCode, " +
        "to test retries and --rate pacing",
      kind: "integer",
      min: 0,
    },
  },
  async start({ secret, apiKey, rateLimit }) {
    const { guanceEmulator } = await import("./emulator.js");
    return emulatorRoute(guanceEmulator, { secret, apiKey, rateLimit, recent: [] });
  },
});
