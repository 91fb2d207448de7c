import type { ServiceSpec } from "../../config/types.js";
import { DEVO_REGIONS } from "./protocol.js";

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
      value: "<region|url>",
      description: `Devo region (${Object.keys(DEVO_REGIONS).join(", ")}) or a base URL`,
      defaultText: "us",
      choices: Object.keys(DEVO_REGIONS),
      orElse: "a base URL, e.g. https://collector.example.com",
    },
    {
      key: "domain",
      type: "string",
      flag: "--domain",
      value: "<domain>",
      description: "Devo domain, e.g. acme",
    },
    {
      key: "tag",
      type: "string",
      flag: "--tag",
      value: "<tag>",
      description: "Devo tag, e.g. my.app.web.access",
    },
    {
      key: "host",
      type: "string",
      flag: "--host",
      value: "<name>",
      description: "host name sent with the events",
      defaultText: "this machine's hostname",
    },
    {
      key: "token",
      type: "string",
      secret: true,
      flag: "--token-file",
      value: "<path|->",
      description: "read the Devo token from this file; - reads it from stdin",
    },
    {
      key: "gzip",
      type: "boolean",
      flag: "--gzip",
      description: "gzip-compress request bodies",
    },
  ],
};
