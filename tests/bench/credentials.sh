#!/usr/bin/env bash
# credentials: client authentication with 100,000 credentials (issue 3).
#   1. verify calls/s in-process through the plugin ABI (bench_credentials):
#      static (1 entry), file, SQLite, MariaDB (throwaway server on
#      127.0.0.1), 1 and 2 threads; AuthBackend::get/s for file; verify/s
#      for file when logins come from only 1,000 ids; list calls/s (ab*,
#      limit 50) for file and SQLite.
#   2. GET /api/v1/clients-auth?filter[id]=ab*&page[limit]=50 on a real rportd
#      with the file and the SQLite backend: wrk -t1 -c4 -d5s --latency, p50
#      and p99; a wrk script checks that every answer is a 200 with 50 items.
#   3. VmRSS of rportd with the file backend holding 100,000 and 0 entries,
#      after start and one list request.
#   4. bcrypt ($2y$, cost 10) logins/s for the same 100 ids, with and without
#      the verification cache.
# Every figure is taken 3 times; the tables show the medians.
#
# usage: tests/bench/credentials.sh [--quick] [--no-build]
#   --quick     0.3 s per in-process figure, 10 uncached bcrypt logins,
#               wrk -d1s: checks that the script works, figures are rough
#   --no-build  use the build tree as it is
#
# Needs a build tree configured with the tests (the benchmark program lives in
# tests/bench): build-bench-credentials/ by default, or RPORTD_BENCH_BUILD_DIR.
: "${RPORTD_BENCH_BUILD_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build-bench-credentials}"
export RPORTD_BENCH_BUILD_DIR

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk curl python3
BENCH_BUILD_TESTS=ON
BENCH_BUILD_TARGETS="rportd bench_credentials"
bench_ensure_build
CRED_BIN=$BUILD_DIR/tests/bench/bench_credentials
[[ -x $CRED_BIN ]] || bench_die "$CRED_BIN missing (build target bench_credentials)"
export RPORT_BUILD_DIR=$BUILD_DIR  # where bench_credentials finds the plugins

runs=3 wrk_duration=5s warm_duration=1s
inproc_args=()
if ((BENCH_QUICK)); then
    wrk_duration=1s warm_duration=1s
    inproc_args+=(--quick)
fi
LIST_PATH='/api/v1/clients-auth?filter%5Bid%5D=ab*&page%5Blimit%5D=50'
EXPECT_ITEMS=50 EXPECT_COUNT=300  # ids "ab*" among the 100,000
export BENCH_EXPECT_ITEMS=$EXPECT_ITEMS  # read by list_check.lua

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
bench_mktemp
dir=$BENCH_TMP
results=$dir/results.txt
: >"$results"
record() { printf '%s=%s\n' "$1" "$2" >>"$results"; }

# Runs a command in the background, registered with the EXIT trap, and
# waits for it, so that an interrupted script also stops it.
run_tracked() {
    local pid status=0
    "$@" &
    pid=$!
    bench_track "$pid" TERM
    wait "$pid" || status=$?
    bench_untrack "$pid"
    return "$status"
}

# --- data sets -------------------------------------------------------------
bench_log "writing the data sets (100,000 credentials: JSON file and SQLite)"
run_tracked "$CRED_BIN" prepare "$dir" >&2 || bench_die "bench_credentials prepare failed"

# --- 1 and 4: in-process ---------------------------------------------------
printf '\n== in-process: verify through the plugin ABI, bcrypt cache ==\n'
printf 'load average at start: %s\n' "$load_at_start"
run_tracked "$CRED_BIN" inproc "${inproc_args[@]}" --runs "$runs" --results "$results" ||
    bench_die "bench_credentials inproc failed"
record cred_load_after_inproc "$(cut -d' ' -f1-3 /proc/loadavg)"

# --- rportd with a client-auth backend ---------------------------------------
# start_rportd NAME BACKEND DATA: rportd in $dir/NAME with [server] auth_file
# (BACKEND file) or auth_table plus a SQLite [database] (BACKEND sqlite).
# Sets RPORTD_PID, API_PORT and START_MS (fork to listening API).
start_rportd() {
    local backend=$2 data=$3 sub=$dir/$1 srv_port t0
    mkdir -p "$sub"
    read -r API_PORT srv_port < <(bench_free_ports 2)
    bench_write_config "$sub" "$API_PORT" "$srv_port"
    case $backend in
        file) bench_set_client_auth "$sub/rportd.conf" auth_file "$data" ;;
        sqlite)
            bench_set_client_auth "$sub/rportd.conf" auth_table clients_auth
            printf '\n[database]\n  db_type = "sqlite"\n  db_name = "%s"\n' "$data" >>"$sub/rportd.conf"
            ;;
        *) bench_die "unknown backend $backend" ;;
    esac
    t0=$(date +%s%N)
    bench_start_rportd "$sub"
    bench_wait_port "$API_PORT" "$RPORTD_PID" 60
    START_MS=$((($(date +%s%N) - t0) / 1000000))
}

stop_rportd() {
    bench_stop "$RPORTD_PID"
}

# check_list PORT ITEMS COUNT: one list request with curl; dies unless the
# answer is a 200 with ITEMS items and meta.count COUNT.
check_list() {
    local port=$1 items=$2 count=$3 code
    code=$(curl -sS -o "$dir/list.json" -w '%{http_code}' \
        -u "$BENCH_API_USER:$BENCH_API_PASS" "http://127.0.0.1:$port$LIST_PATH") ||
        bench_die "list request failed"
    [[ $code == 200 ]] || bench_die "list answered $code: $(head -c 300 "$dir/list.json")"
    python3 - "$dir/list.json" "$items" "$count" <<'EOF' || bench_die "unexpected list body"
import json, sys
body = json.load(open(sys.argv[1]))
items, count = len(body["data"]), body["meta"]["count"]
if items != int(sys.argv[2]) or count != int(sys.argv[3]):
    sys.exit(f"list: {items} items, meta.count {count}; expected {sys.argv[2]}, {sys.argv[3]}")
EOF
}

# run_wrk OUT DURATION: the list request with the checking script. Dies on
# any non-2xx answer, socket error or body without the expected items.
run_wrk() {
    local out=$1 duration=$2
    run_tracked wrk -t1 -c4 -d"$duration" --latency \
        -s "$BENCH_DIR/list_check.lua" -H "$BENCH_AUTH_HEADER" \
        "http://127.0.0.1:$API_PORT$LIST_PATH" >"$out" 2>&1 ||
        { cat "$out" >&2; bench_die "wrk failed"; }
    if grep -qE 'Non-2xx|Socket errors' "$out"; then
        cat "$out" >&2
        bench_die "wrk saw failed requests"
    fi
    grep -q '^checked: [1-9][0-9]* bad: 0$' "$out" || { cat "$out" >&2; bench_die "some list answers were wrong"; }
}

# --- 2: list latency ---------------------------------------------------------
printf '\n== GET %s, wrk -t1 -c4 -d%s --latency ==\n' "$LIST_PATH" "$wrk_duration"
printf '%-8s %-6s %10s %10s %10s %9s %6s\n' backend round 'req/s' 'p50 ms' 'p99 ms' checked load1
for backend in file sqlite; do
    if [[ $backend == file ]]; then data=$dir/clients-100k.json; else data=$dir/clients-100k.db; fi
    start_rportd "list-$backend" "$backend" "$data"
    check_list "$API_PORT" "$EXPECT_ITEMS" "$EXPECT_COUNT"
    run_wrk "$dir/wrk-$backend-warm.txt" "$warm_duration"
    p50s=() p99s=() reqs=()
    for ((r = 1; r <= runs; r++)); do
        out=$dir/wrk-$backend-$r.txt
        run_wrk "$out" "$wrk_duration"
        p50=$(bench_wrk_latency_ms "$out" 50%)
        p99=$(bench_wrk_latency_ms "$out" 99%)
        rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
        checked=$(awk '/^checked:/ { print $2 }' "$out")
        load1=$(cut -d' ' -f1 /proc/loadavg)
        printf '%-8s %-6s %10s %10s %10s %9s %6s\n' "$backend" "$r" "$rps" "$p50" "$p99" "$checked" "$load1"
        p50s+=("$p50") p99s+=("$p99") reqs+=("$rps")
        record "cred_list_${backend}_p50_ms_run$r" "$p50"
        record "cred_list_${backend}_p99_ms_run$r" "$p99"
        record "cred_list_${backend}_reqs_run$r" "$rps"
    done
    stop_rportd
    record "cred_list_${backend}_p50_ms" "$(bench_median "${p50s[@]}")"
    record "cred_list_${backend}_p99_ms" "$(bench_median "${p99s[@]}")"
    record "cred_list_${backend}_reqs" "$(bench_median "${reqs[@]}")"
done

# --- 3: RSS ------------------------------------------------------------------
printf '\n== rportd VmRSS, file backend, after start and one list request ==\n'
printf '%-8s %-6s %13s %10s %10s %9s\n' entries run 'before list' 'VmRSS MB' 'VmHWM MB' 'start ms'
for entries in 100k 0; do
    rss=() hwm=() starts=() before=()
    for ((r = 1; r <= runs; r++)); do
        start_rportd "rss-$entries-$r" file "$dir/clients-$entries.json"
        # The first listing by prefix builds the plugin's case-folded index.
        before_kb=$(bench_proc_field "$RPORTD_PID" VmRSS)
        if [[ $entries == 0 ]]; then
            check_list "$API_PORT" 0 0
        else
            check_list "$API_PORT" "$EXPECT_ITEMS" "$EXPECT_COUNT"
        fi
        rss_kb=$(bench_proc_field "$RPORTD_PID" VmRSS)
        hwm_kb=$(bench_proc_field "$RPORTD_PID" VmHWM)
        stop_rportd
        printf '%-8s %-6s %13s %10s %10s %9s\n' "$entries" "$r" "$(bench_kb_to_mb "$before_kb")" \
            "$(bench_kb_to_mb "$rss_kb")" "$(bench_kb_to_mb "$hwm_kb")" "$START_MS"
        rss+=("$rss_kb") hwm+=("$hwm_kb") starts+=("$START_MS") before+=("$before_kb")
        record "cred_rss_${entries}_kb_run$r" "$rss_kb"
    done
    record "cred_rss_${entries}_kb" "$(bench_median "${rss[@]}")"
    record "cred_hwm_${entries}_kb" "$(bench_median "${hwm[@]}")"
    record "cred_rss_before_list_${entries}_kb" "$(bench_median "${before[@]}")"
    record "cred_start_${entries}_ms" "$(bench_median "${starts[@]}")"
done

# --- summary -----------------------------------------------------------------
declare -A R=()
while IFS='=' read -r key value; do
    R[$key]=$value
done <"$results"

verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
    ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "yes" : "no" }'; }
commas() { LC_ALL=C awk -v v="$1" 'BEGIN {
    s = sprintf("%.0f", v); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    print s out }'; }
row() { printf '| %-44s | %-24s | %-13s | %-4s |\n' "$@"; }
# rate_row LABEL KEY [TARGET]: wall-clock median, per-CPU-second median in ().
rate_row() {
    local label=$1 key=$2 target=${3:-}
    local met=''
    [[ -n $target ]] && met=$(verdict "${R[$key]}" '>=' "$target")
    row "$label" "$(commas "${R[$key]}") ($(commas "${R[${key}_cpu]}"))" \
        "${target:+>= $(commas "$target")}" "$met"
}

printf '\n== results%s ==\n' "$( ((BENCH_QUICK)) && echo ' (quick run: not representative)')"
printf 'date: %s, host: %s cores, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
printf 'load average (1/5/15 min): %s at start, %s after the in-process part, %s at end\n' \
    "$load_at_start" "${R[cred_load_after_inproc]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'medians of %s runs; rates are per second of wall-clock time (per CPU-second)\n' "$runs"
row figure median target met
row '---' '---' '---' '---'
rate_row "verify/s static (1 entry), 1 thread" cred_verify_static_t1
rate_row "verify/s static (1 entry), 2 threads" cred_verify_static_t2
rate_row "verify/s file, 1 thread" cred_verify_file_t1 1000000
rate_row "verify/s file, 2 threads" cred_verify_file_t2 1000000
rate_row "AuthBackend::get/s file, 1 thread" cred_get_file_t1
rate_row "AuthBackend::get/s file, 2 threads" cred_get_file_t2
rate_row "verify/s file, 1,000 hot ids, 1 thread" cred_verify_file_hot1000_t1
rate_row "verify/s SQLite, 1 thread" cred_verify_sqlite_t1 50000
rate_row "verify/s SQLite, 2 threads" cred_verify_sqlite_t2 50000
rate_row "verify/s MariaDB (TCP 127.0.0.1), 1 thread" cred_verify_mariadb_t1 5000
rate_row "verify/s MariaDB (TCP 127.0.0.1), 2 threads" cred_verify_mariadb_t2 5000
us_per_call() { awk -v r="$1" 'BEGIN { printf "%.1f", 1e6 / r }'; }
for backend in file sqlite; do
    row "list ab* limit 50, $backend, in-process, us/call" \
        "$(us_per_call "${R[cred_list_inproc_${backend}]}") ($(us_per_call "${R[cred_list_inproc_${backend}_cpu]}") CPU)" '' ''
done
for backend in file sqlite; do
    row "list ab* limit 50, $backend: p50 ms" "${R[cred_list_${backend}_p50_ms]}" '<= 5' \
        "$(verdict "${R[cred_list_${backend}_p50_ms]}" '<=' 5)"
    row "list ab* limit 50, $backend: p99 ms" "${R[cred_list_${backend}_p99_ms]}" '' ''
    row "list ab* limit 50, $backend: req/s (-c4)" "$(commas "${R[cred_list_${backend}_reqs]}")" '' ''
done
rss100k=$(bench_kb_to_mb "${R[cred_rss_100k_kb]}")
row "rportd VmRSS, file, 100,000 entries, MB" "$rss100k" '<= 40' "$(verdict "$rss100k" '<=' 40)"
row "rportd VmRSS, file, 0 entries, MB" "$(bench_kb_to_mb "${R[cred_rss_0_kb]}")" '' ''
row "rportd VmRSS before the list, 100k / 0, MB" \
    "$(bench_kb_to_mb "${R[cred_rss_before_list_100k_kb]}") / $(bench_kb_to_mb "${R[cred_rss_before_list_0_kb]}")" '' ''
row "rportd VmHWM, 100,000 / 0 entries, MB" \
    "$(bench_kb_to_mb "${R[cred_hwm_100k_kb]}") / $(bench_kb_to_mb "${R[cred_hwm_0_kb]}")" '' ''
row "rportd start to API listening, 100k / 0, ms" "${R[cred_start_100k_ms]} / ${R[cred_start_0_ms]}" '' ''
row "bcrypt logins/s, cache (all hits)" \
    "$(commas "${R[cred_bcrypt_cached]}") ($(commas "${R[cred_bcrypt_cached_cpu]}"))" '' ''
row "bcrypt logins/s, no cache" \
    "$(printf '%.1f' "${R[cred_bcrypt_uncached]}") ($(printf '%.1f' "${R[cred_bcrypt_uncached_cpu]}"))" '' ''
row "bcrypt ratio cache / no cache" "$(commas "${R[cred_bcrypt_ratio]}") ($(commas "${R[cred_bcrypt_ratio_cpu]}"))" '' ''
row "bcrypt first round with cache (misses), /s" "$(printf '%.1f' "${R[cred_bcrypt_first_round]}")" '' ''

if [[ -n ${BENCH_RESULTS:-} ]]; then
    cat "$results" >>"$BENCH_RESULTS"
fi
