#!/usr/bin/env bash
# core_choice: should the network core move to Boost.Asio + Beast's HTTP/1
# parser? Measures, in one run and with alternating rounds, plain-HTTP
# keep-alive `GET /api/v1/status` with Basic auth against
#   nginx        the body rportd returns, as a static file (as status_throughput.sh)
#   rportd       the real server (host/http, [api] auth static, default workers)
#   ours         ours_status_server: the asio servers' handler logic on rportd's
#                own core (host/http, 2 workers), so the cores compare alone
#   asio-read    asio_status_server --mode read  (tests/bench/asio_status)
#   asio-wait    asio_status_server --mode wait
#   asio-beast   asio_status_server --mode beast (idiomatic http::async_read/async_write)
# all asio modes with 2 threads (one io_context each). Per round and server:
# req/s, p99, server CPU per request (user + system ticks from /proc/PID/stat
# over the requests wrk completed). Then medians, ratios against nginx (req/s,
# and nginx CPU / server CPU: "throughput per CPU"), and the memory each
# server holds per idle keep-alive connection (VmRSS delta over 2,000
# connections that each completed one request).
#
# usage: tests/bench/core_choice.sh [--quick] [--no-build]
#   full: 5 rounds of wrk -t1 -c50 -d5s per server, after a 2 s warm-up each
#   quick: 2 rounds of -d2s, 500 idle connections
# Builds build-bench/ (or RPORTD_BENCH_BUILD_DIR) with -DRPORTD_BENCH_ASIO=ON,
# which needs the Boost headers (apt-get install libboost-dev).

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk nginx curl python3

rounds=${CORE_CHOICE_ROUNDS:-5} duration=5s warm=2s idle_conns=2000
((BENCH_QUICK)) && rounds=2 duration=2s warm=1s idle_conns=500
ASIO_BIN=${ASIO_BIN:-$BUILD_DIR/bin/asio_status_server}
OURS_BIN=${OURS_BIN:-$BUILD_DIR/bin/ours_status_server}
STATUS_PATH=/api/v1/status
WRK_ARGS=(-t1 -c50 --latency)
SERVERS=(nginx rportd ours asio-read asio-wait asio-beast)

# --- build -------------------------------------------------------------------
if [[ $BENCH_BUILD == 1 ]]; then
    if [[ ! -f $BUILD_DIR/build.ninja ]]; then
        bench_log "configuring $BUILD_DIR (Release, RPORTD_BENCH_ASIO=ON)"
        cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DRPORTD_BUILD_TESTS="$BENCH_BUILD_TESTS" -DRPORTD_BENCH_ASIO=ON >&2
    elif ! grep -q '^RPORTD_BENCH_ASIO:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
        bench_log "enabling RPORTD_BENCH_ASIO in $BUILD_DIR"
        cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -DRPORTD_BENCH_ASIO=ON >&2
    fi
    bench_log "building rportd, ours_status_server and asio_status_server in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target rportd ours_status_server asio_status_server >&2
fi
[[ -x $RPORTD_BIN ]] || bench_die "$RPORTD_BIN missing"
[[ -x $OURS_BIN ]] || bench_die "$OURS_BIN missing (-DRPORTD_BENCH_ASIO=ON?)"
[[ -x $ASIO_BIN ]] || bench_die "$ASIO_BIN missing (Boost headers installed? -DRPORTD_BENCH_ASIO=ON?)"

bench_mktemp
dir=$BENCH_TMP
read -r api_port srv_port nginx_port < <(bench_free_ports 3)

# --- rportd --------------------------------------------------------------------
bench_write_config "$dir" "$api_port" "$srv_port"
bench_start_rportd "$dir"
bench_wait_port "$api_port" "$RPORTD_PID"
declare -A pids_of=() url_of=()
pids_of[rportd]=$RPORTD_PID
url_of[rportd]="http://127.0.0.1:$api_port$STATUS_PATH"
code=$(curl -sS -o "$dir/status.json" -w '%{http_code}' \
    -u "$BENCH_API_USER:$BENCH_API_PASS" "${url_of[rportd]}")
[[ $code == 200 ]] || bench_die "rportd: GET $STATUS_PATH answered $code, not 200"
body_bytes=$(wc -c <"$dir/status.json")

# --- nginx, the same body as a static file ----------------------------------------
ngx=$dir/nginx
mkdir -p "$ngx/html${STATUS_PATH%/*}"
cp "$dir/status.json" "$ngx/html$STATUS_PATH"
chmod -R a+rX "$dir"
# One worker with room for the idle connections (lib.sh).
bench_start_nginx "$ngx" "$nginx_port" "    server { listen 127.0.0.1:$nginx_port; root $ngx/html; }"
nginx_pid=$NGINX_PID
nginx_workers=("$NGINX_WORKER_PID")
pids_of[nginx]="$nginx_pid ${nginx_workers[0]}"
url_of[nginx]="http://127.0.0.1:$nginx_port$STATUS_PATH"

# --- the same route on our core, and on Asio/Beast (one process per mode) ---------------
for server in ours asio-read asio-wait asio-beast; do
    if [[ $server == ours ]]; then cmd=("$OURS_BIN"); else cmd=("$ASIO_BIN" --mode "${server#asio-}"); fi
    "${cmd[@]}" --threads 2 --body-file "$dir/status.json" \
        --user "$BENCH_API_USER:$BENCH_API_PASS" >"$dir/$server.port" 2>"$dir/$server.log" &
    pid=$!
    bench_track "$pid" TERM
    for ((i = 0; i < 500; i++)); do [[ -s $dir/$server.port ]] && break; sleep 0.01; done
    port=$(head -n1 "$dir/$server.port")
    [[ -n $port ]] || bench_die "$server did not print its port: $(cat "$dir/$server.log")"
    bench_wait_port "$port" "$pid"
    pids_of[$server]=$pid
    url_of[$server]="http://127.0.0.1:$port$STATUS_PATH"
done

# Same bytes from everyone; the asio servers also refuse a wrong password.
for server in "${SERVERS[@]}"; do
    curl -sS -u "$BENCH_API_USER:$BENCH_API_PASS" -o "$dir/check.json" "${url_of[$server]}"
    cmp -s "$dir/status.json" "$dir/check.json" || bench_die "$server does not serve rportd's body"
    if [[ $server != nginx ]]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' -u "$BENCH_API_USER:wrong" "${url_of[$server]}")
        [[ $code == 401 ]] || bench_die "$server answered $code to a wrong password"
    fi
done

# --- wrk -------------------------------------------------------------------------------
clk_tck=$(getconf CLK_TCK)

run_wrk() {  # NAME URL DURATION -> $dir/wrk-NAME.txt
    local out=$dir/wrk-$1.txt
    wrk "${WRK_ARGS[@]}" -d"$3" -H "$BENCH_AUTH_HEADER" "$2" >"$out" 2>&1 ||
        { cat "$out" >&2; bench_die "wrk failed ($1)"; }
    if grep -q 'Non-2xx' "$out"; then cat "$out" >&2; bench_die "$1: some responses were not 2xx"; fi
    grep -q '^Requests/sec:' "$out" || { cat "$out" >&2; bench_die "no wrk figures ($1)"; }
}

bench_log "warm-up: wrk -d$warm per server (also checks every answer is 2xx)"
for server in "${SERVERS[@]}"; do run_wrk "warm-$server" "${url_of[$server]}" "$warm"; done

printf 'core_choice: %s, %s cores, body %s bytes, wrk %s -d%s, %s rounds, load at start %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$body_bytes" "${WRK_ARGS[*]}" "$duration" "$rounds" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-10s %10s %9s %12s %6s\n' round server 'req/s' 'p99 ms' 'CPU us/req' 'load1'
declare -A reqs_of=() p99_of=() cpu_of=() cpu_ratio_of=()
for ((r = 1; r <= rounds; r++)); do
    # Rotate the order each round so no server always follows the same one.
    order=()
    for ((k = 0; k < ${#SERVERS[@]}; k++)); do order+=("${SERVERS[(k + r - 1) % ${#SERVERS[@]}]}"); done
    declare -A round_cpu=()
    for server in "${order[@]}"; do
        read -r -a pids <<<"${pids_of[$server]}"
        before=$(bench_cpu_ticks "${pids[@]}")
        run_wrk "$server-$r" "${url_of[$server]}" "$duration"
        after=$(bench_cpu_ticks "${pids[@]}")
        read -r reqs p99 < <(bench_wrk_figures "$dir/wrk-$server-$r.txt")
        total=$(awk '/ requests in / { print $1; exit }' "$dir/wrk-$server-$r.txt")
        cpu=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$total" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
        round_cpu[$server]=$cpu
        reqs_of[$server]+="$reqs " p99_of[$server]+="$p99 " cpu_of[$server]+="$cpu "
        printf '%-6s %-10s %10s %9s %12s %6s\n' "$r" "$server" "$reqs" "$p99" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
    done
    for server in "${SERVERS[@]}"; do
        cpu_ratio_of[$server]+="$(awk -v n="${round_cpu[nginx]}" -v s="${round_cpu[$server]}" 'BEGIN { printf "%.3f", n / s }') "
    done
    unset round_cpu
done

median_of() { read -r -a v <<<"$1"; bench_median "${v[@]}"; }
printf '\nmedians over %s rounds (load at end %s):\n' "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %9s %12s %14s %16s %18s\n' server 'req/s' 'p99 ms' 'CPU us/req' 'req/s ratio' 'per-CPU ratio' 'median per-round'
n_reqs=$(median_of "${reqs_of[nginx]}") n_cpu=$(median_of "${cpu_of[nginx]}")
for server in "${SERVERS[@]}"; do
    m_reqs=$(median_of "${reqs_of[$server]}") m_cpu=$(median_of "${cpu_of[$server]}")
    printf '%-10s %10s %9s %12s %14s %16s %18s\n' "$server" "$m_reqs" "$(median_of "${p99_of[$server]}")" "$m_cpu" \
        "$(awk -v a="$m_reqs" -v b="$n_reqs" 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v a="$n_cpu" -v b="$m_cpu" 'BEGIN { printf "%.2f", a / b }')" \
        "$(median_of "${cpu_ratio_of[$server]}")"
    bench_record "cc_${server//-/_}_median_reqs" "$m_reqs"
    bench_record "cc_${server//-/_}_median_cpu_us" "$m_cpu"
done
printf 'per-CPU ratio = nginx CPU us/req / server CPU us/req (target >= 0.9); the last column is the\n'
printf 'median of that ratio taken within each round.\n'

# --- memory per idle keep-alive connection ------------------------------------------------
# Opens N connections, completes one request on each and keeps them open; the
# VmRSS delta of the server's processes (nginx: its worker) over N, 1 s later.
idle_memory() {  # URL PIDS...
    python3 - "$idle_conns" "$@" <<'PY'
import resource, socket, sys, time
from urllib.parse import urlsplit
n, url, pids = int(sys.argv[1]), urlsplit(sys.argv[2]), sys.argv[3:]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 100)), hard))
def rss_kb():
    total = 0
    for p in pids:
        with open(f"/proc/{p}/status") as f:
            total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return total
request = (f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
           "Authorization: Basic YWRtaW46Zm9vYmF6\r\n\r\n").encode()
def one_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk: raise SystemExit("connection closed early")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"): raise SystemExit("not 200: " + head[:40].decode())
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:"))
    while len(rest) < length: rest += s.recv(65536)
time.sleep(0.5)
before = rss_kb()
conns = []
for _ in range(n):
    s = socket.create_connection((url.hostname, url.port))
    s.sendall(request)
    one_response(s)
    conns.append(s)
time.sleep(1.0)
after = rss_kb()
print(f"{before} {after} {(after - before) * 1024 / n:.0f}")
for s in conns: s.close()
PY
}
printf '\nidle keep-alive connections: %s, each after one request\n' "$idle_conns"
printf '%-10s %14s %14s %16s\n' server 'VmRSS before' 'VmRSS after' 'bytes per conn'
for server in "${SERVERS[@]}"; do
    read -r -a pids <<<"${pids_of[$server]}"
    [[ $server == nginx ]] && pids=("${nginx_workers[0]}")
    read -r before after per < <(idle_memory "${url_of[$server]}" "${pids[@]}")
    printf '%-10s %11s kB %11s kB %16s\n' "$server" "$before" "$after" "$per"
    bench_record "cc_${server//-/_}_idle_bytes_per_conn" "$per"
    sleep 0.5
done
printf 'threads: rportd %s (event loops, blocking pool, main), ours %s (2 event loops, blocking pool, main), asio %s (2 io_contexts)\n' \
    "$(bench_proc_field "$RPORTD_PID" Threads)" "$(bench_proc_field "${pids_of[ours]}" Threads)" \
    "$(bench_proc_field "${pids_of[asio-read]}" Threads)"
