# bash completion for tph (installed as
# $datadir/bash-completion/completions/tph).
_tph()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    local commands="logs view tree stats diff config run trace export flame clean tui lines setup disable help"

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --version --help" -- "$cur"))
        return
    fi
    case $prev in
        -f|--format) COMPREPLY=($(compgen -W "chrome folded speedscope csv" -- "$cur")); return ;;
        --output)
            if [ "$cmd" = trace ]; then
                COMPREPLY=($(compgen -W "tree stats path none" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return ;;
        --style) COMPREPLY=($(compgen -W "unicode ascii" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --cache-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -o|--trigger|--file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --older-than) COMPREPLY=($(compgen -W "30m 12h 1d 7d 4w" -- "$cur")); return ;;
        --set) COMPREPLY=($(compgen -W "max_depth= max_calls= max_repr= max_seconds= max_memory_mb= min_free_mb= ignore_modules= include_modules= redact= cache_dir= fallback_dir= default_label= quiet= repr= repr_budget_ms= signal= trigger= autostart= record_c_calls= inherit= snapshot_seconds= line_functions= variable_mode= line_samples= line_max_steps=" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    esac
    local opts=""
    case $cmd in
        logs) opts="--cache-dir --limit --label --pid --json --no-pager --follow" ;;
        view) opts="--json --no-pager" ;;
        tree) opts="--max-depth --no-args --no-return --style --thread --filter --min-ms --fold --no-fold --self --source --color --no-pager --where" ;;
        stats) opts="--top --json --no-pager --where" ;;
        diff) opts="--json --no-pager" ;;
        tui) opts="--where" ;;
        lines) opts="--function --steps --summary --no-pager" ;;
        config) opts="--file" ;;
        run)
            local i
            for ((i = 2; i < COMP_CWORD; i++)); do
                if [ "${COMP_WORDS[i]}" = "--" ]; then
                    COMPREPLY=($(compgen -c -- "$cur"))
                    return
                fi
            done
            opts="--autostart --trigger --set --" ;;
        trace)
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W "$(grep -l libtracepatch.so /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3)" -- "$cur"))
                return
            fi
            opts="--seconds --wait --output --no-pager" ;;
        export) opts="--format -f -o --output" ;;
        flame) opts="-o --output" ;;
        clean) opts="--cache-dir --older-than --all --dry-run -n" ;;
        setup) opts="--yes -y --run" ;;
        disable) opts="" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _tph tph
