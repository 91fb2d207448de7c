import type { ServiceSpec } from "../../config/types.js";
import { GUANCE_SITES } from "./sites.js";

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
      value: "<id>",
      description: `Guance site: ${Object.keys(GUANCE_SITES).join(", ")}`,
      choices: Object.keys(GUANCE_SITES),
      orElse: "tw-<site> for truewatch-<site>, in any case",
    },
    {
      key: "url",
      type: "string",
      endpoint: true,
      flag: "--url",
      value: "<url>",
      description:
        "OpenAPI host of a private deployment, or the monitor's webhook URL (it holds the secret: prefer the variable or profile)",
    },
    {
      key: "secret",
      type: "string",
      secret: true,
      flag: "--secret-file",
      value: "<path|->",
      description: "read the monitor's secret from this file; - reads it from stdin",
    },
    {
      key: "subUri",
      type: "string",
      flag: "--sub-uri",
      value: "<path>",
      description: "the monitor's subUri, e.g. datakit/push",
    },
    {
      key: "apiKey",
      type: "string",
      secret: true,
      flag: "--api-key-file",
      value: "<path|->",
      description: "read the API Key secret (sent as DF-API-KEY) from this file; optional",
    },
  ],
};
