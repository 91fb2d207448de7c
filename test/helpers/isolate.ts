/**
 * Variables from the outside that change what evsend does, so no test or benchmark may inherit
 * them: evsend's own, proxies, TLS overrides, colour and CI switches, and the config location.
 */
const OUTSIDE =
  /^(EVSEND_|(HTTPS?|NO|ALL)_PROXY$|NO_COLOR$|FORCE_COLOR$|CI$|NODE_TLS_REJECT_UNAUTHORIZED$|NODE_EXTRA_CA_CERTS$|XDG_CONFIG_HOME$|XDG_CACHE_HOME$)/i;

/**
 * `base` (the test runner's environment) without any of those variables, with HOME,
 * XDG_CONFIG_HOME and XDG_CACHE_HOME pointing into `home`: a spawned evsend reads no config, no
 * cached token and no setting of the person running the tests. PATH and the like are kept (commands, node itself).
 */
export function isolatedEnv(
  home: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!OUTSIDE.test(key)) env[key] = value;
  env.HOME = home;
  env.XDG_CONFIG_HOME = `${home}/.config`;
  env.XDG_CACHE_HOME = `${home}/.cache`;
  return env;
}
