import type { ServiceSpec } from "../../config/types.js";

/** Guance's configuration fields: profile `guance.*`, env `EVSEND_GUANCE_*`, and their flags. */
export const guanceSpec: ServiceSpec = {
  name: "guance",
  title: "Guance",
  fields: [
    {
      key: "site",
      type: "string",
      endpoint: true,
      flag: "--site",
      description: "Guance or TrueWatch site id (cn1, us1, eu1, truewatch-us1, …)",
    },
    {
      key: "url",
      type: "string",
      endpoint: true,
      flag: "--url",
      description:
        "OpenAPI host base URL, or the monitor's whole webhook URL (secret and subUri in it)",
    },
    {
      key: "secret",
      type: "string",
      secret: true,
      flag: "--secret-file",
      description: "the external event monitor's secret (the path segment after push-events/)",
    },
    {
      key: "subUri",
      type: "string",
      flag: "--sub-uri",
      description: "the monitor's subUri, e.g. datakit/push (may contain /)",
    },
    {
      key: "apiKey",
      type: "string",
      secret: true,
      flag: "--api-key-file",
      description: "optional API Key secret, sent as DF-API-KEY",
    },
  ],
};
