import type { ServiceSpec } from "../../config/types.js";

/** Eventhos's configuration fields: profile `eventhos.*`, env `EVSEND_EVENTHOS_*`, and their flags. */
export const eventhosSpec: ServiceSpec = {
  name: "eventhos",
  title: "Eventhos",
  fields: [
    {
      key: "url",
      type: "string",
      endpoint: true,
      flag: "--url",
      value: "<base>",
      description: "base URL of your Eventhos server (no default)",
    },
    {
      key: "event",
      type: "string",
      flag: "--event",
      value: "<identifier>",
      description: "event identifier, e.g. order-created-9O_CE0Lcrz",
    },
    {
      key: "accessKey",
      type: "string",
      secret: true,
      flag: "--access-key-file",
      value: "<path|->",
      description: "read the long-lived access key from this file; - reads it from stdin",
    },
    {
      key: "clientId",
      type: "string",
      flag: "--client-id",
      value: "<id>",
      description: "client id, for client credentials",
    },
    {
      key: "clientSecret",
      type: "string",
      secret: true,
      flag: "--client-secret-file",
      value: "<path|->",
      description: "read the client secret from this file; - reads it from stdin",
    },
  ],
};
