import { chmod, mkdir, open } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "../../context.js";
import { ConfigError, UsageError } from "../../errors.js";
import type { Service } from "../../services/types.js";

/**
 * `evsend config init`: writes the commented template (every service's fields, all commented
 * out) to `--config`/`EVSEND_CONFIG`, else the user config file, with mode 0600 and never over an
 * existing file. Its first line points editors at the package's config schema.
 */
export async function runConfigInit(ctx: Context, services: readonly Service[]): Promise<void> {
  const { expandHome, fsReason, shellQuote, userConfigDir } = await import("../../config/paths.js");
  const { configTemplate } = await import("../../config/template.js");
  const { SCHEMA_FILE } = await import("../../config/schema.js");
  const { runtime } = ctx;
  const named = ctx.globals.config ?? (runtime.env.EVSEND_CONFIG || undefined);
  const target = named
    ? resolve(runtime.cwd, expandHome(named, runtime.homedir))
    : join(userConfigDir(runtime.env, runtime.homedir), "config.yaml");
  if (![".yaml", ".yml"].includes(extname(target).toLowerCase()) && named) {
    throw new UsageError(`config init writes YAML, but ${named} is not a .yaml or .yml file`, {
      hint: "name a file such as evsend.yaml with --config",
    });
  }
  const schema = runtime.packageDir
    ? pathToFileURL(join(runtime.packageDir, SCHEMA_FILE)).href
    : SCHEMA_FILE;
  const text = configTemplate(
    services.map((s) => s.spec),
    schema,
  );
  await mkdir(dirname(target), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw new ConfigError(`cannot create ${dirname(target)}: ${fsReason(error)}`, { cause: error });
  });
  let file;
  try {
    // "wx": fails if the file exists, even if it appears between a check and the write.
    file = await open(target, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new ConfigError(`${target} exists; config init never overwrites a file`, {
        hint: `edit it (\`evsend config show\` shows what it sets), or move it aside: mv ${shellQuote(target)} ${shellQuote(`${target}.old`)}`,
      });
    }
    throw new ConfigError(`cannot write ${target}: ${fsReason(error)}`, { cause: error });
  }
  try {
    await file.writeFile(text);
  } finally {
    await file.close();
  }
  // The umask may have taken bits from 0600, never added any; this makes it exactly 0600.
  await chmod(target, 0o600);
  ctx.output.result(`wrote ${target} (mode 600): every line commented out; edit it`, {
    path: target,
    schema,
  });
  ctx.output.summary([], { path: target }, 0);
}
