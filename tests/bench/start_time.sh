#!/usr/bin/env bash
# start_time: how long rportd takes from fork/exec until its API port accepts
# a TCP connection. Each start uses a fresh scratch dir, config and data dir;
# the server is stopped with SIGTERM and reaped before the next start.
#
# BENCH_TLS=1: the API serves HTTPS (a throwaway certificate).
# usage: tests/bench/start_time.sh [--quick] [--no-build]
#   runs 20 starts (3 with --quick); prints median, min and max in ms.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools python3
bench_ensure_build

runs=20
((BENCH_QUICK)) && runs=3

starts=() stops=()
for ((i = 1; i <= runs; i++)); do
    bench_mktemp
    dir=$BENCH_TMP
    read -r api_port srv_port < <(bench_free_ports 2)
    bench_write_config "$dir" "$api_port" "$srv_port"
    bench_maybe_tls "$dir/rportd.conf"

    python3 "$BENCH_DIR/start_probe.py" "$api_port" "$dir/rportd.log" -- \
        "$RPORTD_BIN" -c "$dir/rportd.conf" >"$dir/probe.out" &
    probe=$!
    bench_track "$probe" TERM
    if ! wait "$probe"; then
        unset "_bench_pid_signal[$probe]"
        sed 's/^/  rportd: /' "$dir/rportd.log" >&2
        bench_die "start $i failed"
    fi
    unset "_bench_pid_signal[$probe]"
    read -r start_ms stop_ms <"$dir/probe.out"
    starts+=("$start_ms")
    stops+=("$stop_ms")
    printf 'start %2d: %7.2f ms to listen, %7.2f ms to stop\n' "$i" "$start_ms" "$stop_ms"
    rm -rf -- "$dir"
done

median=$(bench_median "${starts[@]}")
min=$(bench_min "${starts[@]}")
max=$(bench_max "${starts[@]}")
stop_median=$(bench_median "${stops[@]}")
printf 'start_time over %d starts: median %.2f ms, min %.2f ms, max %.2f ms (stop median %.2f ms)\n' \
    "$runs" "$median" "$min" "$max" "$stop_median"

bench_record start_runs "$runs"
bench_record start_median_ms "$median"
bench_record start_min_ms "$min"
bench_record start_max_ms "$max"
bench_record stop_median_ms "$stop_median"
