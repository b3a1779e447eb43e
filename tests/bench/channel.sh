#!/usr/bin/env bash
# channel: one rport channel at full speed, ours beside the original (issue 7).
# The original client connects to each server; MB megabytes go through one
# channel to an echo server on loopback and come back.
#   ours      bench_rport_channel: the runtime in process opens the channel and
#             feeds it directly (what the tunnels of a later issue will do
#             from a TCP socket)
#   original  the Go rportd: a tunnel made through its API, fed by
#             tunnel_pump.py over TCP; so its figure includes one loopback TCP
#             hop more than ours
# Figures: MB/s each way (wall time), and the server process's CPU seconds
# per GB moved (both directions counted); 3 runs each, medians.
#
# usage: tests/bench/channel.sh [--quick] [--no-build]
#   --quick   32 MB per run instead of 256
# Needs a build tree configured with the tests: build-bench-channel/ by
# default, or RPORTD_BENCH_BUILD_DIR.
: "${RPORTD_BENCH_BUILD_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build-bench-channel}"
export RPORTD_BENCH_BUILD_DIR

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools curl python3
BENCH_BUILD_TESTS=ON
BENCH_BUILD_TARGETS="rportd bench_rport_channel"
bench_ensure_build
CHANNEL_BIN=$BUILD_DIR/tests/bench/bench_rport_channel
[[ -x $CHANNEL_BIN ]] || bench_die "$CHANNEL_BIN missing (build target bench_rport_channel)"
export RPORT_BUILD_DIR=$BUILD_DIR  # where it finds the plugins

INTEROP=${RPORT_INTEROP_DIR:-$REPO_ROOT/../shared/interop}
ORIGINAL_RPORTD=$INTEROP/bin/rportd
ORIGINAL_CLIENT=$INTEROP/bin/rport
[[ -x $ORIGINAL_RPORTD && -x $ORIGINAL_CLIENT ]] || bench_die "the original rportd and rport are not in $INTEROP/bin"

megabytes=256 runs=3
((BENCH_QUICK)) && megabytes=32

bench_mktemp
dir=$BENCH_TMP
python3 "$BENCH_DIR/echo_server.py" "$dir/echo.port" &
bench_track $!
for _ in $(seq 100); do [[ -s $dir/echo.port ]] && break; sleep 0.05; done
echo_port=$(cat "$dir/echo.port")

clock_ticks=$(getconf CLK_TCK)

# The original: rportd, its client, a tunnel to the echo server.
run_original() {
    local run=$1 d=$dir/original-$run ports client_port api_port tunnel_port pid client_pid before after out
    mkdir -p "$d/data" "$d/client"
    read -r client_port api_port < <(bench_free_ports 2)
    tunnel_port=$((20000 + RANDOM % 10000))
    cat >"$d/rportd.conf" <<CONF
[server]
  address = "127.0.0.1:$client_port"
  auth = "clientAuth1:1234"
  data_dir = "$d/data"
  allow_root = true
  key_seed = "bench"
[api]
  address = "127.0.0.1:$api_port"
  auth = "admin:foobaz"
  user_login_wait = 0
[logging]
  log_file = "$d/rportd.log"
  log_level = "error"
CONF
    "$ORIGINAL_RPORTD" -c "$d/rportd.conf" >"$d/stdout.log" 2>&1 &
    pid=$!
    bench_track "$pid"
    bench_wait_port "$api_port" "$pid"
    printf '[client]\n  server = "127.0.0.1:%s"\n  id = "bench"\n  auth = "clientAuth1:1234"\n  data_dir = "%s"\n' \
        "$client_port" "$d/client" >"$d/rport.conf"
    "$ORIGINAL_CLIENT" -c "$d/rport.conf" --allow-root >"$d/client.log" 2>&1 &
    client_pid=$!
    bench_track "$client_pid"
    for _ in $(seq 300); do grep -q "Connected to" "$d/client.log" && break; sleep 0.1; done
    grep -q "Connected to" "$d/client.log" || bench_die "original client did not connect: $(tail -5 "$d/client.log")"
    out=$(curl -s -u admin:foobaz -X PUT \
        "http://127.0.0.1:$api_port/api/v1/clients/bench/tunnels?remote=127.0.0.1:$echo_port&local=127.0.0.1:$tunnel_port&check_port=0&skip-idle-timeout=true")
    [[ $out == *'"lport"'* ]] || bench_die "original tunnel not created: $out"
    bench_wait_port "$tunnel_port" "$pid"
    before=$(bench_cpu_ticks "$pid")
    out=$(python3 "$BENCH_DIR/tunnel_pump.py" 127.0.0.1 "$tunnel_port" "$megabytes") || bench_die "pump failed"
    after=$(bench_cpu_ticks "$pid")
    bench_stop "$client_pid"
    bench_stop "$pid"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["seconds"], (int(sys.argv[2])-int(sys.argv[3]))/int(sys.argv[4]))' \
        "$out" "$after" "$before" "$clock_ticks"
}

run_ours() {
    local out
    out=$(cd "$dir" && "$CHANNEL_BIN" "$echo_port" "$megabytes") || bench_die "bench_rport_channel failed"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["seconds"], r["cpu_seconds"])' "$out"
}

declare -a ours_mbs ours_cpu orig_mbs orig_cpu
for run in $(seq "$runs"); do
    read -r seconds cpu < <(run_ours)
    ours_mbs+=("$(python3 -c "print(round($megabytes / $seconds, 1))")")
    ours_cpu+=("$(python3 -c "print(round($cpu / ($megabytes * 2 / 1024), 2))")")
    read -r seconds cpu < <(run_original "$run")
    orig_mbs+=("$(python3 -c "print(round($megabytes / $seconds, 1))")")
    orig_cpu+=("$(python3 -c "print(round($cpu / ($megabytes * 2 / 1024), 2))")")
    bench_log "run $run: ours ${ours_mbs[-1]} MB/s ${ours_cpu[-1]} CPU s/GB, original ${orig_mbs[-1]} MB/s ${orig_cpu[-1]} CPU s/GB"
done

om=$(bench_median "${ours_mbs[@]}") oc=$(bench_median "${ours_cpu[@]}")
gm=$(bench_median "${orig_mbs[@]}") gc=$(bench_median "${orig_cpu[@]}")
printf '\n| one rport channel, %s MB each way | ours | original | ours / original |\n|---|---|---|---|\n' "$megabytes"
printf '| MB/s each way (median of %s) | %s | %s | %s |\n' "$runs" "$om" "$gm" "$(python3 -c "print(round($om / $gm, 2))")"
printf '| server CPU s per GB moved | %s | %s | %s |\n' "$oc" "$gc" "$(python3 -c "print(round($oc / $gc, 2))")"
printf 'runs: ours MB/s %s; original MB/s %s; ours CPU s/GB %s; original CPU s/GB %s\n' \
    "${ours_mbs[*]}" "${orig_mbs[*]}" "${ours_cpu[*]}" "${orig_cpu[*]}"
bench_record channel_ours_mbs "$om"
bench_record channel_original_mbs "$gm"
bench_record channel_ours_cpu_s_per_gb "$oc"
bench_record channel_original_cpu_s_per_gb "$gc"
