#!/usr/bin/env bash
# profile_rportd: where rportd's time goes while wrk loads GET /api/v1/status.
# Not part of run.sh; use it to explain the status_throughput figures.
#
# usage: tests/bench/profile_rportd.sh [--quick] [--no-build]
#
# Pass 1 (undisturbed, wrk -t1 -c50 -d10s, -d3s with --quick): CPU time of the
#   process and of each thread from /proc/PID/task/*/stat, and, when perf
#   works, syscalls, context switches and CPU migrations from `perf stat`;
#   everything divided by the number of requests wrk completed.
# Pass 2 (when strace is installed, 3 s): `strace -c -f` syscall mix per
#   request. strace slows the server a lot; only the per-request counts
#   matter, not the rate.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk curl python3
bench_ensure_build

duration=10
((BENCH_QUICK)) && duration=3

bench_mktemp
dir=$BENCH_TMP
read -r api_port srv_port < <(bench_free_ports 2)
bench_write_config "$dir" "$api_port" "$srv_port"
bench_start_rportd "$dir"
pid=$RPORTD_PID
bench_wait_port "$api_port" "$pid"
url="http://127.0.0.1:$api_port/api/v1/status"
code=$(curl -sS -o /dev/null -w '%{http_code}' -u "$BENCH_API_USER:$BENCH_API_PASS" "$url")
[[ $code == 200 ]] || bench_die "GET /api/v1/status answered $code"

# Warm up so that the connection threads already exist.
wrk -t1 -c50 -d1s -H "$BENCH_AUTH_HEADER" "$url" >/dev/null

clk_tck=$(getconf CLK_TCK)
# "TID COMM TICKS" for every thread (utime + stime).
thread_ticks() {
    local task stat comm rest
    for task in /proc/"$pid"/task/*; do
        stat=$(<"$task/stat") 2>/dev/null || continue
        comm=${stat#*(}; comm=${comm%)*}
        rest=${stat##*) }
        read -r -a f <<<"$rest"
        # after "pid (comm) " the fields start at state (field 3):
        # utime is field 14 -> index 11, stime field 15 -> index 12
        printf '%s %s %s\n' "${task##*/}" "${comm// /_}" $((f[11] + f[12]))
    done
}

thread_ticks >"$dir/ticks-before"
ctx_before=$(awk '/ctxt_switches/ { s += $2 } END { print s }' /proc/"$pid"/task/*/status)
perf_ok=0
if command -v perf >/dev/null 2>&1 &&
    perf stat -e raw_syscalls:sys_enter -p "$pid" -- true >/dev/null 2>&1; then
    perf_ok=1
    perf stat -x, -e raw_syscalls:sys_enter,context-switches,cpu-migrations,task-clock \
        -p "$pid" -o "$dir/perf.csv" -- sleep "$((duration + 1))" &
    perf_pid=$!
    bench_track "$perf_pid" INT
    sleep 0.5
fi
wrk -t1 -c50 -d"${duration}s" --latency -H "$BENCH_AUTH_HEADER" "$url" >"$dir/wrk.txt"
if ((perf_ok)); then
    wait "$perf_pid" || true
    unset "_bench_pid_signal[$perf_pid]"
fi
thread_ticks >"$dir/ticks-after"
ctx_after=$(awk '/ctxt_switches/ { s += $2 } END { print s }' /proc/"$pid"/task/*/status)

grep -q Non-2xx "$dir/wrk.txt" && bench_die "some responses were not 2xx"
requests=$(awk '/requests in/ { print $1; exit }' "$dir/wrk.txt")
read -r reqs p99 < <(bench_wrk_figures "$dir/wrk.txt")
printf 'pass 1: %s requests in %ss, %s req/s, p99 %s ms\n' "$requests" "$duration" "$reqs" "$p99"

# Per-thread CPU during the run.
join <(sort "$dir/ticks-before") <(sort "$dir/ticks-after") |
    awk -v hz="$clk_tck" -v req="$requests" '
        { d = $5 - $3; total += d; n++; if (d > 0) busy++
          by[$2] += d; cnt[$2]++; if (d > top) top = d }
        END {
            printf "threads: %d (%d used CPU during the run); CPU %.2f s = %.1f us per request\n",
                n, busy, total / hz, total / hz * 1e6 / req
            printf "  busiest thread %.2f s CPU\n", top / hz
            for (c in by) printf "  name %-16s x%-3d %6.2f s CPU\n", c, cnt[c], by[c] / hz
        }'
printf 'context switches (from /proc, all threads): %.2f per request\n' \
    "$(awk -v a="$ctx_after" -v b="$ctx_before" -v r="$requests" 'BEGIN { print (a - b) / r }')"

if ((perf_ok)); then
    # perf counted over a window that covers the wrk run (plus ~1 s idle).
    awk -F, -v r="$requests" '
        $3 == "raw_syscalls:sys_enter" { printf "perf: syscalls %.2f per request\n", $1 / r }
        $3 == "context-switches"       { printf "perf: context switches %.2f per request\n", $1 / r }
        $3 == "cpu-migrations"         { printf "perf: cpu migrations %.3f per request\n", $1 / r }
        $3 == "task-clock"             { printf "perf: task-clock %.1f us per request\n", $1 * 1000 / r }
    ' "$dir/perf.csv"
fi

if command -v strace >/dev/null 2>&1; then
    strace -q -c -f -p "$pid" -o "$dir/strace.txt" 2>"$dir/strace.err" &
    strace_pid=$!
    bench_track "$strace_pid" INT
    sleep 0.5
    wrk -t1 -c50 -d3s -H "$BENCH_AUTH_HEADER" "$url" >"$dir/wrk-strace.txt"
    bench_stop "$strace_pid"
    requests=$(awk '/requests in/ { print $1; exit }' "$dir/wrk-strace.txt")
    printf 'pass 2 (under strace -c -f, %s requests): syscalls per request\n' "$requests"
    awk -v r="$requests" '
        $1 ~ /^[0-9.]+$/ && NF >= 5 {
            calls = $4; name = $NF
            if (calls / r >= 0.01) printf "  %-16s %6.2f\n", name, calls / r
        }' "$dir/strace.txt"
fi
