import type { CompletionNode } from "../../cli/completion-tree.js";
import {
  flatten,
  GENERATED,
  kindOf,
  shQuote,
  valuedNames,
  valuedOptionPatterns,
  variadicNames,
} from "./nodes.js";

/**
 * The walk and the replies, the same for every command tree; the data comes before it. (`\${` is
 * the shell's `${`, escaped from the template.)
 */
const LOGIC = String.raw`
# _evsend_reply KIND WORDS: completes the current word as KIND (file, profile, words, none).
_evsend_reply() {
  case $1 in
    file)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    profile)
      # The profiles of the config file this command line would use (--config, EVSEND_CONFIG or
      # the search), from evsend itself; nothing when there is none.
      local names
      names=$("\${COMP_WORDS[0]}" \${config:+--config "$config"} __profiles 2>/dev/null)
      mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur") ;;
    words) mapfile -t COMPREPLY < <(compgen -W "$2" -- "$cur") ;;
  esac
}

_evsend() {
  local cur=\${COMP_WORDS[COMP_CWORD]} word cmdpath='' config='' pending='' variadic='' i
  local _evsend_cmds _evsend_opts _evsend_valued _evsend_variadic _evsend_operand _evsend_words
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    # bash splits --opt=value at the =: the value is the word after it.
    [[ $word == = ]] && continue
    if [[ -n $pending ]]; then
      [[ $pending == -c || $pending == --config ]] && config=$word
      [[ " $_evsend_variadic " == *" $pending "* ]] && variadic=$pending
      pending=''
      continue
    fi
    _evsend_node "$cmdpath"
    case $word in
      --config=*) config=\${word#*=} ;;
      -*)
        variadic=''
        [[ " $_evsend_valued " == *" $word "* ]] && pending=$word ;;
      *)
        [[ -z $variadic && " $_evsend_cmds " == *" $word "* ]] && cmdpath=\${cmdpath:+$cmdpath }$word ;;
    esac
  done
  [[ $cur == = ]] && cur=''
  _evsend_node "$cmdpath"
  local option=\${pending:-$variadic}
  if [[ -n $option && ( -n $pending || $cur != -* ) ]]; then
    _evsend_value "$cmdpath" "$option"
    _evsend_reply "$_evsend_operand" "$_evsend_words"
  elif [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_evsend_opts" -- "$cur")
  elif [[ -n $_evsend_cmds ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_evsend_cmds" -- "$cur")
  else
    _evsend_reply "$_evsend_operand" "$_evsend_words"
  fi
}

complete -F _evsend evsend
`.replaceAll("\\${", "${");

/** The completion script for bash, from the command tree. */
export function bashScript(root: CompletionNode): string {
  const nodes = flatten(root);
  const nodeCases = nodes.map(({ key, node, options }) => {
    const operand = kindOf(node.operand);
    return [
      `    ${shQuote(key)})`,
      `      _evsend_cmds=${shQuote(node.commands.map((c) => c.path.at(-1)).join(" "))}`,
      `      _evsend_opts=${shQuote(options.flatMap((o) => o.names).join(" "))}`,
      `      _evsend_valued=${shQuote(valuedNames(options).join(" "))}`,
      `      _evsend_variadic=${shQuote(variadicNames(options).join(" "))}`,
      `      _evsend_operand=${operand.kind} _evsend_words=${shQuote(operand.words.join(" "))} ;;`,
    ].join("\n");
  });
  const valueCases = valuedOptionPatterns(nodes, root).map(({ patterns, value }) =>
    valueCase(patterns.join(" | "), kindOf(value)),
  );
  return [
    "# bash completion for evsend",
    `# ${GENERATED}`,
    "# Install: source it from ~/.bashrc, or copy it to ~/.local/share/bash-completion/completions/evsend",
    "",
    "# _evsend_node PATH: the subcommands of the command PATH, its options (its own and the global",
    "# ones), those that take a value, and what its operands complete to.",
    "_evsend_node() {",
    "  case $1 in",
    ...nodeCases,
    "  esac",
    "}",
    "",
    "# _evsend_value PATH OPTION: what the value of OPTION of the command PATH completes to.",
    "_evsend_value() {",
    "  _evsend_operand=none _evsend_words=''",
    '  case "$1|$2" in',
    ...valueCases,
    "  esac",
    "}",
    LOGIC,
  ].join("\n");
}

function valueCase(patterns: string, value: { kind: string; words: string[] }): string {
  return `    ${patterns}) _evsend_operand=${value.kind} _evsend_words=${shQuote(value.words.join(" "))} ;;`;
}
