import { envName } from "./precedence.js";
import { SECRET_FORMS } from "./read-secret.js";
import { profileHelp } from "./schema.js";
import type { FieldSpec, ServiceSpec } from "./types.js";

/** The profile `config init` writes, and names as the default one. */
export const TEMPLATE_PROFILE = "default";

/** `CLIENT_SECRET` for `clientSecret`: the variable a `{ env: … }` example names. */
function upperSnake(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The commented-out example line of a field: what a value looks like. */
function example(spec: ServiceSpec, field: FieldSpec): string {
  if (field.secret) return `{ env: ${upperSnake(spec.name)}_${upperSnake(field.key)} }`;
  if (field.type === "boolean") return "true";
  const given = /\be\.g\. (\S+)/.exec(field.description)?.[1];
  if (given) return given;
  if (field.choices?.[0] !== undefined) return field.defaultText ?? field.choices[0];
  if (field.endpoint && field.defaultText?.includes("://")) return field.defaultText;
  if (field.endpoint) return "https://…";
  return field.value ?? "";
}

function fieldLines(spec: ServiceSpec, field: FieldSpec): string[] {
  const where = [field.flag ? `flag ${field.flag}` : "", `env ${envName(spec.name, field.key)}`];
  const defaultText = field.defaultText === undefined ? "" : `; default ${field.defaultText}`;
  const help = profileHelp(field);
  const choices = field.choices ? ` (${field.choices.join(", ")})` : "";
  return [
    `      # ${help}${field.choices && help.includes(field.choices.join(", ")) ? "" : choices}`,
    `      #   (${where.filter(Boolean).join(", ")}${defaultText})`,
    `      # ${field.key}: ${example(spec, field)}`,
  ];
}

/**
 * The commented template `evsend config init` writes: one profile with every service's fields,
 * each commented out with its help, where else it can be set, and an example value. As written it
 * sets nothing, so evsend behaves as without it until a line is uncommented. `schemaUrl`: the
 * config schema, for editors (the yaml-language-server line).
 */
export function configTemplate(specs: readonly ServiceSpec[], schemaUrl: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaUrl}`,
    "#",
    "# evsend configuration: profiles, each with a section per service. Uncomment what you use.",
    "# A flag or an EVSEND_ variable wins over a profile; `evsend config show` says where each value",
    "# comes from, `evsend config check` what is missing or broken (it sends nothing).",
    `# A secret field holds ${SECRET_FORMS}:`,
    "# prefer a reference to the secret itself; a literal one needs this file to stay chmod 600.",
    "# More profiles: copy this one under another name, then pick it with --profile or EVSEND_PROFILE.",
    "",
    `defaultProfile: ${TEMPLATE_PROFILE}`,
    "profiles:",
    `  ${TEMPLATE_PROFILE}:`,
  ];
  for (const spec of specs) {
    lines.push(`    ${spec.name}:`);
    spec.fields.forEach((field, i) => {
      if (i > 0) lines.push("");
      lines.push(...fieldLines(spec, field));
    });
  }
  return lines.join("\n") + "\n";
}
