#!/usr/bin/env bash
# Run every rportd benchmark and print one results table.
#
# usage: tests/bench/run.sh [--quick] [--no-build]
#   --quick     short runs (3 starts, wrk -d2s) to smoke-test the scripts
#   --no-build  use the existing build-bench tree as it is
#
# Builds the Release tree in build-bench/ first (configured on first use).
# Benchmarks have no pass/fail thresholds: the table shows the targets and
# whether the figures meet them, and the exit status only reflects whether
# the scripts themselves ran.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_ensure_build

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
bench_mktemp
export BENCH_RESULTS=$BENCH_TMP/results.txt
: >"$BENCH_RESULTS"
child_args=(--no-build)
((BENCH_QUICK)) && child_args+=(--quick)

for bench in start_time idle_rss status_throughput; do
    printf '\n== %s ==\n' "$bench"
    "$BENCH_DIR/$bench.sh" "${child_args[@]}"
done

declare -A R=()
while IFS='=' read -r key value; do
    R[$key]=$value
done <"$BENCH_RESULTS"

# verdict VALUE OP LIMIT -> "yes" / "no"
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
    ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "yes" : "no" }'; }
mb() { bench_kb_to_mb "$1"; }

row() { printf '| %-38s | %-26s | %-9s | %-4s |\n' "$@"; }

printf '\n== results%s ==\n' "$( ((BENCH_QUICK)) && echo ' (quick run: not representative)')"
printf 'date: %s, host: %s cores, %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
printf 'load average (1/5/15 min): %s at start, %s at end\n' "$load_at_start" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
row benchmark figure target met
row '---' '---' '---' '---'
row "start_time median ms (${R[start_runs]} starts)" "$(printf '%.1f' "${R[start_median_ms]}")" '<= 100' \
    "$(verdict "${R[start_median_ms]}" '<=' 100)"
row "start_time min / max ms" "${R[start_min_ms]} / ${R[start_max_ms]}" '' ''
row "stop after SIGTERM, median ms" "$(printf '%.1f' "${R[stop_median_ms]}")" '' ''
row "idle VmRSS MB" "$(mb "${R[idle_rss_kb]}")" '<= 15' "$(verdict "$(mb "${R[idle_rss_kb]}")" '<=' 15)"
row "idle VmHWM MB / threads" "$(mb "${R[idle_hwm_kb]}") / ${R[idle_threads]}" '' ''
rounds=${R[tp_rounds]}
for ((r = 1; r <= rounds; r++)); do
    row "round $r req/s (p99 ms): nginx" "${R[tp_nginx_round${r}_reqs]} (${R[tp_nginx_round${r}_p99_ms]})" '' ''
    row "round $r req/s (p99 ms): rportd" "${R[tp_rportd_round${r}_reqs]} (${R[tp_rportd_round${r}_p99_ms]})" '' ''
done
row "median req/s (p99 ms): nginx" "${R[tp_nginx_median_reqs]} (${R[tp_nginx_median_p99_ms]})" '' ''
row "median req/s (p99 ms): rportd" "${R[tp_rportd_median_reqs]} (${R[tp_rportd_median_p99_ms]})" '' ''
row "server CPU us per request: nginx" "${R[tp_nginx_median_cpu_us]}" '' ''
row "server CPU us per request: rportd" "${R[tp_rportd_median_cpu_us]}" '' ''
row "ratio rportd / nginx (medians)" "${R[tp_ratio]}" '>= 0.75' "$(verdict "${R[tp_ratio]}" '>=' 0.75)"
row "rportd after load VmRSS / VmHWM MB" "$(mb "${R[loaded_rss_kb]}") / $(mb "${R[loaded_hwm_kb]}")" '' ''
row "rportd after load threads" "${R[loaded_threads]}" '' ''
printf 'wrk: -t1 -c50 -d%s --latency, %s rounds per server, alternating; body %s bytes\n' \
    "${R[tp_duration]}" "${R[tp_rounds]}" "${R[tp_body_bytes]}"
if awk -v l="${load_at_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l >= n) }'; then
    printf 'note: the machine was busy (load average %s on %s cores). Under outside load\n' \
        "${load_at_start%% *}" "$(nproc)"
    printf '      the scheduler favours rportd (several workers) over nginx (one\n'
    printf '      worker), which inflates the ratio; CPU us per request is the steadier figure.\n'
fi
