import type { ServiceSpec } from "../../config/types.js";

/** Databoom's configuration fields: profile `databoom.*`, env `EVSEND_DATABOOM_*`, and their flags. */
export const databoomSpec: ServiceSpec = {
  name: "databoom",
  title: "Databoom",
  fields: [
    {
      key: "url",
      type: "string",
      endpoint: true,
      flag: "--url",
      value: "<base>",
      description: "API base URL, for on-premise installations",
      defaultText: "https://api.databoom.com/v1",
    },
    {
      key: "device",
      type: "string",
      flag: "--device",
      value: "<token>",
      description: "the device token, from its page in Databoom",
    },
    {
      key: "token",
      type: "string",
      secret: true,
      flag: "--token-file",
      value: "<path|->",
      description:
        "read the OAuth token (Publish permission) from this file; - reads it from stdin",
    },
  ],
};
