#!/usr/bin/env bash
# auth: what authentication costs on the API, three servers side by side in
# one run, plain HTTP on 127.0.0.1:
#   nginx     a static copy of the status JSON at /api/v1/status (the floor:
#             no authentication at all; it ignores the headers)
#   original  the Go rportd of ../shared/interop (n/a when absent)
#   rportd    ours ($RPORTD_BIN)
# Both rportd use [api] auth_file with one user whose password is a bcrypt
# hash of cost 10, and jwt_secret set. Figures (medians over the rounds):
#   logins     wrk -t1 -c4, GET /api/v1/login with Basic: logins/s (a bcrypt
#              check plus a committed session each; ours remembers a checked
#              password for 5 minutes, so only the first costs a bcrypt)
#   basic      wrk -t1 -c50, GET /api/v1/status with Basic (cache warm): req/s
#              and server CPU us per request
#   bearer     the same with "Authorization: Bearer <token from /login>"
# Servers are measured in turn within each round (nginx, original, rportd).
#
# usage: tests/bench/auth.sh [--quick] [--no-build]
#   RPORTD_BIN, ORIGINAL_RPORTD as in https.sh

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools wrk nginx curl python3 jq
if [[ -z ${ORIGINAL_RPORTD:-} ]]; then
    ORIGINAL_RPORTD=$REPO_ROOT/../shared/interop/bin/rportd
    common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [[ ! -x $ORIGINAL_RPORTD && -n $common && -x $common/../../shared/interop/bin/rportd ]]; then
        ORIGINAL_RPORTD=$(cd "$common/../../shared/interop/bin" && pwd)/rportd
    fi
fi
bench_ensure_build

rounds=3 duration=10s login_duration=10s
((BENCH_QUICK)) && rounds=1 duration=2s login_duration=3s
STATUS_PATH=/api/v1/status
USER_NAME=admin USER_PASS=benchmark-password
clk_tck=$(getconf CLK_TCK)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

bench_mktemp
dir=$BENCH_TMP
hash=$(printf '%s' "$USER_PASS" | "$RPORTD_BIN" --hash-password) || bench_die "rportd --hash-password failed"
[[ $hash == '$2y$10$'* ]] || bench_die "expected a cost-10 \$2y\$ hash, got $hash"
printf '[{"username":"%s","password":"%s","groups":["Administrators"]}]\n' "$USER_NAME" "$hash" >"$dir/users.json"
basic_header="Authorization: Basic $(printf '%s:%s' "$USER_NAME" "$USER_PASS" | base64 -w0)"

write_config() {  # DIR API_PORT SRV_PORT KIND
    local d=$1 api=$2 srv=$3 kind=$4
    {
        printf '[server]\n  address = "127.0.0.1:%s"\n  auth = "clientAuth1:1234"\n' "$srv"
        printf '  data_dir = "%s/data"\n' "$d"
        [[ $kind == original ]] && printf '  allow_root = true\n'
        printf '[logging]\n  log_file = "%s/server.log"\n  log_level = "error"\n' "$d"
        printf '[api]\n  address = "127.0.0.1:%s"\n  auth_file = "%s"\n' "$api" "$dir/users.json"
        printf '  jwt_secret = "a benchmark secret"\n  user_login_wait = 0\n'
    } >"$d/rportd.conf"
    mkdir -p "$d/data"
}

instance=0
start_server() {  # NAME: sets SRV_PID, SRV_PORT, SRV_DIR; 1 when it cannot run
    local name=$1 d port srv pid bin
    instance=$((instance + 1))
    d=$dir/$name-$instance
    mkdir -p "$d"
    SRV_DIR=$d
    read -r port srv < <(bench_free_ports 2)
    SRV_PORT=$port
    if [[ $name == nginx ]]; then
        mkdir -p "$d/html${STATUS_PATH%/*}"
        cp "$dir/status.json" "$d/html$STATUS_PATH"
        # Any path answers the same file: /api/v1/login too.
        cp "$dir/status.json" "$d/html/api/v1/login"
        # nginx workers drop to another user when the master runs as root.
        chmod a+rx "$dir"
        chmod -R a+rX "$d"
        bench_start_nginx "$d" "$port" "    server { listen 127.0.0.1:$port; root $d/html; default_type application/json; }"
        SRV_PID=$NGINX_WORKER_PID
        return 0
    fi
    bin=$RPORTD_BIN
    [[ $name == original ]] && bin=$ORIGINAL_RPORTD
    [[ -x $bin ]] || return 1
    write_config "$d" "$port" "$srv" "$name"
    (cd "$d" && exec "$bin" -c "$d/rportd.conf") >"$d/stdout.log" 2>&1 &
    pid=$!
    bench_track "$pid" TERM
    bench_wait_port "$port" "$pid"
    SRV_PID=$pid
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H "$basic_header" "http://127.0.0.1:$port$STATUS_PATH")
    [[ $code == 200 ]] || bench_die "$name answered $code to Basic auth on $STATUS_PATH"
}

stop_server() {
    if [[ $1 == nginx ]]; then bench_stop "$NGINX_PID"; else bench_stop "$SRV_PID"; fi
}

# wrk with one header; prints "REQS CPU_US_PER_REQUEST", dies on non-2xx.
measure() {  # NAME URL SECONDS CONNECTIONS HEADER
    local name=$1 url=$2 seconds=$3 conns=$4 header=$5 out before after reqs
    out=$dir/wrk-$name-$instance-$RANDOM.txt
    before=$(bench_cpu_ticks "$SRV_PID")
    wrk -t1 -c"$conns" -d"$seconds" --latency -H "$header" "$url" >"$out" 2>&1 || bench_die "wrk failed: $(cat "$out")"
    after=$(bench_cpu_ticks "$SRV_PID")
    if grep -q 'Non-2xx' "$out"; then
        cat "$out" >&2
        bench_die "$name: some answers were not 2xx"
    fi
    reqs=$(awk '/ requests in / { print $1 }' "$out")
    awk -v r="$(bench_wrk_figures "$out" | cut -d' ' -f1)" -v t=$((after - before)) -v hz="$clk_tck" -v n="$reqs" \
        'BEGIN { printf "%s %.1f\n", r, (n > 0 ? t / hz * 1e6 / n : 0) }'
}

# The body nginx serves: what our rportd answers to the status request.
read -r p s < <(bench_free_ports 2)
mkdir -p "$dir/probe"
write_config "$dir/probe" "$p" "$s" rportd
(cd "$dir/probe" && exec "$RPORTD_BIN" -c "$dir/probe/rportd.conf") >"$dir/probe/stdout.log" 2>&1 &
probe=$!
bench_track "$probe" TERM
bench_wait_port "$p" "$probe"
curl -sS -H "$basic_header" -o "$dir/status.json" "http://127.0.0.1:$p$STATUS_PATH"
bench_stop "$probe"

declare -A F
servers=(nginx original rportd)
for ((round = 1; round <= rounds; round++)); do
    for name in "${servers[@]}"; do
        if ! start_server "$name"; then
            bench_log "round $round: $name cannot run here (n/a)"
            continue
        fi
        base=http://127.0.0.1:$SRV_PORT
        read -r r c < <(measure "$name-login" "$base/api/v1/login" "$login_duration" 4 "$basic_header")
        F[login,$name]+="$r " F[login_cpu,$name]+="$c "
        # Warm: the first Basic request of ours paid the bcrypt already.
        read -r r c < <(measure "$name-basic" "$base$STATUS_PATH" "$duration" 50 "$basic_header")
        F[basic,$name]+="$r " F[basic_cpu,$name]+="$c "
        token=x
        if [[ $name != nginx ]]; then
            token=$(curl -sS -H "$basic_header" "$base/api/v1/login?token-lifetime=3600" | jq -r .data.token)
            [[ $token == *.*.* ]] || bench_die "$name: no token from /login"
        fi
        read -r r c < <(measure "$name-bearer" "$base$STATUS_PATH" "$duration" 50 "Authorization: Bearer $token")
        F[bearer,$name]+="$r " F[bearer_cpu,$name]+="$c "
        stop_server "$name"
    done
done

med() {  # KEY NAME
    local v=${F[$1,$2]:-}
    [[ -n $v ]] || { echo n/a; return; }
    # shellcheck disable=SC2086
    bench_median $v
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

printf 'auth: %s round(s), load average at start %s, at end %s\n' "$rounds" "$load_at_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-28s | %9s | %9s | %9s | %9s |\n' median nginx original rportd 'r/orig'
for key in login login_cpu basic basic_cpu bearer bearer_cpu; do
    n=$(med "$key" nginx) o=$(med "$key" original) d=$(med "$key" rportd)
    if [[ $key == *_cpu ]]; then
        printf '| %-28s | %9s | %9s | %9s | %9s |\n' "$key (us/request)" "$n" "$o" "$d" "$(ratio "$o" "$d")"
    else
        printf '| %-28s | %9s | %9s | %9s | %9s |\n' "$key (req/s)" "$n" "$o" "$d" "$(ratio "$d" "$o")"
    fi
    bench_record "auth_${key}_rportd" "$d"
    bench_record "auth_${key}_original" "$o"
done
printf 'rportd Basic / Bearer (req/s): %s (target >= 0.9)\n' "$(ratio "$(med basic rportd)" "$(med bearer rportd)")"
