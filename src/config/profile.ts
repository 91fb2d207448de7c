import { ConfigError } from "../errors.js";
import type { LoadedConfig } from "./types.js";

/** The profile a command uses: its name (undefined for none) and its services' sections. */
export interface SelectedProfile {
  name: string | undefined;
  data: Record<string, unknown>;
}

/** Where to create a profile, for hints when there is none. */
export const CREATE_PROFILE_HINT =
  "add a profile and defaultProfile to ~/.config/evsend/config.yaml (README › Configuration)";

function unknownProfile(name: string, config: LoadedConfig, viaDefault: boolean): ConfigError {
  const origin = viaDefault ? ` (defaultProfile in ${config.filepath})` : "";
  if (config.filepath === undefined) {
    return new ConfigError(`unknown profile "${name}": no config file was found`, {
      hint: CREATE_PROFILE_HINT,
    });
  }
  const names = Object.keys(config.data.profiles);
  const existing =
    names.length > 0
      ? `profiles in ${config.filepath}: ${names.join(", ")}`
      : `${config.filepath} defines no profiles`;
  return new ConfigError(`unknown profile "${name}"${origin}; ${existing}`, {
    hint: viaDefault
      ? "fix defaultProfile, or pass --profile <name>"
      : "pass one of those to --profile (or EVSEND_PROFILE), or add the profile to the file",
  });
}

/**
 * Picks the profile: the requested one (--profile, else EVSEND_PROFILE, merged by the caller),
 * else `defaultProfile`, else none — evsend never guesses, even when the file has one profile.
 */
export function selectProfile(
  config: LoadedConfig,
  requested: string | undefined,
): SelectedProfile {
  const viaDefault = requested === undefined;
  const name = requested ?? config.data.defaultProfile;
  if (name === undefined) return { name: undefined, data: {} };
  const data = Object.hasOwn(config.data.profiles, name) ? config.data.profiles[name] : undefined;
  if (data === undefined) throw unknownProfile(name, config, viaDefault);
  return { name, data };
}
