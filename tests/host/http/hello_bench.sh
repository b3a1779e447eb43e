#!/usr/bin/env bash
# hello_bench: req/s of rportd's HTTP layer alone (http_hello_bench, a fixed
# 600-byte JSON) against nginx serving the same bytes as a static file, with
# wrk over keep-alive. Runs alternate (nginx, ours, nginx, ours, ...) so that
# both see the same machine load, for each worker thread count asked for.
# Prints every round, the medians, the ratio, and server CPU per request
# (user + system time from /proc, which does not depend on the load).
#
# usage: tests/host/http/hello_bench.sh [-b BENCH_BINARY] [-t "1 2 4 8"] [-d 5s] [-r 3] [-c 50]
set -euo pipefail

bench=${HELLO_BENCH:-$(cd "$(dirname "$0")/../../.." && pwd)/build-http/tests/host/http/http_hello_bench}
thread_counts="1 2 4 8"
duration=5s
rounds=3
connections=50
while getopts "b:t:d:r:c:" opt; do
    case $opt in
        b) bench=$OPTARG ;;
        t) thread_counts=$OPTARG ;;
        d) duration=$OPTARG ;;
        r) rounds=$OPTARG ;;
        c) connections=$OPTARG ;;
        *) echo "usage: $0 [-b BENCH] [-t THREADS] [-d DURATION] [-r ROUNDS] [-c CONNECTIONS]" >&2; exit 2 ;;
    esac
done
[[ -x $bench ]] || { echo "no bench binary at $bench (build target http_hello_bench)" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx" >&2; exit 1; }

tmp=$(mktemp -d /tmp/hello_bench.XXXXXX)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -QUIT "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# user + system clock ticks of a process and its threads
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

wait_port() {
    local port=$1 i
    for i in $(seq 1 200); do
        curl -s -o /dev/null "http://127.0.0.1:$port/hello.json" && return 0
        sleep 0.05
    done
    echo "nothing answers on port $port" >&2
    exit 1
}

# --- nginx, one worker, the body as a static file --------------------------
mkdir -p "$tmp/nginx/logs" "$tmp/nginx/www"
# Started as root, nginx serves files as "nobody": let it into the scratch dir.
chmod a+rx "$tmp" "$tmp/nginx" "$tmp/nginx/www"
"$bench" --print-body > "$tmp/nginx/www/hello.json"
nginx_port=$(free_port)
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $tmp/nginx/client_body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $tmp/nginx/www;
    }
}
CONF
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -e "$tmp/nginx/logs/error.log" &
nginx_master=$!
pids+=("$nginx_master")
wait_port "$nginx_port"
nginx_worker=$(pgrep -P "$nginx_master" | head -1)

auth="Authorization: Basic YWRtaW46Zm9vYmF6"
# Prints "req/s cpu_us_per_request" for one wrk run against port $1, server pid $2.
measure() {
    local port=$1 pid=$2 before after out rps requests
    before=$(cpu_ticks "$pid")
    out=$(wrk -t1 -c"$connections" -d"$duration" -H "$auth" "http://127.0.0.1:$port/hello.json")
    after=$(cpu_ticks "$pid")
    if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers from port $port" >&2; exit 1; fi
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    awk -v r="$rps" -v t=$((after - before)) -v n="$requests" -v hz="$ticks_per_second" \
        'BEGIN { printf "%.0f %.1f\n", r, t * 1e6 / hz / n }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf 'cores %s, wrk -t1 -c%s -d%s, %s rounds per thread count, load at start %s\n' \
    "$(nproc)" "$connections" "$duration" "$rounds" "$(cat /proc/loadavg | cut -d' ' -f1-3)"
printf '%-8s %-6s %-8s %10s %12s %6s\n' threads round server req/s "cpu us/req" load1
summary=()
for threads in $thread_counts; do
    "$bench" --threads "$threads" > "$tmp/ours.port" &
    ours=$!
    pids+=("$ours")
    for _ in $(seq 1 100); do [[ -s $tmp/ours.port ]] && break; sleep 0.05; done
    ours_port=$(head -1 "$tmp/ours.port")
    wait_port "$ours_port"
    curl -s "http://127.0.0.1:$ours_port/hello.json" | cmp -s - "$tmp/nginx/www/hello.json" ||
        { echo "the two servers do not send the same body" >&2; exit 1; }
    # Warm-up, not counted.
    wrk -t1 -c"$connections" -d1s -H "$auth" "http://127.0.0.1:$nginx_port/hello.json" >/dev/null
    wrk -t1 -c"$connections" -d1s -H "$auth" "http://127.0.0.1:$ours_port/hello.json" >/dev/null
    : > "$tmp/nginx.rps"; : > "$tmp/ours.rps"; : > "$tmp/nginx.cpu"; : > "$tmp/ours.cpu"
    for round in $(seq 1 "$rounds"); do
        read -r rps cpu < <(measure "$nginx_port" "$nginx_worker")
        printf '%-8s %-6s %-8s %10s %12s %6s\n' "$threads" "$round" nginx "$rps" "$cpu" "$(load1)"
        echo "$rps" >> "$tmp/nginx.rps"; echo "$cpu" >> "$tmp/nginx.cpu"
        read -r rps cpu < <(measure "$ours_port" "$ours")
        printf '%-8s %-6s %-8s %10s %12s %6s\n' "$threads" "$round" ours "$rps" "$cpu" "$(load1)"
        echo "$rps" >> "$tmp/ours.rps"; echo "$cpu" >> "$tmp/ours.cpu"
    done
    kill -TERM "$ours"
    wait "$ours" || true
    pids=("${pids[@]/$ours}")
    n=$(median < "$tmp/nginx.rps"); o=$(median < "$tmp/ours.rps")
    summary+=("$(printf '%-8s nginx %8s  ours %8s  ratio %s  cpu us/req nginx %s ours %s' "$threads" "$n" "$o" \
        "$(awk -v a="$o" -v b="$n" 'BEGIN {printf "%.2f", a / b}')" \
        "$(median < "$tmp/nginx.cpu")" "$(median < "$tmp/ours.cpu")")")
done
printf '\nmedians (load at end %s):\n' "$(cat /proc/loadavg | cut -d' ' -f1-3)"
printf '%s\n' "${summary[@]}"
