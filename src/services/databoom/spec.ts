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
      description: "API base URL; default https://api.databoom.com/v1",
    },
    {
      key: "device",
      type: "string",
      flag: "--device",
      description: "device token, shown on the device's page in Databoom",
    },
    {
      key: "token",
      type: "string",
      secret: true,
      flag: "--token-file",
      description: "OAuth token with the Publish permission (Settings → Credentials → OAuth keys)",
    },
  ],
};
