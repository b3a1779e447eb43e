#!/usr/bin/env bash
# idle_rss: resident memory of an idle rportd on the example config (static
# plugins loaded), read from /proc/PID/status 1 s after the API listens.
#
# BENCH_TLS=1: the API serves HTTPS (a throwaway certificate).
# usage: tests/bench/idle_rss.sh [--quick] [--no-build]

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_ensure_build

bench_mktemp
dir=$BENCH_TMP
read -r api_port srv_port < <(bench_free_ports 2)
bench_write_config "$dir" "$api_port" "$srv_port"
bench_maybe_tls "$dir/rportd.conf"
bench_start_rportd "$dir"
bench_wait_port "$api_port" "$RPORTD_PID"
sleep 1

rss_kb=$(bench_proc_field "$RPORTD_PID" VmRSS)
hwm_kb=$(bench_proc_field "$RPORTD_PID" VmHWM)
threads=$(bench_proc_field "$RPORTD_PID" Threads)
bench_stop "$RPORTD_PID"

grep -q 'plugin .*static.* loaded' "$dir/rportd.log" ||
    bench_log "warning: the log does not show the static plugin being loaded"

printf 'idle_rss: VmRSS %s MB (%s kB), VmHWM %s MB (%s kB), %s threads\n' \
    "$(bench_kb_to_mb "$rss_kb")" "$rss_kb" "$(bench_kb_to_mb "$hwm_kb")" "$hwm_kb" "$threads"

bench_record idle_rss_kb "$rss_kb"
bench_record idle_hwm_kb "$hwm_kb"
bench_record idle_threads "$threads"
