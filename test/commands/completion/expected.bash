# astrosell completion for bash: eval "$(astrosell completion bash)" in ~/.bashrc,
# or save it as ~/.local/share/bash-completion/completions/astrosell
_astrosell_profiles() {
  astrosell keys list --no-input 2>/dev/null | cut -f2
}
# ids and names of products or warehouses, from a cache kept fresh (at most ~1 s waited)
_astrosell_names() {
  local line
  while IFS= read -r line; do
    [[ "$line" == "$2"* ]] && printf '%q\n' "$line"
  done < <(astrosell "${shop[@]}" __names "$1" 2>/dev/null | cut -f1)
}
_astrosell() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
  local cpath="" nargs=0 i w
  # The profile and base URL on the line decide whose ids and names are offered.
  local -a shop=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${COMP_WORDS[i]}"
    case "$w" in -p|--profile|--base-url) shop+=("$w" "${COMP_WORDS[i+1]}") ;; esac
    case "$w" in
      -p|--profile|-f|--format|--status|--show|--input|--stock-file|--unsent-file|--data|-l|--limit|-x) ((i++)) ;;
      -*) ;;
      *)
        case " $(_astrosell_subs "$cpath") " in
          *" $w "*) cpath="${cpath:+$cpath }$w" ;;
          *) ((nargs++)) ;;
        esac ;;
    esac
  done
  case "$prev" in
    -p)
      COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur")); return ;;
    --profile)
      COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur")); return ;;
    -f)
      case "$cpath" in
        'orders list') COMPREPLY=($(compgen -W 'table json' -- "$cur")); return ;;
        'wh diff') COMPREPLY=($(compgen -W 'table csv' -- "$cur")); return ;;
      esac; COMPREPLY=(); return ;;
    --format)
      case "$cpath" in
        'orders list') COMPREPLY=($(compgen -W 'table json' -- "$cur")); return ;;
        'wh diff') COMPREPLY=($(compgen -W 'table csv' -- "$cur")); return ;;
      esac; COMPREPLY=(); return ;;
    --status)
      COMPREPLY=($(compgen -W 'open done' -- "$cur")); return ;;
    --show)
      case "$cpath" in
        'orders list') COMPREPLY=(); return ;;
        'wh diff') COMPREPLY=($(compgen -W 'missing extra' -- "$cur")); return ;;
      esac; COMPREPLY=(); return ;;
    --input)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --stock-file)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --unsent-file)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --data)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -l)
      COMPREPLY=(); return ;;
    --limit)
      COMPREPLY=(); return ;;
    -x)
      COMPREPLY=(); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    case "$cpath" in
      '') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'keys') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'keys use') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'keys remove') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'keys add') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'orders') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'orders list') COMPREPLY=($(compgen -W '-f --format --status --show --input -p --profile --json --help' -- "$cur")) ;;
      'wh') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'wh diff') COMPREPLY=($(compgen -W '--show -f --format -p --profile --json --help' -- "$cur")) ;;
      'wh remove') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'wh restock') COMPREPLY=($(compgen -W '--stock-file --unsent-file --data -n --dry-run -l --limit -x -p --profile --json --help' -- "$cur")) ;;
      'load') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
      'completion') COMPREPLY=($(compgen -W '-p --profile --json --help' -- "$cur")) ;;
    esac
    return
  fi
  local subs; subs="$(_astrosell_subs "$cpath")"
  if [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return
  fi
  case "$cpath:$nargs" in
    'keys use:0') COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur")) ;;
    'keys remove:0') COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur")) ;;
    'wh:0') COMPREPLY=($(compgen -W 'all low' -- "$cur")) ;;
    'wh diff:1') COMPREPLY=($(compgen -f -- "$cur")) ;;
    'wh diff:'*) COMPREPLY=($(compgen -f -- "$cur")) ;;
    'wh remove:0') local IFS=$'\n'; COMPREPLY=($(_astrosell_names warehouse "$cur")) ;;
    'wh restock:1') COMPREPLY=($(compgen -f -- "$cur")) ;;
    'wh restock:'*) COMPREPLY=($(compgen -f -- "$cur")) ;;
    'load:0') COMPREPLY=($(compgen -f -- "$cur")) ;;
    'load:'*) COMPREPLY=($(compgen -f -- "$cur")) ;;
    'completion:0') COMPREPLY=($(compgen -W 'bash fish' -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
_astrosell_subs() {
  case "$1" in
    '') echo 'keys orders wh load completion' ;;
    'keys') echo 'use remove add' ;;
    'orders') echo 'list' ;;
    'wh') echo 'diff remove restock' ;;
  esac
}
complete -o default -F _astrosell astrosell
