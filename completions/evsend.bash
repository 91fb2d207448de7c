# bash completion for evsend
# Generated from evsend's command tree (`evsend completion <shell>`, `npm run completions`); do not edit.
# Install: source it from ~/.bashrc, or copy it to ~/.local/share/bash-completion/completions/evsend

# _evsend_node PATH: the subcommands of the command PATH, its options (its own and the global
# ones), those that take a value, and what its operands complete to.
_evsend_node() {
  case $1 in
    '')
      _evsend_cmds='devo databoom eventhos guance config emulate completion help'
      _evsend_opts='-V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color -h --help'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'devo')
      _evsend_cmds='send file help'
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'devo send')
      _evsend_cmds=''
      _evsend_opts='--method --endpoint --domain --tag --host --token-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--method --endpoint --domain --tag --host --token-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'devo file')
      _evsend_cmds=''
      _evsend_opts='--exclude --batch-size --gzip --no-gzip --gzip-level --concurrency --state --rejects --endpoint --domain --tag --host --token-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--exclude --batch-size --gzip-level --concurrency --state --rejects --endpoint --domain --tag --host --token-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=file _evsend_words='' ;;
    'devo help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='send file' ;;
    'databoom')
      _evsend_cmds='push history help'
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'databoom push')
      _evsend_cmds=''
      _evsend_opts='--date --allow-text --device --url --token-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--date --device --url --token-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'databoom history')
      _evsend_cmds=''
      _evsend_opts='--format --exclude --batch-points --concurrency --state --rejects --allow-text --delimiter --device --url --token-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--format --exclude --batch-points --concurrency --state --rejects --delimiter --device --url --token-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=file _evsend_words='' ;;
    'databoom help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='push history' ;;
    'eventhos')
      _evsend_cmds='send help'
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'eventhos send')
      _evsend_cmds=''
      _evsend_opts='--data-file --max-body --ndjson --exclude --concurrency --state --rejects --url --event --access-key-file --client-id --client-secret-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--data-file --max-body --ndjson --exclude --concurrency --state --rejects --url --event --access-key-file --client-id --client-secret-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic='--ndjson'
      _evsend_operand=none _evsend_words='' ;;
    'eventhos help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='send' ;;
    'guance')
      _evsend_cmds='push help'
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'guance push')
      _evsend_cmds=''
      _evsend_opts='--status --title --message --date --check-value --tag --field --extra --event-json --ndjson --exclude --rate --state --rejects --site --url --secret-file --sub-uri --api-key-file -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--status --title --message --date --check-value --tag --field --extra --event-json --ndjson --exclude --rate --state --rejects --site --url --secret-file --sub-uri --api-key-file -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic='--ndjson'
      _evsend_operand=none _evsend_words='' ;;
    'guance help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='push' ;;
    'config')
      _evsend_cmds='show path init check help'
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'config show')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='devo databoom eventhos guance' ;;
    'config path')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'config init')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'config check')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='devo databoom eventhos guance' ;;
    'config help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='show path init check' ;;
    'emulate')
      _evsend_cmds=''
      _evsend_opts='--port --host --devo-token --databoom-token --guance-secret --guance-api-key --guance-rate-limit --eventhos-config --fail-rate --fail-status --drop-rate --latency --retry-after --seed --max-stored -h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='--port --host --devo-token --databoom-token --guance-secret --guance-api-key --guance-rate-limit --eventhos-config --fail-rate --fail-status --drop-rate --latency --retry-after --seed --max-stored -p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=none _evsend_words='' ;;
    'completion')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='bash zsh fish' ;;
    'help')
      _evsend_cmds=''
      _evsend_opts='-h --help -V --version -p --profile -c --config --json -q --quiet -v --verbose -n --dry-run --timeout --retries --ca-file --no-color'
      _evsend_valued='-p --profile -c --config --timeout --retries --ca-file'
      _evsend_variadic=''
      _evsend_operand=words _evsend_words='devo databoom eventhos guance config emulate completion' ;;
  esac
}

# _evsend_value PATH OPTION: what the value of OPTION of the command PATH completes to.
_evsend_value() {
  _evsend_operand=none _evsend_words=''
  case "$1|$2" in
    'devo send|--method') _evsend_operand=words _evsend_words='get post' ;;
    'devo send|--endpoint') _evsend_operand=words _evsend_words='us us3 eu ca ap ap2' ;;
    'devo send|--domain') _evsend_operand=none _evsend_words='' ;;
    'devo send|--tag') _evsend_operand=none _evsend_words='' ;;
    'devo send|--host') _evsend_operand=none _evsend_words='' ;;
    'devo send|--token-file') _evsend_operand=file _evsend_words='' ;;
    'devo file|--exclude') _evsend_operand=file _evsend_words='' ;;
    'devo file|--batch-size') _evsend_operand=none _evsend_words='' ;;
    'devo file|--gzip-level') _evsend_operand=none _evsend_words='' ;;
    'devo file|--concurrency') _evsend_operand=none _evsend_words='' ;;
    'devo file|--state') _evsend_operand=file _evsend_words='' ;;
    'devo file|--rejects') _evsend_operand=file _evsend_words='' ;;
    'devo file|--endpoint') _evsend_operand=words _evsend_words='us us3 eu ca ap ap2' ;;
    'devo file|--domain') _evsend_operand=none _evsend_words='' ;;
    'devo file|--tag') _evsend_operand=none _evsend_words='' ;;
    'devo file|--host') _evsend_operand=none _evsend_words='' ;;
    'devo file|--token-file') _evsend_operand=file _evsend_words='' ;;
    'databoom push|--date') _evsend_operand=none _evsend_words='' ;;
    'databoom push|--device') _evsend_operand=none _evsend_words='' ;;
    'databoom push|--url') _evsend_operand=none _evsend_words='' ;;
    'databoom push|--token-file') _evsend_operand=file _evsend_words='' ;;
    'databoom history|--format') _evsend_operand=words _evsend_words='csv ndjson' ;;
    'databoom history|--exclude') _evsend_operand=file _evsend_words='' ;;
    'databoom history|--batch-points') _evsend_operand=none _evsend_words='' ;;
    'databoom history|--concurrency') _evsend_operand=none _evsend_words='' ;;
    'databoom history|--state') _evsend_operand=file _evsend_words='' ;;
    'databoom history|--rejects') _evsend_operand=file _evsend_words='' ;;
    'databoom history|--delimiter') _evsend_operand=none _evsend_words='' ;;
    'databoom history|--device') _evsend_operand=none _evsend_words='' ;;
    'databoom history|--url') _evsend_operand=none _evsend_words='' ;;
    'databoom history|--token-file') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--data-file') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--max-body') _evsend_operand=none _evsend_words='' ;;
    'eventhos send|--ndjson') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--exclude') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--concurrency') _evsend_operand=none _evsend_words='' ;;
    'eventhos send|--state') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--rejects') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--url') _evsend_operand=none _evsend_words='' ;;
    'eventhos send|--event') _evsend_operand=none _evsend_words='' ;;
    'eventhos send|--access-key-file') _evsend_operand=file _evsend_words='' ;;
    'eventhos send|--client-id') _evsend_operand=none _evsend_words='' ;;
    'eventhos send|--client-secret-file') _evsend_operand=file _evsend_words='' ;;
    'guance push|--status') _evsend_operand=words _evsend_words='critical error warning info ok fatal' ;;
    'guance push|--title') _evsend_operand=none _evsend_words='' ;;
    'guance push|--message') _evsend_operand=none _evsend_words='' ;;
    'guance push|--date') _evsend_operand=none _evsend_words='' ;;
    'guance push|--check-value') _evsend_operand=none _evsend_words='' ;;
    'guance push|--tag') _evsend_operand=none _evsend_words='' ;;
    'guance push|--field') _evsend_operand=none _evsend_words='' ;;
    'guance push|--extra') _evsend_operand=none _evsend_words='' ;;
    'guance push|--event-json') _evsend_operand=none _evsend_words='' ;;
    'guance push|--ndjson') _evsend_operand=file _evsend_words='' ;;
    'guance push|--exclude') _evsend_operand=file _evsend_words='' ;;
    'guance push|--rate') _evsend_operand=none _evsend_words='' ;;
    'guance push|--state') _evsend_operand=file _evsend_words='' ;;
    'guance push|--rejects') _evsend_operand=file _evsend_words='' ;;
    'guance push|--site') _evsend_operand=words _evsend_words='cn1 cn2 cn4 cn5 cn6 us1 eu1 ap1 za1 id1 me1 truewatch-us1 truewatch-eu1 truewatch-ap1 truewatch-za1 truewatch-id1' ;;
    'guance push|--url') _evsend_operand=none _evsend_words='' ;;
    'guance push|--secret-file') _evsend_operand=file _evsend_words='' ;;
    'guance push|--sub-uri') _evsend_operand=none _evsend_words='' ;;
    'guance push|--api-key-file') _evsend_operand=file _evsend_words='' ;;
    'emulate|--port') _evsend_operand=none _evsend_words='' ;;
    'emulate|--host') _evsend_operand=none _evsend_words='' ;;
    'emulate|--devo-token') _evsend_operand=none _evsend_words='' ;;
    'emulate|--databoom-token') _evsend_operand=none _evsend_words='' ;;
    'emulate|--guance-secret') _evsend_operand=none _evsend_words='' ;;
    'emulate|--guance-api-key') _evsend_operand=none _evsend_words='' ;;
    'emulate|--guance-rate-limit') _evsend_operand=none _evsend_words='' ;;
    'emulate|--eventhos-config') _evsend_operand=file _evsend_words='' ;;
    'emulate|--fail-rate') _evsend_operand=none _evsend_words='' ;;
    'emulate|--fail-status') _evsend_operand=none _evsend_words='' ;;
    'emulate|--drop-rate') _evsend_operand=none _evsend_words='' ;;
    'emulate|--latency') _evsend_operand=none _evsend_words='' ;;
    'emulate|--retry-after') _evsend_operand=none _evsend_words='' ;;
    'emulate|--seed') _evsend_operand=none _evsend_words='' ;;
    'emulate|--max-stored') _evsend_operand=none _evsend_words='' ;;
    *'|-p' | *'|--profile') _evsend_operand=profile _evsend_words='' ;;
    *'|-c' | *'|--config') _evsend_operand=file _evsend_words='' ;;
    *'|--timeout') _evsend_operand=none _evsend_words='' ;;
    *'|--retries') _evsend_operand=none _evsend_words='' ;;
    *'|--ca-file') _evsend_operand=file _evsend_words='' ;;
  esac
}

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
      names=$("${COMP_WORDS[0]}" ${config:+--config "$config"} __profiles 2>/dev/null)
      mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur") ;;
    words) mapfile -t COMPREPLY < <(compgen -W "$2" -- "$cur") ;;
  esac
}

_evsend() {
  local cur=${COMP_WORDS[COMP_CWORD]} word cmdpath='' config='' pending='' variadic='' i
  local _evsend_cmds _evsend_opts _evsend_valued _evsend_variadic _evsend_operand _evsend_words
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
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
      --config=*) config=${word#*=} ;;
      -*)
        variadic=''
        [[ " $_evsend_valued " == *" $word "* ]] && pending=$word ;;
      *)
        [[ -z $variadic && " $_evsend_cmds " == *" $word "* ]] && cmdpath=${cmdpath:+$cmdpath }$word ;;
    esac
  done
  [[ $cur == = ]] && cur=''
  _evsend_node "$cmdpath"
  local option=${pending:-$variadic}
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
