import type { SelectedProfile } from "../../config/profile.js";
import type { LoadedConfig } from "../../config/types.js";
import type { Context } from "../../context.js";

/** The config file and profile a command would use, and how each was chosen. */
export interface InUse {
  config: LoadedConfig;
  profile: SelectedProfile;
  /** `/h/.config/evsend/config.yaml (your user config)`, or `none found`. */
  fileText: string;
  /** `prod (--profile)`, `prod (defaultProfile)`, `none`. */
  profileText: string;
}

/** The file and profile this command line selects, as every command would select them. */
export async function inUse(ctx: Context): Promise<InUse> {
  const { selectProfile } = await import("../../config/profile.js");
  const config = await ctx.config();
  const env = ctx.runtime.env;
  const requested = ctx.globals.profile ?? (env.EVSEND_PROFILE || undefined);
  const profile = selectProfile(config, requested);
  const how =
    ctx.globals.profile !== undefined
      ? "--profile"
      : requested !== undefined
        ? "env EVSEND_PROFILE"
        : "defaultProfile";
  const fileHow = {
    explicit: ctx.globals.config !== undefined ? "--config" : "env EVSEND_CONFIG",
    user: "your user config",
    project: "a project file found from the working directory",
  }[config.origin ?? "explicit"];
  return {
    config,
    profile,
    fileText: config.filepath === undefined ? "none found" : `${config.filepath} (${fileHow})`,
    profileText: profile.name === undefined ? "none" : `${profile.name} (${how})`,
  };
}
