import type { Context } from "../../context.js";
import { ConfigError } from "../../errors.js";

/**
 * `evsend config path`: the config file this command line would use, alone on stdout (for
 * `$EDITOR "$(evsend config path)"`); none found is exit 3, naming where evsend looked.
 */
export async function runConfigPath(ctx: Context): Promise<void> {
  const { userConfigDir } = await import("../../config/paths.js");
  const config = await ctx.config();
  if (config.filepath === undefined) {
    const looked = config.searched?.length ? `; looked in ${config.searched.join(", ")}` : "";
    throw new ConfigError(`no config file found${looked}`, {
      hint: `create ${userConfigDir(ctx.runtime.env, ctx.runtime.homedir)}/config.yaml with \`evsend config init\``,
    });
  }
  ctx.output.result(
    config.filepath,
    { path: config.filepath, origin: config.origin ?? null },
    { whenQuiet: true },
  );
  ctx.output.summary([], { path: config.filepath }, 0);
}
