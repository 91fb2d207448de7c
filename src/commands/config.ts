import { Argument, type Command } from "commander";
import { completeAs } from "../cli/completion-tree.js";
import { addExamples } from "../cli/help.js";
import type { ContextFactory, Service } from "../services/types.js";

/** The optional `[service]` of `config show` and `config check`: one of the services' names. */
function serviceArgument(services: readonly Service[], what: string): Argument {
  const names = services.map((s) => s.spec.name);
  return completeAs(new Argument("[service]", what).choices(names), {
    kind: "words",
    words: names,
  });
}

const CONFIG_SUMMARY =
  "the resolved profile, where each value comes from, a template; sends nothing";

/** `config` as the root help lists it, for a run that shows only that help (program.ts). */
export function listConfig(program: Command): Command {
  return program.command("config").description(CONFIG_SUMMARY);
}

/** `evsend config show|path|init|check`: the configuration, seen from evsend, without sending. */
export function registerConfig(
  program: Command,
  contextFor: ContextFactory,
  services: readonly Service[],
): void {
  const config = listConfig(program);
  const show = config
    .command("show")
    .description("each service's settings, each with its source; secrets masked")
    .addArgument(serviceArgument(services, "only this service"))
    .action(async (name: string | undefined) => {
      const { runConfigShow } = await import("./config/show.js");
      await runConfigShow(contextFor(show), pick(services, name));
    });
  const path = config
    .command("path")
    .description("the config file in use (or where evsend looked)")
    .action(async () => {
      const { runConfigPath } = await import("./config/path.js");
      await runConfigPath(contextFor(path));
    });
  const init = config
    .command("init")
    .description("write a commented template to the user config file (or --config), mode 600")
    .action(async () => {
      const { runConfigInit } = await import("./config/init.js");
      await runConfigInit(contextFor(init), services);
    });
  const check = config
    .command("check")
    .description("resolve what each command needs and try each secret; exit 3 if anything is wrong")
    .addArgument(serviceArgument(services, "only this service, even if the profile skips it"))
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
  addConfigExamples(config, services);
}

/** Each subcommand's examples, runnable as written (help-examples test). */
function addConfigExamples(config: Command, services: readonly Service[]): void {
  const first = services[0]?.spec.name ?? "";
  const last = services.at(-1)?.spec.name ?? "";
  const sub = (name: string): Command => config.commands.find((c) => c.name() === name)!;
  addExamples(config, ["evsend config show", "evsend config check"]);
  addExamples(sub("show"), [
    "evsend config show                        # every service, each value's source",
    `evsend -p prod config show ${first} --json`,
  ]);
  addExamples(sub("path"), [
    "evsend config path",
    'grep -n defaultProfile "$(evsend config path)"',
  ]);
  addExamples(sub("init"), [
    "evsend -c ./evsend.yaml config init       # default: ~/.config/evsend/config.yaml",
    "EVSEND_CONFIG=ci/evsend.yaml evsend config init",
  ]);
  addExamples(sub("check"), [
    "evsend config check                       # the services the profile sets up",
    `evsend -p prod config check ${last}        # one service, set up or not`,
  ]);
}

function pick(services: readonly Service[], name: string | undefined): readonly Service[] {
  return name === undefined ? services : services.filter((s) => s.spec.name === name);
}
