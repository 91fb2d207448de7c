import type { CompletionNode, CompletionOption } from "../../cli/completion-tree.js";
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
# _evsend_reply KIND WORDS...: completes the current word as KIND (file, profile, words, none).
_evsend_reply() {
  local kind=$1
  shift
  case $kind in
    file) _files ;;
    profile)
      # The profiles of the config file this command line would use (--config, EVSEND_CONFIG or
      # the search), from evsend itself; nothing when there is none.
      local -a names
      names=(\${(f)"$(\${words[1]} \${config:+--config} \${config:+$config} __profiles 2>/dev/null)"})
      compadd -a names ;;
    words) compadd -- "$@" ;;
  esac
}

_evsend() {
  local word cmdpath='' config='' pending='' variadic='' cur=\${words[CURRENT]}
  local -a _evsend_cmds _evsend_opts _evsend_valued _evsend_variadic _evsend_words
  local _evsend_operand
  local -i i
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if [[ -n $pending ]]; then
      [[ $pending == -c || $pending == --config ]] && config=$word
      (( \${_evsend_variadic[(Ie)$pending]} )) && variadic=$pending
      pending=''
      continue
    fi
    _evsend_node "$cmdpath"
    case $word in
      --config=*) config=\${word#*=} ;;
      -*)
        variadic=''
        (( \${_evsend_valued[(Ie)$word]} )) && pending=$word ;;
      *)
        [[ -z $variadic ]] && (( \${_evsend_cmds[(I)$word:*]} )) && cmdpath=\${cmdpath:+$cmdpath }$word ;;
    esac
  done
  _evsend_node "$cmdpath"
  local option=\${pending:-$variadic}
  if [[ -z $pending && $cur == --*=* ]]; then
    # --option=value: the value after the =.
    option=\${cur%%=*}
    compset -P '*='
    (( \${_evsend_valued[(Ie)$option]} )) || return 1
    _evsend_value "$cmdpath" "$option"
    _evsend_reply "$_evsend_operand" "\${_evsend_words[@]}"
  elif [[ -n $option && ( -n $pending || $cur != -* ) ]]; then
    _evsend_value "$cmdpath" "$option"
    _evsend_reply "$_evsend_operand" "\${_evsend_words[@]}"
  elif [[ $cur == -* ]]; then
    _describe -t options 'evsend option' _evsend_opts
  elif (( $#_evsend_cmds )); then
    _describe -t commands 'evsend command' _evsend_cmds
  else
    _evsend_reply "$_evsend_operand" "\${_evsend_words[@]}"
  fi
}

# Autoloaded from $fpath, this file is the body of _evsend; sourced, it registers it.
if [[ $funcstack[1] == _evsend ]]; then
  _evsend "$@"
else
  compdef _evsend evsend
fi
`.replaceAll("\\${", "${");

/** `name:description` entries for _describe; a colon in a name would end it, so none has one. */
function described(entries: Array<{ name: string; description: string }>): string {
  return entries.map((e) => shQuote(`${e.name}:${e.description}`)).join(" ");
}

function optionEntries(options: CompletionOption[]): Array<{ name: string; description: string }> {
  return options.flatMap((o) => o.names.map((name) => ({ name, description: o.description })));
}

/** The completion script for zsh, from the command tree. */
export function zshScript(root: CompletionNode): string {
  const nodes = flatten(root);
  const nodeCases = nodes.map(({ key, node, options }) => {
    const operand = kindOf(node.operand);
    const commands = node.commands.map((c) => ({
      name: c.path.at(-1) ?? "",
      description: c.description,
    }));
    return [
      `    ${shQuote(key)})`,
      `      _evsend_cmds=(${described(commands)})`,
      `      _evsend_opts=(${described(optionEntries(options))})`,
      `      _evsend_valued=(${valuedNames(options).join(" ")})`,
      `      _evsend_variadic=(${variadicNames(options).join(" ")})`,
      `      _evsend_operand=${operand.kind} _evsend_words=(${operand.words.map(shQuote).join(" ")}) ;;`,
    ].join("\n");
  });
  const valueCases = valuedOptionPatterns(nodes, root).map(({ patterns, value }) =>
    valueCase(patterns.join("|"), kindOf(value)),
  );
  return [
    "#compdef evsend",
    "# zsh completion for evsend",
    `# ${GENERATED}`,
    "# Install: copy it as _evsend into a directory of $fpath (before compinit runs), or source it",
    "# after compinit in ~/.zshrc.",
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
    "  _evsend_operand=none _evsend_words=()",
    '  case "$1|$2" in',
    ...valueCases,
    "  esac",
    "}",
    LOGIC,
  ].join("\n");
}

function valueCase(patterns: string, value: { kind: string; words: string[] }): string {
  return `    ${patterns}) _evsend_operand=${value.kind} _evsend_words=(${value.words.map(shQuote).join(" ")}) ;;`;
}
