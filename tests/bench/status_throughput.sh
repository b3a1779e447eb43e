#!/usr/bin/env bash
# status_throughput: req/s and p99 of rportd's GET /api/v1/status (Basic auth)
# next to nginx serving the very same bytes as a static file, both over plain
# HTTP on 127.0.0.1. wrk runs alternate between the two servers (nginx,
# rportd, nginx, rportd, ...) so that noise from the shared machine is spread
# over both. Also reports rportd's RSS once the rounds are over.
#
# usage: tests/bench/status_throughput.sh [--quick] [--no-build]
#   full: 3 rounds of wrk -t1 -c50 -d10s --latency per server
#   quick: 3 rounds of -d2s

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk nginx curl python3
bench_ensure_build

rounds=3 duration=10s check_duration=3s
((BENCH_QUICK)) && duration=2s check_duration=1s
WRK_ARGS=(-t1 -c50 --latency)
STATUS_PATH=/api/v1/status

bench_mktemp
dir=$BENCH_TMP
read -r api_port srv_port nginx_port < <(bench_free_ports 3)

# --- rportd -------------------------------------------------------------
bench_write_config "$dir" "$api_port" "$srv_port"
bench_start_rportd "$dir"
rportd_pid=$RPORTD_PID
bench_wait_port "$api_port" "$rportd_pid"
rportd_url="http://127.0.0.1:$api_port$STATUS_PATH"

code=$(curl -sS -o "$dir/status.json" -w '%{http_code}' \
    -u "$BENCH_API_USER:$BENCH_API_PASS" "$rportd_url")
[[ $code == 200 ]] || bench_die "GET $STATUS_PATH answered $code, not 200"
body_bytes=$(wc -c <"$dir/status.json")

# --- nginx serving the same body -----------------------------------------
# The file sits at the same URL path; the directory is made world-readable
# because nginx workers drop to another user when the master runs as root.
ngx=$dir/nginx
mkdir -p "$ngx/html${STATUS_PATH%/*}"
cp "$dir/status.json" "$ngx/html$STATUS_PATH"
chmod -R a+rX "$dir"
bench_start_nginx "$ngx" "$nginx_port" "    server { listen 127.0.0.1:$nginx_port; root $ngx/html; }"
nginx_pid=$NGINX_PID
nginx_url="http://127.0.0.1:$nginx_port$STATUS_PATH"

curl -sS -o "$dir/nginx.json" "$nginx_url"
cmp -s "$dir/status.json" "$dir/nginx.json" || bench_die "nginx does not serve the rportd body"

# --- wrk --------------------------------------------------------------------
# Both servers get the same request, Authorization header included (nginx
# ignores it). Output of each run goes to $dir/wrk-NAME.txt.
run_wrk() {
    local name=$1 url=$2 seconds=$3 out=$dir/wrk-$1.txt
    wrk "${WRK_ARGS[@]}" -d"$seconds" -H "$BENCH_AUTH_HEADER" "$url" >"$out" 2>&1 ||
        { cat "$out" >&2; bench_die "wrk failed ($name)"; }
    if grep -q 'Non-2xx' "$out"; then
        cat "$out" >&2
        bench_die "$name: some responses were not 2xx"
    fi
    grep -q '^Requests/sec:' "$out" || { cat "$out" >&2; bench_die "no wrk figures ($name)"; }
}

bench_log "checking every response is 2xx (wrk -d$check_duration, also warms both servers)"
run_wrk check-nginx "$nginx_url" "$check_duration"
run_wrk check-rportd "$rportd_url" "$check_duration"
printf 'pre-run: rportd %s req/s, nginx %s req/s, no Non-2xx responses\n' \
    "$(bench_wrk_figures "$dir/wrk-check-rportd.txt" | cut -d' ' -f1)" \
    "$(bench_wrk_figures "$dir/wrk-check-nginx.txt" | cut -d' ' -f1)"

# CPU time (user + system, in clock ticks) used so far by the given
# processes, all their threads included. nginx: master plus its workers.
clk_tck=$(getconf CLK_TCK)
cpu_ticks() {
    local p total=0 t
    for p in "$@"; do
        t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
        total=$((total + t))
    done
    echo "$total"
}
mapfile -t nginx_workers < <(pgrep -P "$nginx_pid" || true)
nginx_pids=("$nginx_pid" "${nginx_workers[@]}")

nginx_reqs=() rportd_reqs=() nginx_p99=() rportd_p99=() nginx_cpu=() rportd_cpu=()
printf '%-6s %-7s %10s %9s %12s %6s %s\n' round server 'req/s' 'p99 ms' 'CPU us/req' 'load1' 'socket errors'
for ((r = 1; r <= rounds; r++)); do
    for server in nginx rportd; do
        url_var=${server}_url
        bench_log "round $r/$rounds: $server (wrk ${WRK_ARGS[*]} -d$duration)"
        if [[ $server == nginx ]]; then pids=("${nginx_pids[@]}"); else pids=("$rportd_pid"); fi
        ticks_before=$(cpu_ticks "${pids[@]}")
        run_wrk "$server-$r" "${!url_var}" "$duration"
        ticks_after=$(cpu_ticks "${pids[@]}")
        read -r reqs p99 < <(bench_wrk_figures "$dir/wrk-$server-$r.txt")
        total=$(awk '/ requests in / { print $1; exit }' "$dir/wrk-$server-$r.txt")
        # Server CPU time per completed request; less sensitive to other load
        # on the machine than req/s.
        cpu=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$clk_tck" -v n="$total" \
            'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
        errors=$(grep -m1 'Socket errors' "$dir/wrk-$server-$r.txt" | sed 's/^ *Socket errors: *//' || true)
        # 1-minute load average right after the run: a hint of outside noise.
        load1=$(cut -d' ' -f1 /proc/loadavg)
        printf '%-6s %-7s %10s %9s %12s %6s %s\n' "$r" "$server" "$reqs" "$p99" "$cpu" "$load1" "${errors:-none}"
        bench_record "tp_${server}_round${r}_reqs" "$reqs"
        bench_record "tp_${server}_round${r}_p99_ms" "$p99"
        bench_record "tp_${server}_round${r}_cpu_us" "$cpu"
        if [[ $server == nginx ]]; then
            nginx_reqs+=("$reqs") nginx_p99+=("$p99") nginx_cpu+=("$cpu")
        else
            rportd_reqs+=("$reqs") rportd_p99+=("$p99") rportd_cpu+=("$cpu")
        fi
    done
done

# Memory after the load, while the server is still up.
loaded_rss_kb=$(bench_proc_field "$rportd_pid" VmRSS)
loaded_hwm_kb=$(bench_proc_field "$rportd_pid" VmHWM)
loaded_threads=$(bench_proc_field "$rportd_pid" Threads)

nginx_median=$(bench_median "${nginx_reqs[@]}")
rportd_median=$(bench_median "${rportd_reqs[@]}")
ratio=$(awk -v a="$rportd_median" -v b="$nginx_median" 'BEGIN { printf "%.2f", a / b }')

printf 'status body: %s bytes\n' "$body_bytes"
printf 'median req/s: nginx %s (p99 median %s ms), rportd %s (p99 median %s ms)\n' \
    "$nginx_median" "$(bench_median "${nginx_p99[@]}")" \
    "$rportd_median" "$(bench_median "${rportd_p99[@]}")"
printf 'ratio median(rportd)/median(nginx): %s\n' "$ratio"
printf 'median server CPU per request: nginx %s us, rportd %s us\n' \
    "$(bench_median "${nginx_cpu[@]}")" "$(bench_median "${rportd_cpu[@]}")"
printf 'rportd after load: VmRSS %s MB, VmHWM %s MB, %s threads\n' \
    "$(bench_kb_to_mb "$loaded_rss_kb")" "$(bench_kb_to_mb "$loaded_hwm_kb")" "$loaded_threads"

bench_record tp_rounds "$rounds"
bench_record tp_duration "$duration"
bench_record tp_body_bytes "$body_bytes"
bench_record tp_nginx_median_reqs "$nginx_median"
bench_record tp_rportd_median_reqs "$rportd_median"
bench_record tp_nginx_median_p99_ms "$(bench_median "${nginx_p99[@]}")"
bench_record tp_rportd_median_p99_ms "$(bench_median "${rportd_p99[@]}")"
bench_record tp_ratio "$ratio"
bench_record tp_nginx_median_cpu_us "$(bench_median "${nginx_cpu[@]}")"
bench_record tp_rportd_median_cpu_us "$(bench_median "${rportd_cpu[@]}")"
bench_record loaded_rss_kb "$loaded_rss_kb"
bench_record loaded_hwm_kb "$loaded_hwm_kb"
bench_record loaded_threads "$loaded_threads"
