#!/usr/bin/env bash
# https: the API over TLS, three servers side by side in one run:
#   nginx     static file at /api/v1/status (a short JSON), Mozilla
#             intermediate TLS profile, session tickets on
#   original  the Go rportd of ../shared/interop (README there), [api]
#             cert_file/key_file; column "n/a" when the binary is absent
#   rportd    ours ($RPORTD_BIN), [api] cert_file/key_file in a config this
#             script writes; column "n/a" when it is missing or does not
#             serve HTTPS (yet)
# all with the same ECDSA P-256 certificate for rport.test from a throwaway
# CA, on 127.0.0.1 only. Figures (medians over the rounds):
#   keep-alive   wrk -t1 -c50 --latency, GET /api/v1/status with Basic auth:
#                req/s, p99, server CPU us per request (utime+stime from
#                /proc/PID/stat / requests; nginx: its one worker)
#   handshakes   bench_tls_client: sequential new connections (handshake, one
#                GET, close) for a few seconds, full handshakes and resumed
#                ones (session tickets): conn/s and server CPU us per connection
#   idle memory  fresh server, one warm-up request, then 2,000 connections that
#                each make one keep-alive request and then idle: (VmRSS after -
#                VmRSS before) / 2000, plain HTTP and TLS
# Servers are measured in turn within each round (nginx, original, rportd) so
# that outside load is spread over all of them.
#
# usage: tests/bench/https.sh [--quick] [--no-build]
#   RPORTD_BIN         our rportd (default build-bench/bin/rportd)
#   ORIGINAL_RPORTD    the Go rportd (default ../shared/interop/bin/rportd)
#   BENCH_TLS_CLIENT   a built bench_tls_client (default: compiled into
#                      build-bench-tools/ from tests/bench/bench_tls_client.cpp)
#   HTTPS_IDLE_CONNS   idle connections (default 2000)
#   --quick            1 round, wrk -d2s, handshakes 2 s, 500 idle connections

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk nginx openssl curl python3 c++
# The original sits in ../shared/interop/bin beside the main checkout; from a
# git worktree, that is beside the checkout that owns the repository.
if [[ -z ${ORIGINAL_RPORTD:-} ]]; then
    ORIGINAL_RPORTD=$REPO_ROOT/../shared/interop/bin/rportd
    common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [[ ! -x $ORIGINAL_RPORTD && -n $common && -x $common/../../shared/interop/bin/rportd ]]; then
        ORIGINAL_RPORTD=$(cd "$common/../../shared/interop/bin" && pwd)/rportd
    fi
fi

rounds=3 duration=10s hs_seconds=5 idle_conns=${HTTPS_IDLE_CONNS:-2000} idle_rounds=3
if ((BENCH_QUICK)); then
    rounds=1 duration=2s hs_seconds=2 idle_conns=${HTTPS_IDLE_CONNS:-500} idle_rounds=1
fi
STATUS_PATH=/api/v1/status
NAME=rport.test
clk_tck=$(getconf CLK_TCK)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
# Servers and client need more than 1,024 descriptors for the idle test.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(($(ulimit -n) >= idle_conns + 100)) || bench_die "ulimit -n $(ulimit -n) is too low for $idle_conns connections"

# --- our rportd: build when asked, but its absence is not an error ------------
if [[ $BENCH_BUILD == 1 ]]; then
    bench_ensure_build || true
fi

# --- the TLS client --------------------------------------------------------------
client=${BENCH_TLS_CLIENT:-}
if [[ -z $client ]]; then
    tools=$REPO_ROOT/build-bench-tools
    client=$tools/bench_tls_client
    if [[ ! -x $client || $BENCH_DIR/bench_tls_client.cpp -nt $client ]]; then
        bench_log "compiling $client"
        mkdir -p "$tools"
        c++ -std=c++17 -O2 -Wall -Wextra -pthread -o "$client" "$BENCH_DIR/bench_tls_client.cpp" \
            -lssl -lcrypto || bench_die "cannot compile bench_tls_client"
    fi
fi
[[ -x $client ]] || bench_die "$client is not executable"

bench_mktemp
dir=$BENCH_TMP
chmod a+rx "$dir"  # nginx workers run as another user
pki=$dir/pki
bench_make_test_cert "$pki" "$NAME"
body='{"data":{"version":"0.0.0-x"}}'

# --- servers ------------------------------------------------------------------------
# start_server NAME MODE (tls|plain): a fresh instance. Sets SRV_PID (what
# to stop), SRV_MEASURE_PID (whose CPU and RSS count), SRV_PORT. Returns 1
# when the server cannot be started (its log is kept in $dir).
declare -A available=()
instance=0

wait_for_port() {  # PORT PID: 0 once the port accepts, 1 when PID died or 15 s passed
    local port=$1 pid=$2 deadline=$((SECONDS + 15))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || return 1
        ((SECONDS < deadline)) || return 1
        sleep 0.01
    done
}

write_rport_config() {  # DIR API_PORT SRV_PORT MODE KIND(original|rportd)
    local d=$1 api=$2 srv=$3 mode=$4 kind=$5
    {
        printf '[server]\n  address = "127.0.0.1:%s"\n  auth = "clientAuth1:1234"\n' "$srv"
        printf '  data_dir = "%s/data"\n' "$d"
        [[ $kind == original ]] && printf '  allow_root = true\n'
        printf '[logging]\n  log_file = "%s/server.log"\n  log_level = "error"\n' "$d"
        printf '[api]\n  address = "127.0.0.1:%s"\n  auth = "%s:%s"\n' "$api" "$BENCH_API_USER" "$BENCH_API_PASS"
        [[ $kind == original ]] && printf '  user_login_wait = 0\n'
        if [[ $mode == tls ]]; then
            printf '  cert_file = "%s"\n  key_file = "%s"\n' "$pki/fullchain.pem" "$pki/server.key"
        fi
    } >"$d/rportd.conf"
    mkdir -p "$d/data"
}

start_server() {
    local name=$1 mode=$2 d port srv pid
    instance=$((instance + 1))
    d=$dir/$name-$mode-$instance
    mkdir -p "$d"
    SRV_DIR=$d
    read -r port srv < <(bench_free_ports 2)
    case $name in
        nginx)
            mkdir -p "$d/html${STATUS_PATH%/*}"
            printf '%s' "$body" >"$d/html$STATUS_PATH"
            local listen="listen 127.0.0.1:$port;"
            [[ $mode == tls ]] && listen="listen 127.0.0.1:$port ssl;
        ssl_certificate     $pki/fullchain.pem;
        ssl_certificate_key $pki/server.key;
$(bench_nginx_tls_profile)
        ssl_session_tickets on;"
            bench_start_nginx "$d" "$port" "
    server {
        $listen
        server_name $NAME;
        root $d/html;
    }"
            SRV_PID=$NGINX_PID SRV_MEASURE_PID=$NGINX_WORKER_PID ;;
        original | rportd)
            local bin=$ORIGINAL_RPORTD
            [[ $name == rportd ]] && bin=$RPORTD_BIN
            [[ -x $bin ]] || return 1
            write_rport_config "$d" "$port" "$srv" "$mode" "$name"
            (cd "$d" && exec "$bin" -c "$d/rportd.conf") >"$d/stdout.log" 2>&1 &
            pid=$!
            bench_track "$pid" TERM
            if ! wait_for_port "$port" "$pid"; then
                bench_stop "$pid"
                bench_log "$name did not listen on 127.0.0.1:$port; its output ends with:"
                tail -n 5 "$d/stdout.log" "$d/server.log" 2>/dev/null | sed 's/^/    /' >&2 || true
                return 1
            fi
            SRV_PID=$pid SRV_MEASURE_PID=$pid ;;
    esac
    SRV_PORT=$port
    # One authenticated request: the server answers 200 over this mode.
    local scheme=http code
    [[ $mode == tls ]] && scheme=https
    code=$(curl -sS -o "$d/status.json" -w '%{http_code}' --cacert "$pki/ca.pem" \
        --resolve "$NAME:$port:127.0.0.1" -u "$BENCH_API_USER:$BENCH_API_PASS" \
        "$scheme://$NAME:$port$STATUS_PATH" 2>"$d/curl.err") || code=000
    if [[ $code != 200 ]]; then
        bench_log "$name ($mode) answered $code: $(cat "$d/curl.err")"
        stop_server
        return 1
    fi
}

stop_server() { bench_stop "$SRV_PID"; }

ticks() { bench_cpu_ticks "$SRV_MEASURE_PID"; }
us_per() {  # TICKS COUNT
    awk -v t="$1" -v hz="$clk_tck" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "n/a" }'
}

servers=(nginx original rportd)
note=()
for s in "${servers[@]}"; do
    if start_server "$s" tls; then
        available[$s]=1
        printf '%-8s serves HTTPS: %s bytes of status JSON\n' "$s" "$(wc -c <"$SRV_DIR/status.json")"
        stop_server
    else
        available[$s]=0
        case $s in
            original) note+=("original: n/a ($ORIGINAL_RPORTD missing or did not serve HTTPS)") ;;
            rportd) note+=("rportd: n/a ($RPORTD_BIN missing or did not serve HTTPS, see above)") ;;
            nginx) bench_die "nginx did not start" ;;
        esac
    fi
done
for n in "${note[@]}"; do bench_log "$n"; done

declare -A F=()  # F[metric,server] = space-separated values of the rounds
add() { F[$1,$2]="${F[$1,$2]:-} $3"; }

# --- keep-alive throughput and handshakes (one TLS instance per server) ------------
auth_header=$BENCH_AUTH_HEADER
for s in "${servers[@]}"; do
    ((available[$s])) || continue
    start_server "$s" tls || bench_die "$s stopped working"
    eval "pid_$s=\$SRV_PID measure_$s=\$SRV_MEASURE_PID port_$s=\$SRV_PORT"
    # Warm-up and a check that every answer is a 200.
    wrk -t1 -c50 -d2s -H "$auth_header" "https://127.0.0.1:$SRV_PORT$STATUS_PATH" >"$dir/wrk-check-$s.txt" 2>&1
    if grep -q 'Non-2xx' "$dir/wrk-check-$s.txt"; then
        cat "$dir/wrk-check-$s.txt" >&2
        bench_die "$s: some answers were not 2xx"
    fi
done

printf '\n%-5s %-8s %10s %8s %10s | %9s %10s | %9s %10s %7s | %5s\n' round server 'req/s' 'p99 ms' 'CPU us/req' \
    'full c/s' 'CPU us/c' 'resum c/s' 'CPU us/c' 'resumed' load1
for ((r = 1; r <= rounds; r++)); do
    for s in "${servers[@]}"; do
        ((available[$s])) || continue
        eval "SRV_MEASURE_PID=\$measure_$s port=\$port_$s"
        # Keep-alive requests.
        out=$dir/wrk-$s-$r.txt
        t0=$(ticks)
        wrk -t1 -c50 -d"$duration" --latency -H "$auth_header" "https://127.0.0.1:$port$STATUS_PATH" >"$out" 2>&1 ||
            { cat "$out" >&2; bench_die "wrk failed ($s)"; }
        t1=$(ticks)
        grep -q 'Non-2xx' "$out" && { cat "$out" >&2; bench_die "$s: non-2xx answers"; }
        read -r reqs p99 < <(bench_wrk_figures "$out")
        total=$(awk '/ requests in / { print $1; exit }' "$out")
        cpu=$(us_per $((t1 - t0)) "$total")
        add reqs "$s" "$reqs"; add p99 "$s" "$p99"; add cpu "$s" "$cpu"
        # New connections: full handshakes, then resumed ones.
        declare -A hs=()
        for mode in full resume; do
            t0=$(ticks)
            line=$("$client" handshakes --port "$port" --sni "$NAME" --mode "$mode" --seconds "$hs_seconds" \
                --auth "$BENCH_API_USER:$BENCH_API_PASS" --path "$STATUS_PATH") ||
                bench_die "$s: handshakes ($mode) failed: $line"
            t1=$(ticks)
            conns=$(sed -n 's/.*connections=\([0-9]*\) .*/\1/p' <<<"$line")
            hs[$mode,rate]=$(sed -n 's/.*conn_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
            hs[$mode,cpu]=$(us_per $((t1 - t0)) "$conns")
            hs[$mode,resumed]=$(sed -n 's/.*resumed=\([0-9]*\).*/\1/p' <<<"$line")
            hs[$mode,errors]=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$line")
            hs[$mode,proto]=$(sed -n 's/.*protocol=\([^ ]*\).*/\1/p' <<<"$line")
            hs[$mode,conns]=$conns
        done
        add full "$s" "${hs[full,rate]}"; add fullcpu "$s" "${hs[full,cpu]}"
        add resume "$s" "${hs[resume,rate]}"; add resumecpu "$s" "${hs[resume,cpu]}"
        resumed_pct=$(awk -v a="${hs[resume,resumed]}" -v n="${hs[resume,conns]}" 'BEGIN { printf "%.0f%%", n ? 100 * a / n : 0 }')
        [[ ${hs[full,resumed]} == 0 ]] || bench_die "$s: a 'full' handshake was resumed"
        F[proto,$s]=${hs[full,proto]}
        printf '%-5s %-8s %10s %8s %10s | %9s %10s | %9s %10s %7s | %5s\n' "$r" "$s" "$reqs" "$p99" "$cpu" \
            "${hs[full,rate]}" "${hs[full,cpu]}" "${hs[resume,rate]}" "${hs[resume,cpu]}" "$resumed_pct" \
            "$(cut -d' ' -f1 /proc/loadavg)"
        [[ ${hs[full,errors]} == 0 && ${hs[resume,errors]} == 0 ]] || bench_log "$s: handshake errors: full ${hs[full,errors]}, resume ${hs[resume,errors]}"
        unset hs
    done
done
for s in "${servers[@]}"; do
    ((available[$s])) || continue
    eval "SRV_PID=\$pid_$s"
    stop_server
done

# --- memory per idle connection -------------------------------------------------------
# idle_rss SERVER MODE: one fresh instance; sets IDLE_BYTES (bytes per connection).
# (Not run in \$(...): the EXIT trap must see the processes it starts.)
idle_rss() {
    local s=$1 mode=$2 before after fifo out cpid i tls=()
    start_server "$s" "$mode" || bench_die "$s ($mode) did not start"
    [[ $mode == tls ]] && tls=(--tls)
    sleep 0.5
    before=$(bench_proc_field "$SRV_MEASURE_PID" VmRSS)
    fifo=$SRV_DIR/idle.in out=$SRV_DIR/idle.out
    mkfifo "$fifo"
    "$client" idle --port "$SRV_PORT" --sni "$NAME" --count "$idle_conns" "${tls[@]}" \
        --auth "$BENCH_API_USER:$BENCH_API_PASS" --path "$STATUS_PATH" <"$fifo" >"$out" 2>&1 &
    cpid=$!
    bench_track "$cpid" TERM
    exec 7>"$fifo"
    for ((i = 0; i < 12000; i++)); do
        grep -q '^READY' "$out" 2>/dev/null && break
        kill -0 "$cpid" 2>/dev/null || break
        sleep 0.01
    done
    if ! grep -q '^READY' "$out"; then
        exec 7>&-
        cat "$out" >&2
        bench_die "$s ($mode): the idle client did not get $idle_conns connections up"
    fi
    sleep 1
    after=$(bench_proc_field "$SRV_MEASURE_PID" VmRSS)
    exec 7>&-
    wait "$cpid" 2>/dev/null || true
    bench_untrack "$cpid"
    stop_server
    IDLE_BYTES=$(awk -v a="$after" -v b="$before" -v n="$idle_conns" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
}

printf '\n%-5s %-8s %14s %14s   (bytes of server VmRSS per idle connection, %s connections)\n' \
    round server plain tls "$idle_conns"
for ((r = 1; r <= idle_rounds; r++)); do
    for s in "${servers[@]}"; do
        ((available[$s])) || continue
        idle_rss "$s" plain
        plain=$IDLE_BYTES
        idle_rss "$s" tls
        tlsb=$IDLE_BYTES
        add idleplain "$s" "$plain"; add idletls "$s" "$tlsb"
        printf '%-5s %-8s %14s %14s\n' "$r" "$s" "$plain" "$tlsb"
    done
done

# --- summary ----------------------------------------------------------------------------
med() {  # METRIC SERVER
    local v=${F[$1,$2]:-}
    if [[ -z ${v// /} ]]; then echo n/a; return; fi
    # shellcheck disable=SC2086
    bench_median $v
}
ratio() {  # A B
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}
printf '\n%s, load average at start %s, at end %s; %s rounds (wrk -d%s, handshakes %s s each)\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$load_at_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$rounds" "$duration" "$hs_seconds"
printf 'protocol: nginx %s, original %s, rportd %s\n' "${F[proto,nginx]:-n/a}" "${F[proto,original]:-n/a}" "${F[proto,rportd]:-n/a}"
printf '| %-36s | %9s | %9s | %9s | %8s | %8s | %8s |\n' 'median' nginx original rportd 'r/nginx' 'r/orig' 'orig/ngx'
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..38})" ----------- ----------- ----------- ---------- ---------- ----------
for m in reqs:'keep-alive req/s' p99:'keep-alive p99 ms' cpu:'CPU us per request' full:'full handshakes conn/s' \
    fullcpu:'CPU us per full handshake conn' resume:'resumed handshakes conn/s' resumecpu:'CPU us per resumed conn' \
    idleplain:'bytes per idle conn, plain' idletls:'bytes per idle conn, TLS'; do
    key=${m%%:*} label=${m#*:}
    n=$(med "$key" nginx) o=$(med "$key" original) d=$(med "$key" rportd)
    printf '| %-36s | %9s | %9s | %9s | %8s | %8s | %8s |\n' "$label" "$n" "$o" "$d" \
        "$(ratio "$d" "$n")" "$(ratio "$d" "$o")" "$(ratio "$o" "$n")"
    bench_record "https_${key}_nginx" "$n"
    bench_record "https_${key}_original" "$o"
    bench_record "https_${key}_rportd" "$d"
done
for n in "${note[@]}"; do printf 'note: %s\n' "$n"; done
