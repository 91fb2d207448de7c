import type { ServiceSpec } from "../../config/types.js";

/** Devo's configuration fields: profile `devo.*`, env `EVSEND_DEVO_*`, and their flags. */
export const devoSpec: ServiceSpec = {
  name: "devo",
  title: "Devo",
  fields: [
    {
      key: "endpoint",
      type: "string",
      endpoint: true,
      flag: "--endpoint",
      description: "region (us, us3, eu, ca, ap, ap2) or base URL; default us",
    },
    {
      key: "domain",
      type: "string",
      flag: "--domain",
      description: "Devo domain, e.g. acme or name@multitenant",
    },
    { key: "tag", type: "string", flag: "--tag", description: "Devo tag, e.g. my.app.web.access" },
    {
      key: "host",
      type: "string",
      flag: "--host",
      description: "sending host name; default this machine's",
    },
    {
      key: "token",
      type: "string",
      secret: true,
      flag: "--token-file",
      description: "HTTP endpoint token",
    },
    {
      key: "gzip",
      type: "boolean",
      flag: "--gzip",
      description: "gzip stream request bodies (devo file)",
    },
  ],
};
