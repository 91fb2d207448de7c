import { envName } from "./precedence.js";
import type { FieldSpec, ServiceSpec } from "./types.js";

/** Where the schema is kept in the package, from its root (`npm run schema` writes it). */
export const SCHEMA_FILE = "schema/config.schema.json";

type Schema = Record<string, unknown>;

const SECRET_REF = (key: string, what: string): Schema => ({
  type: "object",
  properties: { [key]: { type: "string", minLength: 1, description: what } },
  required: [key],
  additionalProperties: false,
});

/** A secret field: a literal string, or where to read it. */
const SECRET: Schema = {
  anyOf: [
    { type: "string", description: "the secret itself (keep the file chmod 600)" },
    SECRET_REF("env", "read it from this environment variable"),
    SECRET_REF("file", "read it from this file (~ is your home)"),
    SECRET_REF(
      "command",
      "run this command and use its output (only from your own config file or --config)",
    ),
  ],
};

/**
 * A field's help as a profile reads it: a secret flag's help says "read the Devo token from this
 * file; …", which in a profile is "the Devo token".
 */
export function profileHelp(field: FieldSpec): string {
  const secret = /^read (the .+?) from this file\b/.exec(field.description)?.[1];
  return secret ?? field.description;
}

/** A field's schema: its type, fixed values and help, and where else it can be set. */
function fieldSchema(spec: ServiceSpec, field: FieldSpec): Schema {
  const also = [
    field.flag ? `flag ${field.flag}` : undefined,
    `env ${envName(spec.name, field.key)}`,
  ].filter(Boolean);
  const defaultText = field.defaultText === undefined ? "" : `; default ${field.defaultText}`;
  const description = `${profileHelp(field)} (${also.join(", ")}${defaultText})`;
  if (field.secret) return { ...SECRET, description };
  if (field.type === "boolean") return { type: "boolean", description };
  if (!field.choices) return { type: "string", minLength: 1, description };
  const choices = { type: "string", enum: [...field.choices] };
  if (field.orElse === undefined) return { ...choices, description };
  return {
    description: `${description}; or ${field.orElse}`,
    anyOf: [choices, { type: "string", minLength: 1 }],
  };
}

function serviceSchema(spec: ServiceSpec): Schema {
  return {
    type: ["object", "null"],
    description: `${spec.title}: its fields (a field unknown here is warned about and ignored)`,
    properties: Object.fromEntries(spec.fields.map((f) => [f.key, fieldSchema(spec, f)])),
    additionalProperties: false,
  };
}

/**
 * The JSON Schema of evsend's config file, from the services' field specs: editors that read it
 * (the `# yaml-language-server: $schema=…` line `config init` writes) complete and check profiles.
 */
export function configSchema(specs: readonly ServiceSpec[]): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "evsend configuration",
    description:
      "Profiles of settings for evsend; a command-line flag or an EVSEND_ variable wins over a profile.",
    type: "object",
    properties: {
      defaultProfile: {
        type: "string",
        minLength: 1,
        description: "the profile used without --profile or EVSEND_PROFILE",
      },
      profiles: {
        type: "object",
        description: "profile name → each service's settings",
        additionalProperties: { $ref: "#/definitions/profile" },
      },
    },
    additionalProperties: false,
    definitions: {
      profile: {
        type: ["object", "null"],
        properties: Object.fromEntries(
          specs.map((s) => [s.name, { $ref: `#/definitions/${s.name}` }]),
        ),
        additionalProperties: false,
      },
      ...Object.fromEntries(specs.map((s) => [s.name, serviceSchema(s)])),
    },
  };
}
