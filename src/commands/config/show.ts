import { sourceText } from "../../cli/field-option.js";
import { describeFields, type FieldView } from "../../config/provenance.js";
import type { Context } from "../../context.js";
import type { Service } from "../../services/types.js";
import { MASK } from "../../transport/redact.js";
import { inUse } from "./in-use.js";

/** The value column of a field: its value, the mask for a secret, or `(not set)`. */
function valueText(field: FieldView): string {
  if (!field.source) return "(not set)";
  if (!field.secret) return field.value ?? "";
  return field.reference ? `${MASK} (${field.reference})` : MASK;
}

function sourceColumn(field: FieldView): string {
  if (!field.source) return "";
  return field.source.kind === "default" ? "default" : sourceText(field.source);
}

/**
 * `evsend config show [service]`: for each service, every field's value (secrets masked, where
 * each is read from instead) and the layer it comes from. Nothing is read but the config file.
 */
export async function runConfigShow(ctx: Context, services: readonly Service[]): Promise<void> {
  const { output, runtime } = ctx;
  const { config, profile, fileText, profileText } = await inUse(ctx);
  const header = [`config file: ${fileText}`, `profile: ${profileText}`];
  if (!output.json) output.result(header.join("\n"), {}, { whenQuiet: true });
  for (const service of services) {
    const { spec } = service;
    const fields = describeFields(spec, {
      env: runtime.env,
      profileName: profile.name,
      profile: profile.data,
      configPath: config.filepath,
    });
    const keyWidth = Math.max(...fields.map((f) => f.key.length));
    const valueWidth = Math.min(40, Math.max(...fields.map((f) => valueText(f).length)));
    const lines = fields.map((f) =>
      `  ${f.key.padEnd(keyWidth)}  ${valueText(f).padEnd(valueWidth)}  ${sourceColumn(f)}`.trimEnd(),
    );
    output.result(
      [`\n${spec.name}`, ...lines].join("\n"),
      {
        service: spec.name,
        profile: profile.name ?? null,
        configFile: config.filepath ?? null,
        fields: fields.map((f) => ({
          key: f.key,
          set: f.source !== undefined,
          ...(f.secret ? { secret: true } : { value: f.value ?? null }),
          ...(f.reference ? { reference: f.reference } : {}),
          source: f.source ?? null,
        })),
      },
      { whenQuiet: true },
    );
  }
  output.summary([], { services: services.length }, 0);
}
