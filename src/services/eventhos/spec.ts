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
      description: "base URL of your Eventhos server (self-hosted: the administrator gives it)",
    },
    {
      key: "event",
      type: "string",
      flag: "--event",
      description: "event identifier, e.g. order-created-9O_CE0Lcrz",
    },
    {
      key: "accessKey",
      type: "string",
      secret: true,
      flag: "--access-key-file",
      description: "long-lived access key (wins over client credentials)",
    },
    {
      key: "clientId",
      type: "string",
      flag: "--client-id",
      description: "client id for client credentials, e.g. FNUqQzltW17ED4ZE3eAo::usil.app",
    },
    {
      key: "clientSecret",
      type: "string",
      secret: true,
      flag: "--client-secret-file",
      description: "client secret, exchanged for a 24-hour token",
    },
  ],
};
