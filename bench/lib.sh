# Sourced by the bench/*/run.sh scripts: timing, medians, peak RSS and the
# result rows bench/run.sh gathers into one table.
#
# A result row is one stdout line
#   ROW|<benchmark>|<nsipc ms>|<util-linux ms>|<floor ms>|<nsipc/util-linux>|<nsipc/floor>|<nsipc KB>|<util-linux KB>
# (empty fields where a figure does not apply). Times are medians of wall
# time; the ratios are medians of the per-round ratios (every round runs all
# commands back to back, in rotating order, so load changes hit them alike).
# RSS is the peak resident set size (`/usr/bin/time -f %M`, kB) of one run
# of the command itself (so OURS and THEIRS must be simple commands).

# Microseconds of one run of "$@", stdout to /dev/null (EPOCHREALTIME: no
# fork around it).
time_us() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null
    local end=$EPOCHREALTIME
    echo $((${end/./} - ${start/./}))
}

# Median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Peak RSS in kB of one run of "$@".
peak_kb() {
    local f
    f=$(mktemp)
    /usr/bin/time -f %M -o "$f" "$@" > /dev/null 2>&1 || true
    tail -n 1 "$f"
    rm -f "$f"
}

# rounds LABEL RUNS OURS THEIRS FLOOR: RUNS rounds of the three commands
# (each a string run by `eval`; THEIRS or FLOOR may be empty), rotating
# which goes first; prints the ROW.
rounds() {
    local label=$1 runs=$2 ours=$3 theirs=$4 floor=$5
    local dir i o t f
    dir=$(mktemp -d)
    for ((i = 0; i < runs; i++)); do
        o= t= f=
        case $((i % 3)) in
            0)
                o=$(time_us eval "$ours")
                [ -z "$theirs" ] || t=$(time_us eval "$theirs")
                [ -z "$floor" ] || f=$(time_us eval "$floor")
                ;;
            1)
                [ -z "$theirs" ] || t=$(time_us eval "$theirs")
                [ -z "$floor" ] || f=$(time_us eval "$floor")
                o=$(time_us eval "$ours")
                ;;
            2)
                [ -z "$floor" ] || f=$(time_us eval "$floor")
                o=$(time_us eval "$ours")
                [ -z "$theirs" ] || t=$(time_us eval "$theirs")
                ;;
        esac
        echo "$o" >> "$dir/o"
        [ -z "$t" ] || { echo "$t" >> "$dir/t"; awk -v a="$o" -v b="$t" 'BEGIN { print a / b }' >> "$dir/ot"; }
        [ -z "$f" ] || { echo "$f" >> "$dir/f"; awk -v a="$o" -v b="$f" 'BEGIN { print a / b }' >> "$dir/of"; }
    done
    ms() { [ -s "$1" ] && awk '{ print $1 / 1000 }' "$1" | median; }
    ratio() { [ -s "$1" ] && median < "$1"; }
    local rss_o rss_t=
    rss_o=$(eval "peak_kb $ours")
    [ -z "$theirs" ] || rss_t=$(eval "peak_kb $theirs")
    echo "ROW|$label|$(ms "$dir/o")|$(ms "$dir/t")|$(ms "$dir/f")|$(ratio "$dir/ot")|$(ratio "$dir/of")|$rss_o|$rss_t"
    rm -rf "$dir"
}

# Prints the gathered ROW lines (stdin) as the table.
print_table() {
    awk -F'|' '
        BEGIN { printf "%-40s %10s %10s %10s %9s %9s %9s %9s\n", "benchmark", "nsipc ms", "u-l ms", "floor ms", "ns/u-l", "ns/floor", "ns KB", "u-l KB" }
        $1 == "ROW" {
            printf "%-40s %10s %10s %10s %9s %9s %9s %9s\n", $2, f($3), f($4), f($5), r($6), r($7), d($8), d($9)
        }
        function f(x) { return x == "" ? "-" : sprintf("%.2f", x) }
        function r(x) { return x == "" ? "-" : sprintf("%.3f", x) }
        function d(x) { return x == "" ? "-" : x }
    '
}

# counts LABEL COMMAND...: deterministic costs of one start-up, as a line
#   COUNT|<label>|<instructions up to exec>|<system calls>|<minor faults>|<peak kB>
# Instructions: callgrind, user space of the process (dynamic loader
# included, a forked child's too) up to exec* of the program or exit;
# empty without valgrind. System
# calls: `strace -f -c`, the exec'd program's included. Faults and RSS:
# `/usr/bin/time`, the exec'd program's included.
counts() {
    local label=$1 dir ins= sc= flt=
    shift
    dir=$(mktemp -d)
    if command -v valgrind > /dev/null; then
        valgrind --tool=callgrind --dump-before='exec*' --callgrind-out-file="$dir/cg.%p" "$@" > /dev/null 2>&1 || true
        # One dump before every exec attempt and one at every exit (also of
        # a forked child): their sum is the process's whole user-space work.
        ins=$(cat "$dir"/cg.* 2> /dev/null | awk '/^summary:/ { n += $2 } END { if (NR) print n }')
    fi
    if command -v strace > /dev/null; then
        strace -f -c -o "$dir/st" "$@" > /dev/null 2>&1 || true
        sc=$(awk '$NF == "total" { print $4 }' "$dir/st")
    fi
    /usr/bin/time -f '%R %M' -o "$dir/t" "$@" > /dev/null 2>&1 || true
    read -r flt rss < <(tail -n 1 "$dir/t")
    echo "COUNT|$label|$ins|$sc|$flt|$rss"
    rm -rf "$dir"
}

# Prints the gathered COUNT lines (stdin) as a table.
print_counts() {
    awk -F'|' '
        BEGIN { printf "%-40s %14s %9s %9s %9s\n", "start-up (one run)", "instr->exec", "syscalls", "minflt", "peak KB" }
        $1 == "COUNT" { printf "%-40s %14s %9s %9s %9s\n", $2, d($3), d($4), d($5), d($6) }
        function d(x) { return x == "" ? "-" : x }
    '
}
