import type { CompletionNode, CompletionOption } from "../../cli/completion-tree.js";
import { flatten, GENERATED, kindOf, valuedNames, variadicNames } from "./nodes.js";

/**
 * The walk and the replies, the same for every command tree; the data comes before it. (`\${` is
 * the shell's `${`, escaped from the template.)
 */
const LOGIC = String.raw`
# __evsend_reply PREFIX KIND WORDS...: the candidates for the current word as KIND.
function __evsend_reply
    set -l prefix $argv[1]
    set -l cur (string sub --start (math (string length -- "$prefix") + 1) -- (commandline -ct))
    switch $argv[2]
        case file
            for candidate in (__fish_complete_path $cur)
                printf '%s%s\n' $prefix $candidate
            end
        case profile
            # The profiles of the config file this command line would use (--config,
            # EVSEND_CONFIG or the search), from evsend itself; nothing when there is none.
            set -l config_args
            test -n "$__evsend_config"; and set config_args --config $__evsend_config
            for name in (command $__evsend_program $config_args __profiles 2>/dev/null)
                printf '%s%s\n' $prefix $name
            end
        case words
            for word in $argv[3..-1]
                printf '%s%s\n' $prefix $word
            end
    end
end

function __evsend_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -g __evsend_program $tokens[1]
    set -g __evsend_config
    set -l cmdpath ''
    set -l pending ''
    set -l variadic ''
    for word in $tokens[2..-1]
        if test -n "$pending"
            contains -- $pending -c --config; and set __evsend_config $word
            contains -- $pending $__evsend_variadic; and set variadic $pending
            set pending ''
            continue
        end
        __evsend_node $cmdpath
        switch $word
            case '--config=*'
                set __evsend_config (string replace -- '--config=' '' $word)
            case '-*'
                set variadic ''
                contains -- $word $__evsend_valued; and set pending $word
            case '*'
                if test -z "$variadic"; and contains -- $word $__evsend_cmds
                    set cmdpath (string trim -- "$cmdpath $word")
                end
        end
    end
    __evsend_node $cmdpath
    set -l option $pending
    test -z "$option"; and set option $variadic
    if test -z "$pending"; and string match -q -- '--*=*' $cur
        # --option=value: the value after the =.
        set option (string replace -r -- '=.*' '' $cur)
        contains -- $option $__evsend_valued; or return
        __evsend_value $cmdpath $option
        __evsend_reply "$option=" $__evsend_operand $__evsend_words
    else if test -n "$option"; and begin; test -n "$pending"; or not string match -q -- '-*' $cur; end
        __evsend_value $cmdpath $option
        __evsend_reply '' $__evsend_operand $__evsend_words
    else if string match -q -- '-*' $cur
        printf '%s\n' $__evsend_opt_lines
    else if test (count $__evsend_cmds) -gt 0
        printf '%s\n' $__evsend_cmd_lines
    else
        __evsend_reply '' $__evsend_operand $__evsend_words
    end
end

complete -c evsend -e
complete -c evsend -f -a '(__evsend_complete)'
`.replaceAll("\\${", "${");

/** `'text'` for fish: a backslash and a single quote are escaped inside. */
function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function list(words: string[]): string {
  return words.map(fishQuote).join(" ");
}

function optionLines(options: CompletionOption[]): string[] {
  return options.flatMap((o) => o.names.map((name) => `${name}\t${o.description}`));
}

/** The completion script for fish, from the command tree. */
export function fishScript(root: CompletionNode): string {
  const nodes = flatten(root);
  const nodeCases = nodes.map(({ key, node, options }) => {
    const operand = kindOf(node.operand);
    const names = node.commands.map((c) => c.path.at(-1) ?? "");
    const commandLines = node.commands.map((c) => `${c.path.at(-1)}\t${c.description}`);
    return [
      `        case ${fishQuote(key)}`,
      `            set -g __evsend_cmds ${list(names)}`,
      `            set -g __evsend_cmd_lines ${list(commandLines)}`,
      `            set -g __evsend_opt_lines ${list(optionLines(options))}`,
      `            set -g __evsend_valued ${list(valuedNames(options))}`,
      `            set -g __evsend_variadic ${list(variadicNames(options))}`,
      `            set -g __evsend_operand ${operand.kind}`,
      `            set -g __evsend_words ${list(operand.words)}`,
    ].join("\n");
  });
  const valueCases: string[] = [];
  for (const { key, node } of nodes) {
    for (const option of (key === "" ? [] : node.options).filter((o) => o.value)) {
      const patterns = option.names.map((n) => fishQuote(`${key}|${n}`)).join(" ");
      valueCases.push(valueCase(patterns, kindOf(option.value)));
    }
  }
  for (const option of root.options.filter((o) => o.value)) {
    const patterns = option.names.map((n) => fishQuote(`*|${n}`)).join(" ");
    valueCases.push(valueCase(patterns, kindOf(option.value)));
  }
  return [
    "# fish completion for evsend",
    `# ${GENERATED}`,
    "# Install: copy it to ~/.config/fish/completions/evsend.fish",
    "",
    "# __evsend_node PATH: the subcommands of the command PATH, its options (its own and the global",
    "# ones), those that take a value, and what its operands complete to.",
    "function __evsend_node",
    '    switch "$argv"',
    ...nodeCases,
    "    end",
    "end",
    "",
    "# __evsend_value PATH OPTION: what the value of OPTION of the command PATH completes to.",
    "function __evsend_value",
    "    set -g __evsend_operand none",
    "    set -g __evsend_words",
    '    switch "$argv[1]|$argv[2]"',
    ...valueCases,
    "    end",
    "end",
    LOGIC,
  ].join("\n");
}

function valueCase(patterns: string, value: { kind: string; words: string[] }): string {
  return [
    `        case ${patterns}`,
    `            set -g __evsend_operand ${value.kind}`,
    `            set -g __evsend_words ${list(value.words)}`,
  ].join("\n");
}
