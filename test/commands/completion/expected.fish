# astrosell completion for fish: astrosell completion fish > ~/.config/fish/completions/astrosell.fish
function __astrosell_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $w -p --profile -f --format --status --show --input --stock-file --unsent-file --data -l --limit -x
            set skip 1
            continue
        end
        string match -q -- '-*' $w; and continue
        set -a path $w
    end
    echo $path
end
# true when the words so far are exactly these
function __astrosell_is
    test (string join " " -- (__astrosell_path)) = (string join " " -- $argv)
end
# true when the words so far start with these
function __astrosell_in
    string match -q -- (string join " " -- $argv)"*" (string join " " -- (__astrosell_path))
end
function __astrosell_profiles
    astrosell keys list --no-input 2>/dev/null | cut -f2
end
function __astrosell_names
    astrosell __names $argv[1] 2>/dev/null
end
complete -c astrosell -f
complete -c astrosell -n '__astrosell_is ' -a 'keys' -d 'API keys'
complete -c astrosell -n '__astrosell_is ' -a 'orders' -d 'orders'
complete -c astrosell -n '__astrosell_is ' -a 'wh' -d 'warehouses'
complete -c astrosell -n '__astrosell_is ' -a 'load' -d 'load'
complete -c astrosell -n '__astrosell_is ' -a 'completion' -d 'script'
complete -c astrosell -s p -l profile -d 'profile to use' -x -a '(__astrosell_profiles)'
complete -c astrosell -l json -d 'JSON output'
complete -c astrosell -n '__astrosell_is keys' -a 'use' -d 'switch profile'
complete -c astrosell -n '__astrosell_is keys' -a 'remove' -d 'forget a profile'
complete -c astrosell -n '__astrosell_is keys' -a 'add' -d 'add '\''em'
complete -c astrosell -n '__astrosell_is keys use' -x -a '(__astrosell_profiles)'
complete -c astrosell -n '__astrosell_is keys remove' -x -a '(__astrosell_profiles)'
complete -c astrosell -n '__astrosell_is orders' -a 'list' -d 'list orders'
complete -c astrosell -n '__astrosell_in orders list' -s f -l format -d 'output format' -x -a 'table json'
complete -c astrosell -n '__astrosell_in orders list' -l status -d 'which orders' -x -a 'open done'
complete -c astrosell -n '__astrosell_in orders list' -l show -d 'what to show' -x
complete -c astrosell -n '__astrosell_in orders list' -l input -d 'read from' -r -F
complete -c astrosell -n '__astrosell_is wh' -a 'diff' -d 'compare'
complete -c astrosell -n '__astrosell_is wh' -a 'remove' -d 'delete'
complete -c astrosell -n '__astrosell_is wh' -a 'restock' -d 'add stock'
complete -c astrosell -n '__astrosell_in wh diff' -l show -d 'lines' -x -a 'missing extra'
complete -c astrosell -n '__astrosell_in wh diff' -s f -l format -d 'output format' -x -a 'table csv'
complete -c astrosell -n '__astrosell_in wh diff' -F
complete -c astrosell -n '__astrosell_is wh remove' -x -a '(__astrosell_names warehouse)'
complete -c astrosell -n '__astrosell_in wh restock' -l stock-file -d 'stock' -r -F
complete -c astrosell -n '__astrosell_in wh restock' -l unsent-file -d 'unsent' -r -F
complete -c astrosell -n '__astrosell_in wh restock' -l data -d 'data' -r -F
complete -c astrosell -n '__astrosell_in wh restock' -s n -l dry-run -d 'dry'
complete -c astrosell -n '__astrosell_in wh restock' -s l -l limit -d 'limit' -x
complete -c astrosell -n '__astrosell_in wh restock' -s x -d 'short only' -x
complete -c astrosell -n '__astrosell_in wh restock' -F
complete -c astrosell -n '__astrosell_in load' -F
complete -c astrosell -n '__astrosell_is completion' -x -a 'bash fish'
