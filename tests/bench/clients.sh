#!/usr/bin/env bash
# clients: the client listener (issue 7) under thousands of simulated rport
# clients, ours beside the original Go rportd (../shared/interop/bin/rportd),
# both on the same config semantics: [server] auth = "clientAuth1:1234"
# (static), key_seed = "a", purge_disconnected_clients = false, everything on
# 127.0.0.1, log_level info, max_concurrent_ssh_handshakes at its default
# (GOMAXPROCS/2 in both, 1 on two cores) unless CLIENTS_HANDSHAKES is set.
# The clients are tests/peers/node/rport_load.js (one Node process, ws + ssh2).
#
# Per repetition and server (order alternates between repetitions), each on
# a fresh server with a fresh data dir:
#   memory   RSS and PSS with 0 clients, then with each count of
#            CLIENTS_COUNTS connected (100 set up at a time) and 3 s idle:
#            (RSS_N - RSS_0) / N. At 0 clients and at each count: GET
#            /api/v1/status latency (wrk -t1 -c10 -d5s --latency, Basic auth).
#   storm    a fresh server, then CLIENTS_STORM clients dial at once: time from
#            the first dial until every new_connection reply arrived, failures.
#            Also a storm of CLIENTS_STORM_SMALL clients on both servers.
#
# The original checks every local socket of every process (gopsutil
# net.Connections, PortDistributor.Refresh) on each client connect, so its
# connect cost grows with the number of sockets on the machine: it is run
# with at most ORIG_MAX_CLIENTS clients (larger counts are skipped and said
# so). Both servers run in their own PID namespace (unshare --pid
# --mount-proc) so that the original's scan sees its own process only, as on
# a real server whose clients are elsewhere; the network is shared.
#
# usage: tests/bench/clients.sh [--quick] [--no-build]
# environment:
#   CLIENTS_REPS          repetitions (3; --quick: 1)
#   CLIENTS_COUNTS        plateaus for memory/latency ("1000 5000"; --quick: "200 500")
#   CLIENTS_STORM         storm size for ours ("2000"; --quick: 300)
#   CLIENTS_STORM_SMALL   storm size run on both (500; --quick: 100)
#   ORIG_MAX_CLIENTS      largest count the original is given (1000; --quick: 200)
#   CLIENTS_HANDSHAKES    max_concurrent_ssh_handshakes for both (default: unset)
#   CLIENTS_PHASES        "memory storm" (default both)
#   CLIENTS_SERVERS       "original rportd" (default both)
#   ORIGINAL_RPORTD       path of the original server

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools node wrk curl python3 unshare
NODE_DIR=$REPO_ROOT/tests/peers/node
LOAD=$NODE_DIR/rport_load.js

if [[ -z ${ORIGINAL_RPORTD:-} ]]; then
    ORIGINAL_RPORTD=$REPO_ROOT/../shared/interop/bin/rportd
    common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [[ ! -x $ORIGINAL_RPORTD && -n $common && -x $common/../../shared/interop/bin/rportd ]]; then
        ORIGINAL_RPORTD=$(cd "$common/../../shared/interop/bin" && pwd)/rportd
    fi
fi

reps=${CLIENTS_REPS:-3}
counts=${CLIENTS_COUNTS:-1000 5000}
storm=${CLIENTS_STORM:-2000}
storm_small=${CLIENTS_STORM_SMALL:-500}
orig_max=${ORIG_MAX_CLIENTS:-1000}
if ((BENCH_QUICK)); then
    reps=${CLIENTS_REPS:-1} counts=${CLIENTS_COUNTS:-200 500} storm=${CLIENTS_STORM:-300}
    storm_small=${CLIENTS_STORM_SMALL:-100} orig_max=${ORIG_MAX_CLIENTS:-200}
fi
phases=${CLIENTS_PHASES:-memory storm}
read -r -a servers <<<"${CLIENTS_SERVERS:-original rportd}"
handshakes=${CLIENTS_HANDSHAKES:-}
wrk_args=(-t1 -c10 -d5s --latency)
STATUS_PATH=/api/v1/status
FINGERPRINT=ab:1d:a0:16:60:29:62:23:ea:39:cc:a3:f9:17:13:39
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
clk_tck=$(getconf CLK_TCK)

max_count=$storm
for n in $counts; do ((n > max_count)) && max_count=$n; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(($(ulimit -n) >= max_count + 200)) || bench_die "ulimit -n $(ulimit -n) is too low for $max_count clients"

[[ -d $NODE_DIR/node_modules/ssh2 && -d $NODE_DIR/node_modules/ws ]] ||
    bench_die "no node_modules in $NODE_DIR: cd tests/peers/node && npm ci --no-audit --no-fund --omit=optional --ignore-scripts"
unshare --pid --fork --mount-proc true 2>/dev/null ||
    bench_die "unshare --pid --fork --mount-proc does not work here (needs root or user namespaces)"

if [[ " ${servers[*]} " == *" rportd "* ]]; then
    BENCH_BUILD_TARGETS=${BENCH_BUILD_TARGETS:-rportd}
    bench_ensure_build
fi
if [[ " ${servers[*]} " == *" original "* && ! -x $ORIGINAL_RPORTD ]]; then
    bench_log "original server not found at $ORIGINAL_RPORTD: measuring ours only (original: skipped)"
    servers=(rportd)
fi

bench_mktemp
dir=$BENCH_TMP
instance=0

# --- servers ---------------------------------------------------------------------

write_config() {  # DIR API_PORT SRV_PORT KIND
    local d=$1 api=$2 srv=$3 kind=$4
    {
        printf '[server]\n  address = "127.0.0.1:%s"\n  auth = "clientAuth1:1234"\n' "$srv"
        printf '  key_seed = "a"\n  data_dir = "%s/data"\n  purge_disconnected_clients = false\n' "$d"
        [[ -n $handshakes ]] && printf '  max_concurrent_ssh_handshakes = %s\n' "$handshakes"
        [[ $kind == original ]] && printf '  allow_root = true\n'
        printf '[logging]\n  log_file = "%s/server.log"\n  log_level = "info"\n' "$d"
        printf '[api]\n  address = "127.0.0.1:%s"\n  auth = "%s:%s"\n  user_login_wait = 0\n' \
            "$api" "$BENCH_API_USER" "$BENCH_API_PASS"
    } >"$d/rportd.conf"
    mkdir -p "$d/data"
}

# start_server KIND: sets SRV_DIR, SRV_WRAP (the unshare process, stopped by
# the EXIT trap; --kill-child takes the server with it), SRV_PID (the server
# itself: RSS and CPU), API_PORT, SRV_PORT.
start_server() {
    local kind=$1 bin=$ORIGINAL_RPORTD i deadline
    [[ $kind == rportd ]] && bin=$RPORTD_BIN
    instance=$((instance + 1))
    SRV_DIR=$dir/$kind-$instance
    mkdir -p "$SRV_DIR"
    read -r API_PORT SRV_PORT < <(bench_free_ports 2)
    write_config "$SRV_DIR" "$API_PORT" "$SRV_PORT" "$kind"
    (cd "$SRV_DIR" && exec unshare --pid --fork --mount-proc --kill-child "$bin" -c "$SRV_DIR/rportd.conf") \
        >"$SRV_DIR/stdout.log" 2>&1 &
    SRV_WRAP=$!
    bench_track "$SRV_WRAP" TERM
    SRV_PID=
    for ((i = 0; i < 500; i++)); do
        SRV_PID=$(pgrep -P "$SRV_WRAP" | head -n1 || true)
        [[ -n $SRV_PID ]] && break
        sleep 0.01
    done
    [[ -n $SRV_PID ]] || bench_die "$kind: no server process under unshare"
    bench_wait_port "$API_PORT" "$SRV_WRAP" 30
    bench_wait_port "$SRV_PORT" "$SRV_WRAP" 30
    deadline=$((SECONDS + 15))
    until [[ $(status_field clients_connected) == 0 ]]; do
        ((SECONDS < deadline)) || bench_die "$kind: $STATUS_PATH does not answer with clients_connected"
        sleep 0.1
    done
}

# unshare --fork ignores SIGTERM while it waits for its child: the server
# gets the signal itself (it is its namespace's init, which receives what it
# has a handler for), unshare follows when it exits; the EXIT trap's TERM to
# unshare is only a fallback (SIGKILL after 10 s, --kill-child).
stop_server() {
    local i
    kill -TERM "$SRV_PID" 2>/dev/null || true
    for ((i = 0; i < 1000; i++)); do
        kill -0 "$SRV_WRAP" 2>/dev/null || break
        sleep 0.01
    done
    bench_stop "$SRV_WRAP"
}

status_field() {  # KEY: from GET /api/v1/status of the current server
    curl -sS -m 10 -u "$BENCH_API_USER:$BENCH_API_PASS" "http://127.0.0.1:$API_PORT$STATUS_PATH" 2>/dev/null |
        python3 -c 'import json, sys
try: print(json.load(sys.stdin)["data"][sys.argv[1]])
except Exception: print("?")' "$1"
}

rss_kb() { bench_proc_field "$SRV_PID" VmRSS; }
pss_kb() { awk '$1 == "Pss:" { print $2; exit }' "/proc/$SRV_PID/smaps_rollup"; }
cpu_ticks() { bench_cpu_ticks "$SRV_PID"; }

# --- clients -----------------------------------------------------------------------

# start_clients N CONCURRENCY PREFIX: a generator in the background; sets
# GEN_PID and GEN_OUT. It stays connected until stopped.
gen=0
start_clients() {
    gen=$((gen + 1))
    GEN_OUT=$dir/gen-$gen.jsonl
    node "$LOAD" --url "ws://127.0.0.1:$SRV_PORT" --auth clientAuth1:1234 --count "$1" \
        --concurrency "$2" --id-prefix "$3" --duration 86400 --timeout 300000 \
        --fingerprint "$FINGERPRINT" >"$GEN_OUT" 2>"$dir/gen-$gen.err" </dev/null &
    GEN_PID=$!
    bench_track "$GEN_PID" TERM
}

# wait_ready TIMEOUT_S: until the generator printed its "ready" line.
wait_ready() {
    local deadline=$((SECONDS + $1))
    until grep -q '"event":"ready"' "$GEN_OUT" 2>/dev/null; do
        kill -0 "$GEN_PID" 2>/dev/null || { cat "$dir/gen-$gen.err" >&2; bench_die "the load generator died"; }
        ((SECONDS < deadline)) || bench_die "clients not set up after $1 s"
        sleep 0.2
    done
}

ready_field() {  # KEY [FILE]: a field of the "ready" line, dicts as k=v;...
    python3 - "$1" "${2:-$GEN_OUT}" <<'EOF'
import json, sys
key, path = sys.argv[1], sys.argv[2]
for line in open(path):
    d = json.loads(line)
    if d.get("event") == "ready":
        v = d
        for k in key.split("."):
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, dict):
            print(";".join(f"{k}={n}" for k, n in v.items()) or "none")
        else:
            print("null" if v is None else v)
        break
EOF
}

# wait until the server lists N connected clients (at most 30 s).
wait_listed() {
    local n=$1 deadline=$((SECONDS + 30)) got
    while :; do
        got=$(status_field clients_connected)
        [[ $got == "$n" ]] && return 0
        ((SECONDS < deadline)) || { bench_log "server lists $got connected clients, expected $n"; return 1; }
        sleep 0.2
    done
}

# status_latency NAME: wrk against the current server, prints "P50 P99 REQS".
status_latency() {
    local out=$dir/wrk-$1.txt
    wrk "${wrk_args[@]}" -H "$BENCH_AUTH_HEADER" "http://127.0.0.1:$API_PORT$STATUS_PATH" >"$out" 2>&1 ||
        { cat "$out" >&2; bench_die "wrk failed ($1)"; }
    grep -q 'Non-2xx' "$out" && { cat "$out" >&2; bench_die "$1: some responses were not 2xx"; }
    printf '%s %s %s\n' "$(bench_wrk_latency_ms "$out" 50%)" "$(bench_wrk_latency_ms "$out" 99%)" \
        "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
}

# --- results -----------------------------------------------------------------------
# F[key] = space-separated values over repetitions.
declare -A F=()
add() { F[$1]="${F[$1]:-}${F[$1]:+ }$2"; }
notes=()

measure_memory() {  # KIND REP
    local kind=$1 rep=$2 rss0 pss0 n have=0 more rss pss per_rss per_pss t0 t1 cpu gens=()
    start_server "$kind"
    sleep 2
    rss0=$(rss_kb) pss0=$(pss_kb)
    read -r p50 p99 reqs < <(status_latency "$kind-$rep-0")
    printf '%-8s rep %s:     0 clients: RSS %6s kB  PSS %6s kB  status p50 %6s ms p99 %6s ms (%s req/s)\n' \
        "$kind" "$rep" "$rss0" "$pss0" "$p50" "$p99" "$reqs"
    add "lat_p50,$kind,0" "$p50"; add "lat_p99,$kind,0" "$p99"
    for n in $counts; do
        if [[ $kind == original ]] && ((n > orig_max)); then
            [[ $rep == 1 ]] && notes+=("original: $n clients skipped (ORIG_MAX_CLIENTS=$orig_max, see the header of this script)")
            continue
        fi
        more=$((n - have))
        t0=$(cpu_ticks)
        start_clients "$more" 100 "m$n"
        gens+=("$GEN_PID")
        wait_ready 1800
        t1=$(cpu_ticks)
        [[ $(ready_field failed) == 0 ]] ||
            notes+=("$kind rep $rep: $(ready_field failed) of $more clients failed: $(ready_field failures)")
        have=$n
        wait_listed "$n" || notes+=("$kind rep $rep: server did not list $n connected clients")
        sleep 3
        rss=$(rss_kb) pss=$(pss_kb)
        per_rss=$(awk -v a="$rss" -v b="$rss0" -v n="$n" 'BEGIN { printf "%.1f", (a - b) / n }')
        per_pss=$(awk -v a="$pss" -v b="$pss0" -v n="$n" 'BEGIN { printf "%.1f", (a - b) / n }')
        cpu=$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v n="$more" 'BEGIN { printf "%.2f", t / hz * 1000 / n }')
        read -r p50 p99 reqs < <(status_latency "$kind-$rep-$n")
        printf '%-8s rep %s: %5s clients: RSS %6s kB  PSS %6s kB  per client %6s kB RSS %6s kB PSS; set up in %s ms (100 at a time), server CPU %s ms/client; status p50 %s ms p99 %s ms (%s req/s)\n' \
            "$kind" "$rep" "$n" "$rss" "$pss" "$per_rss" "$per_pss" "$(ready_field last_connected_ms)" "$cpu" "$p50" "$p99" "$reqs"
        add "per_rss,$kind,$n" "$per_rss"; add "per_pss,$kind,$n" "$per_pss"
        add "rss,$kind,$n" "$rss"; add "cpu_connect,$kind,$n" "$cpu"
        add "lat_p50,$kind,$n" "$p50"; add "lat_p99,$kind,$n" "$p99"
    done
    add "rss,$kind,0" "$rss0"
    for pid in "${gens[@]}"; do bench_stop "$pid"; done
    stop_server
}

measure_storm() {  # KIND REP N
    local kind=$1 rep=$2 n=$3 t0 t1 all failed
    start_server "$kind"
    sleep 1
    t0=$(cpu_ticks)
    start_clients "$n" 0 "s$n"
    wait_ready 1800
    t1=$(cpu_ticks)
    failed=$(ready_field failed)
    all=$(ready_field last_connected_ms)
    wait_listed "$((n - failed))" || notes+=("$kind storm $n rep $rep: server list differs")
    printf '%-8s rep %s: storm of %5s: all connected after %6s ms, %s failed%s; p50/p99 per client %s/%s ms; server CPU %s ms; generator CPU %s ms\n' \
        "$kind" "$rep" "$n" "$all" "$failed" \
        "$([[ $failed != 0 ]] && printf ' (%s)' "$(ready_field failures)")" \
        "$(ready_field connect_ms.p50)" "$(ready_field connect_ms.p99)" \
        "$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" 'BEGIN { printf "%.0f", t / hz * 1000 }')" "$(ready_field cpu_ms)"
    add "storm,$kind,$n" "$all"; add "storm_failed,$kind,$n" "$failed"
    bench_stop "$GEN_PID"
    stop_server
}

bench_log "clients.sh: servers ${servers[*]}; reps $reps; counts $counts (original <= $orig_max); storms $storm_small (both), $storm (ours); max_concurrent_ssh_handshakes ${handshakes:-default}"
for ((rep = 1; rep <= reps; rep++)); do
    order=("${servers[@]}")
    if ((rep % 2 == 0)) && ((${#servers[@]} == 2)); then order=("${servers[1]}" "${servers[0]}"); fi
    for kind in "${order[@]}"; do
        if [[ " $phases " == *" memory "* ]]; then measure_memory "$kind" "$rep"; fi
        if [[ " $phases " == *" storm "* ]]; then
            measure_storm "$kind" "$rep" "$storm_small"
            if [[ $kind == rportd ]] || ((storm <= orig_max)); then
                ((storm != storm_small)) && measure_storm "$kind" "$rep" "$storm"
            elif [[ $rep == 1 ]]; then
                notes+=("original: storm of $storm skipped (ORIG_MAX_CLIENTS=$orig_max)")
            fi
        fi
    done
done

# --- summary -----------------------------------------------------------------------
med() {
    local values=()
    read -r -a values <<<"${F[$1]:-}"
    if ((${#values[@]})); then bench_median "${values[@]}"; else echo n/a; fi
}
ratio() {  # A B -> A/B
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}
row() { printf '| %-44s | %12s | %12s | %10s |\n' "$@"; }

printf '\n== clients: medians of %s repetition(s)%s ==\n' "$reps" "$( ((BENCH_QUICK)) && echo ' (quick run: not representative)')"
printf 'date: %s, %s cores, load average %s at start, %s at end; max_concurrent_ssh_handshakes: %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$load_at_start" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "${handshakes:-default (GOMAXPROCS/2)}"
row figure original rportd 'rportd/orig'
row '---' '---' '---' '---'
if [[ " $phases " == *" memory "* ]]; then
    row "server RSS, 0 clients (kB)" "$(med rss,original,0)" "$(med rss,rportd,0)" "$(ratio "$(med rss,rportd,0)" "$(med rss,original,0)")"
    for n in $counts; do
        o=$(med "per_rss,original,$n") d=$(med "per_rss,rportd,$n")
        row "RSS per idle client at $n (kB)" "$o" "$d" "$(ratio "$d" "$o")"
        o=$(med "per_pss,original,$n") d=$(med "per_pss,rportd,$n")
        row "PSS per idle client at $n (kB)" "$o" "$d" "$(ratio "$d" "$o")"
        o=$(med "cpu_connect,original,$n") d=$(med "cpu_connect,rportd,$n")
        row "server CPU per connect, up to $n (ms)" "$o" "$d" "$(ratio "$d" "$o")"
    done
    for n in 0 $counts; do
        o=$(med "lat_p50,original,$n") d=$(med "lat_p50,rportd,$n")
        row "status p50 at $n clients (ms)" "$o" "$d" "$(ratio "$d" "$o")"
        o=$(med "lat_p99,original,$n") d=$(med "lat_p99,rportd,$n")
        row "status p99 at $n clients (ms)" "$o" "$d" "$(ratio "$d" "$o")"
    done
fi
if [[ " $phases " == *" storm "* ]]; then
    for n in $storm_small $storm; do
        o=$(med "storm,original,$n") d=$(med "storm,rportd,$n")
        row "storm of $n: all connected (ms)" "$o" "$d" "$(ratio "$d" "$o")"
        row "storm of $n: failures (per rep)" "${F[storm_failed,original,$n]:-n/a}" "${F[storm_failed,rportd,$n]:-n/a}" ''
        [[ $storm == "$storm_small" ]] && break
    done
fi
printf 'status: wrk %s, Basic auth. Memory: VmRSS and Pss (smaps_rollup) 3 s after the last client connected.\n' "${wrk_args[*]}"
for note in "${notes[@]}"; do printf 'note: %s\n' "$note"; done

for key in "${!F[@]}"; do
    bench_record "clients_${key//,/_}" "$(med "$key")"
done
