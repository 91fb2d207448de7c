import { Argument, type Command } from "commander";
import { completeAs, completionTree } from "../cli/completion-tree.js";
import { addExamples } from "../cli/help.js";
import type { ContextFactory } from "../services/types.js";

/** The shells evsend writes a completion script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The completion script for `shell` of the program whose root is `root`. */
export async function completionScript(root: Command, shell: Shell): Promise<string> {
  const tree = completionTree(root);
  switch (shell) {
    case "bash":
      return (await import("./completion/bash.js")).bashScript(tree);
    case "zsh":
      return (await import("./completion/zsh.js")).zshScript(tree);
    case "fish":
      return (await import("./completion/fish.js")).fishScript(tree);
  }
}

/**
 * `completion <shell>` with its summary: as the root help lists it (all a run that shows only
 * that help builds, program.ts), and the start of registerCompletion's command.
 */
export function listCompletion(program: Command): Command {
  return program
    .command("completion")
    .description("print the shell completion script for bash, zsh or fish")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(SHELLS));
}

/**
 * `evsend completion <shell>`, and the hidden `evsend __profiles` the scripts run to complete
 * `--profile`: the profiles of the config file this command line would use, one a line.
 */
export function registerCompletion(program: Command, contextFor: ContextFactory): void {
  const command = listCompletion(program).action(async (shell: Shell) => {
    const ctx = contextFor(command);
    const script = await completionScript(program, shell);
    ctx.output.result(script.trimEnd(), { shell, script }, { whenQuiet: true });
  });
  addExamples(command, [
    "source <(evsend completion bash)    # this shell; add the line to ~/.bashrc to keep it",
    "mkdir -p ~/.zfunc && evsend completion zsh > ~/.zfunc/_evsend    # with fpath=(~/.zfunc $fpath)",
    "mkdir -p ~/.config/fish/completions && evsend completion fish > ~/.config/fish/completions/evsend.fish",
  ]);
  const profiles = program
    .command("__profiles", { hidden: true })
    .description("the config file's profiles, one a line (for completion scripts)")
    .action(async () => {
      const ctx = contextFor(profiles);
      const config = await ctx.config();
      for (const name of Object.keys(config.data.profiles))
        ctx.output.result(name, { profile: name }, { whenQuiet: true });
    });
  completeAs(
    program.options.find((o) => o.long === "--profile")!,
    { kind: "profile" },
  );
}
