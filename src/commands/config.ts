import { Argument, type Command } from "commander";
import { completeAs } from "../cli/completion-tree.js";
import type { ContextFactory, Service } from "../services/types.js";

const EXAMPLES = {
  show: `
Examples:
  evsend config show                      every service's settings and where each comes from
  evsend -p prod config show devo --json  one service, as JSON`,
  path: `
Examples:
  evsend config path
  "\${EDITOR:-vi}" "$(evsend config path)"`,
  init: `
Examples:
  evsend config init                      ~/.config/evsend/config.yaml (XDG_CONFIG_HOME)
  evsend -c ./ci/evsend.yaml config init  another file`,
  check: `
Examples:
  evsend config check                     the services the profile sets up
  evsend -p prod config check guance      one service, whether set up or not`,
};

/** The optional `[service]` of `config show` and `config check`: one of the services' names. */
function serviceArgument(services: readonly Service[], what: string): Argument {
  const names = services.map((s) => s.spec.name);
  return completeAs(new Argument("[service]", what).choices(names), {
    kind: "words",
    words: names,
  });
}

/** `evsend config show|path|init|check`: the configuration, seen from evsend, without sending. */
export function registerConfig(
  program: Command,
  contextFor: ContextFactory,
  services: readonly Service[],
): void {
  const config = program
    .command("config")
    .description("the resolved profile, where each value comes from, a template; sends nothing");
  const show = config
    .command("show")
    .description("each service's settings, each with its source; secrets masked")
    .addArgument(serviceArgument(services, "only this service"))
    .addHelpText("after", EXAMPLES.show)
    .action(async (name: string | undefined) => {
      const { runConfigShow } = await import("./config/show.js");
      await runConfigShow(contextFor(show), pick(services, name));
    });
  const path = config
    .command("path")
    .description("the config file in use (or where evsend looked)")
    .addHelpText("after", EXAMPLES.path)
    .action(async () => {
      const { runConfigPath } = await import("./config/path.js");
      await runConfigPath(contextFor(path));
    });
  const init = config
    .command("init")
    .description("write a commented template to the user config file (or --config), mode 600")
    .addHelpText("after", EXAMPLES.init)
    .action(async () => {
      const { runConfigInit } = await import("./config/init.js");
      await runConfigInit(contextFor(init), services);
    });
  const check = config
    .command("check")
    .description("resolve what each command needs and try each secret; exit 3 if anything is wrong")
    .addArgument(serviceArgument(services, "only this service, even if the profile skips it"))
    .addHelpText("after", EXAMPLES.check)
    .action(async (name: string | undefined) => {
      const { runConfigCheck } = await import("./config/check.js");
      await runConfigCheck(contextFor(check), {
        services: pick(services, name),
        named: name !== undefined,
        commandsOf: (service: string) =>
          (program.commands.find((c) => c.name() === service)?.commands ?? [])
            .map((c) => c.name())
            .filter((n) => n !== "help")
            .map((n) => `${service} ${n}`),
      });
    });
}

function pick(services: readonly Service[], name: string | undefined): readonly Service[] {
  return name === undefined ? services : services.filter((s) => s.spec.name === name);
}
