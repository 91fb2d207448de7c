import { emulatorRoute } from "../../emulator/types.js";
import type { ServiceEmulation } from "../types.js";

/** `evsend emulate --guance-…`; the emulator itself loads only there. */
export const guanceEmulation: ServiceEmulation = {
  options: [
    {
      flags: "--guance-secret <secret>",
      description:
        "record only Guance pushes to this made-up secret; others get a 200 that records " +
        "nothing, as Guance does (without it, any secret). Never printed",
      kind: "secret",
    },
    {
      flags: "--guance-api-key <key>",
      description:
        "require this made-up DF-API-KEY in Guance pushes (403 ft.InvalidAPIKey otherwise; " +
        "without it, any key or none). Never printed",
      kind: "secret",
    },
    {
      flags: "--guance-rate-limit <n>",
      description:
        "answer Guance pushes past n a minute with HTTP 401 and the rate-limit errorCode, " +
        "to test retries and --rate pacing",
      kind: "integer",
      min: 0,
    },
  ],
  async start(values) {
    const { guanceEmulator } = await import("./emulator.js");
    return emulatorRoute(guanceEmulator, {
      secret: values.text("guanceSecret"),
      apiKey: values.text("guanceApiKey"),
      rateLimit: values.integer("guanceRateLimit"),
      recent: [],
    });
  },
};
