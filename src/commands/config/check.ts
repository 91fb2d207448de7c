import { sourceText } from "../../cli/field-option.js";
import { envName } from "../../config/precedence.js";
import { describeFields } from "../../config/provenance.js";
import type { Context } from "../../context.js";
import { ExitCode, EvsendError } from "../../errors.js";
import type { Service } from "../../services/types.js";
import { inUse } from "./in-use.js";

/** What `config check` checks. */
export interface ConfigCheckOptions {
  services: readonly Service[];
  /** A service was named: check it even if the profile does not set it up. */
  named: boolean;
  /** `devo send`, `devo file`: the commands a service's settings serve. */
  commandsOf(service: string): string[];
}

/** One thing wrong, as printed: message and fix. */
interface Problem {
  message: string;
  hint?: string;
}

/** A configuration problem becomes a Problem; anything else (Ctrl-C, a bug) goes on up. */
function asProblem(error: unknown, field?: string): Problem {
  if (!(error instanceof EvsendError) || error.exitCode !== ExitCode.config) throw error;
  // Name the field, unless the message does already.
  const prefix = field === undefined || error.message.includes(field) ? "" : `${field}: `;
  return { message: prefix + error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/** Whether the profile or the environment sets anything of `service`. */
function setUp(service: Service, section: unknown, env: NodeJS.ProcessEnv): boolean {
  if (section !== undefined) return true;
  return service.spec.fields.some((f) => !!env[envName(service.spec.name, f.key)]);
}

/**
 * `evsend config check [service]`: for each service the profile sets up (or the one named, or
 * every one when none is), tries each secret reference the settings hold (file readable,
 * variable set, command exits 0 in its timeout) and resolves what its commands need as they
 * would, without sending. Exit 3 when anything is missing or broken; secrets are never printed.
 */
export async function runConfigCheck(ctx: Context, options: ConfigCheckOptions): Promise<void> {
  const { output, runtime } = ctx;
  const { config, profile, fileText, profileText } = await inUse(ctx);
  if (!output.json)
    output.result(`config file: ${fileText}\nprofile: ${profileText}`, {}, { whenQuiet: true });
  const anySetUp = options.services.some((s) => setUp(s, profile.data[s.spec.name], runtime.env));
  let problems = 0;
  let checked = 0;
  for (const service of options.services) {
    const { spec } = service;
    const commands = options.commandsOf(spec.name);
    if (!options.named && anySetUp && !setUp(service, profile.data[spec.name], runtime.env)) {
      output.result(
        `${spec.name}: not set up (no ${spec.name} section in the profile, no EVSEND_${spec.name.toUpperCase()}_ variable): skipped`,
        { service: spec.name, status: "skipped", commands },
        { whenQuiet: true },
      );
      continue;
    }
    checked += 1;
    const found: Problem[] = [];
    const secrets: Array<{ key: string; source: string; ok: boolean }> = [];
    const fields = describeFields(spec, {
      env: runtime.env,
      profileName: profile.name,
      profile: profile.data,
      configPath: config.filepath,
    });
    for (const field of fields.filter((f) => f.secret && f.source)) {
      const from = sourceText(field.source!) + (field.reference ? `, ${field.reference}` : "");
      const one = { ...spec, fields: spec.fields.filter((f) => f.key === field.key) };
      try {
        await ctx.resolve(one, {}, undefined, { readSecrets: true });
        secrets.push({ key: field.key, source: from, ok: true });
      } catch (error) {
        found.push(asProblem(error, `${spec.name}.${field.key}`));
        secrets.push({ key: field.key, source: from, ok: false });
      }
    }
    // First as --dry-run does (no secret read), so that a broken secret does not hide a bad URL
    // behind it; then, when all is well so far, for real: a required secret that is not set.
    const dryRun: Context = { ...ctx, globals: { ...ctx.globals, dryRun: true } };
    for (const run of found.length === 0 ? [dryRun, ctx] : [dryRun]) {
      try {
        await service.checkSettings(run);
      } catch (error) {
        found.push(asProblem(error));
        break;
      }
    }
    problems += found.length;
    const lines = [
      `${spec.name} (${commands.join(", ")}): ${found.length === 0 ? "ok" : `${found.length} problem${found.length === 1 ? "" : "s"}`}`,
      ...secrets.filter((s) => s.ok).map((s) => `  ${s.key}: read from ${s.source}`),
      ...found.flatMap((p) => [
        `  ${p.message.replace(/\n/g, "\n  ")}`,
        ...(p.hint ? [`    hint: ${p.hint}`] : []),
      ]),
    ];
    output.result(
      lines.join("\n"),
      {
        service: spec.name,
        status: found.length === 0 ? "ok" : "problems",
        commands,
        secrets,
        problems: found,
      },
      { whenQuiet: true },
    );
  }
  const exitCode = problems === 0 ? ExitCode.ok : ExitCode.config;
  output.summary(
    [
      problems === 0
        ? `config check: ${checked} service${checked === 1 ? "" : "s"} ready; nothing was sent`
        : `config check: ${problems} problem${problems === 1 ? "" : "s"}; nothing was sent`,
    ],
    { checked, problems },
    exitCode,
  );
  runtime.exitCode = exitCode;
}
