# shellcheck shell=bash
# Helpers shared by the benchmark scripts in tests/bench. Source this file,
# do not execute it. Every process a script starts through these helpers is
# registered and stopped by the EXIT trap, and every scratch directory is
# removed, whether the script succeeds or fails.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/../.." && pwd)
BUILD_DIR=${RPORTD_BENCH_BUILD_DIR:-$REPO_ROOT/build-bench}
RPORTD_BIN=${RPORTD_BIN:-$BUILD_DIR/bin/rportd}
EXAMPLE_CONF=$REPO_ROOT/config/rportd.example.conf

# Credentials of the example config, and the matching Basic auth header.
# (Used by the scripts that source this file.)
# shellcheck disable=SC2034
BENCH_API_USER="admin"
BENCH_API_PASS="foobaz"
# shellcheck disable=SC2034
BENCH_AUTH_HEADER="Authorization: Basic $(printf '%s:%s' "$BENCH_API_USER" "$BENCH_API_PASS" | base64)"

BENCH_QUICK=${BENCH_QUICK:-0}
BENCH_BUILD=${BENCH_BUILD:-1}
# What bench_ensure_build configures and builds. The server benchmarks need
# rportd only; a script that also needs a benchmark program from tests/bench
# sets these before calling it (see credentials.sh).
BENCH_BUILD_TESTS=${BENCH_BUILD_TESTS:-OFF}
BENCH_BUILD_TARGETS=${BENCH_BUILD_TARGETS:-}

# pid -> signal used to stop it; list of scratch directories.
declare -A _bench_pid_signal=()
_bench_dirs=()

bench_log() { printf '[bench] %s\n' "$*" >&2; }
bench_die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# Common command line: --quick shortens the run, --no-build skips the build.
bench_parse_args() {
    local arg
    for arg in "$@"; do
        case $arg in
            --quick) BENCH_QUICK=1 ;;
            --no-build) BENCH_BUILD=0 ;;
            -h|--help)
                printf 'usage: %s [--quick] [--no-build]\n' "$(basename "$0")"
                exit 0 ;;
            *) bench_die "unknown argument: $arg" ;;
        esac
    done
    export BENCH_QUICK BENCH_BUILD
}

# Stop one registered process: send its signal, give it 10 s, then SIGKILL.
bench_stop() {
    local pid=$1 sig=${_bench_pid_signal[$1]:-TERM} i
    unset "_bench_pid_signal[$pid]"
    kill -"$sig" "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for ((i = 0; i < 1000; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    if kill -0 "$pid" 2>/dev/null; then
        bench_log "pid $pid ignored SIG$sig for 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local pid dir
    for pid in "${!_bench_pid_signal[@]}"; do
        bench_stop "$pid"
    done
    for dir in "${_bench_dirs[@]}"; do
        [[ -n $dir && -d $dir ]] && rm -rf -- "$dir"
    done
    return 0
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Register a background child so that the EXIT trap stops it; forget it
# again once it has been reaped.
bench_track() { _bench_pid_signal[$1]=${2:-TERM}; }
bench_untrack() { unset "_bench_pid_signal[$1]"; }

# New scratch directory, removed on exit. Sets BENCH_TMP (no subshell, so the
# registration survives).
bench_mktemp() {
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rportd-bench.XXXXXX")
    _bench_dirs+=("$BENCH_TMP")
}

# Print N distinct TCP ports on 127.0.0.1 that were free a moment ago (all
# sockets are held open together so the ports differ).
bench_free_ports() {
    python3 - "${1:-1}" <<'EOF'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

# Wait until 127.0.0.1:PORT accepts a TCP connection. Fails when PID exits
# first or after TIMEOUT seconds (default 15).
bench_wait_port() {
    local port=$1 pid=$2 timeout=${3:-15} deadline
    deadline=$((SECONDS + timeout))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || bench_die "pid $pid exited before port $port opened"
        ((SECONDS < deadline)) || bench_die "port $port not open after ${timeout}s"
        sleep 0.01
    done
}

# Configure (once) and build the Release tree. Ninja decides what is stale.
# With BENCH_BUILD_TARGETS set only those targets are built, and the tree
# must have been configured with the tests (BENCH_BUILD_TESTS=ON) when one
# of them lives there.
bench_ensure_build() {
    if [[ $BENCH_BUILD != 1 ]]; then
        [[ -x $RPORTD_BIN ]] || bench_die "$RPORTD_BIN missing and --no-build given"
        return 0
    fi
    if [[ ! -f $BUILD_DIR/build.ninja ]]; then
        bench_log "configuring $BUILD_DIR (Release)"
        cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja \
            -DCMAKE_BUILD_TYPE=Release -DRPORTD_BUILD_TESTS="$BENCH_BUILD_TESTS" >&2
    elif [[ $BENCH_BUILD_TESTS == ON ]] &&
        grep -q '^RPORTD_BUILD_TESTS:BOOL=OFF' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
        bench_die "$BUILD_DIR was configured without the tests; use another RPORTD_BENCH_BUILD_DIR"
    fi
    bench_log "building $BUILD_DIR${BENCH_BUILD_TARGETS:+ (targets: $BENCH_BUILD_TARGETS)}"
    local targets=()
    [[ -n $BENCH_BUILD_TARGETS ]] && read -r -a targets <<<"$BENCH_BUILD_TARGETS"
    if ((${#targets[@]})); then
        cmake --build "$BUILD_DIR" --target "${targets[@]}" >&2
    else
        cmake --build "$BUILD_DIR" >&2
    fi
    [[ -x $RPORTD_BIN ]] || bench_die "build did not produce $RPORTD_BIN"
}

bench_require_tools() {
    local tool missing=()
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    ((${#missing[@]} == 0)) ||
        bench_die "missing: ${missing[*]} (run: bash $REPO_ROOT/scripts/install-deps.sh)"
}

# Write DIR/rportd.conf: the example config with its own data dir under DIR
# and the given API and client listener ports, both on 127.0.0.1.
bench_write_config() {
    local dir=$1 api_port=$2 srv_port=$3
    sed -e "s|^\([[:space:]]*data_dir[[:space:]]*=\).*|\1 \"$dir/data\"|" \
        -e "s|^\([[:space:]]*address[[:space:]]*=[[:space:]]*\)\"127\.0\.0\.1:3000\"|\1\"127.0.0.1:$api_port\"|" \
        -e "s|^\([[:space:]]*address[[:space:]]*=[[:space:]]*\)\"127\.0\.0\.1:8080\"|\1\"127.0.0.1:$srv_port\"|" \
        "$EXAMPLE_CONF" >"$dir/rportd.conf"
    if ! grep -q "\"127.0.0.1:$api_port\"" "$dir/rportd.conf" ||
        ! grep -q "\"127.0.0.1:$srv_port\"" "$dir/rportd.conf" ||
        ! grep -q "\"$dir/data\"" "$dir/rportd.conf"; then
        bench_die "could not rewrite $EXAMPLE_CONF (addresses or data_dir changed?)"
    fi
}

# With BENCH_TLS=1 the API serves HTTPS: the example's commented cert_file /
# key_file lines are switched on, pointing at a throwaway ECDSA P-256 pair
# (made once per run in BENCH_TLS_DIR). No-op otherwise.
bench_maybe_tls() {
    local conf=$1
    ((${BENCH_TLS:-0})) || return 0
    if [[ -z ${BENCH_TLS_DIR:-} ]]; then
        BENCH_TLS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rportd-bench-tls.XXXXXX")
        _bench_dirs+=("$BENCH_TLS_DIR")
        bench_make_test_cert "$BENCH_TLS_DIR" rport.test
        chmod 600 "$BENCH_TLS_DIR/server.key"
    fi
    sed -i -e "s|^\([[:space:]]*\)#cert_file = .*|\1cert_file = \"$BENCH_TLS_DIR/fullchain.pem\"|" \
        -e "s|^\([[:space:]]*\)#key_file = .*|\1key_file = \"$BENCH_TLS_DIR/server.key\"|" "$conf"
    grep -q "^[[:space:]]*cert_file = " "$conf" || bench_die "$conf: could not switch HTTPS on"
}

# Replace the example's client credentials ([server] auth = "id:password")
# in CONF by KEY = "VALUE", e.g. auth_file = "/path/clients.json".
bench_set_client_auth() {
    local conf=$1 key=$2 value=$3
    grep -q '^[[:space:]]*auth[[:space:]]*=[[:space:]]*"clientAuth1:1234"' "$conf" ||
        bench_die "$conf: no [server] auth line to replace"
    sed -i "s|^\([[:space:]]*\)auth[[:space:]]*=[[:space:]]*\"clientAuth1:1234\"|\1$key = \"$value\"|" "$conf"
    grep -q "^[[:space:]]*$key = \"$value\"" "$conf" || bench_die "$conf: could not set $key"
}

# Start rportd on DIR/rportd.conf in the background, output to DIR/rportd.log.
# Sets RPORTD_PID.
bench_start_rportd() {
    local dir=$1
    (cd "$dir" && exec "$RPORTD_BIN" -c "$dir/rportd.conf") >"$dir/rportd.log" 2>&1 &
    RPORTD_PID=$!
    bench_track "$RPORTD_PID" TERM
}

# Field of /proc/PID/status in kB (VmRSS, VmHWM, ...), or the raw value.
bench_proc_field() {
    awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status"
}

bench_kb_to_mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# Median of the numbers given as arguments (mean of the middle two if even).
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              if (NR % 2) print v[(NR + 1) / 2]
              else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
bench_min() { printf '%s\n' "$@" | sort -g | head -n1; }
bench_max() { printf '%s\n' "$@" | sort -g | tail -n1; }

# Append KEY=VALUE to $BENCH_RESULTS (when run.sh collects results).
bench_record() {
    [[ -n ${BENCH_RESULTS:-} ]] || return 0
    printf '%s=%s\n' "$1" "$2" >>"$BENCH_RESULTS"
}

# One percentile (50%, 99%, ...) from a saved wrk --latency output, in ms.
bench_wrk_latency_ms() {
    awk -v p="$2" '
        $1 == p && NF == 2 {
            v = $2
            if (v ~ /us$/)      { sub(/us$/, "", v); ms = v / 1000 }
            else if (v ~ /ms$/) { sub(/ms$/, "", v); ms = v }
            else if (v ~ /s$/)  { sub(/s$/, "", v);  ms = v * 1000 }
        }
        END { if (ms == "") exit 1; printf "%.3f\n", ms }
    ' "$1"
}

# Figures from one saved wrk --latency output: "REQS P99_MS".
bench_wrk_figures() {
    awk '
        /^Requests\/sec:/ { reqs = $2 }
        $1 == "99%" {
            v = $2
            if (v ~ /us$/)      { sub(/us$/, "", v); ms = v / 1000 }
            else if (v ~ /ms$/) { sub(/ms$/, "", v); ms = v }
            else if (v ~ /s$/)  { sub(/s$/, "", v);  ms = v * 1000 }
        }
        END { if (reqs == "" || ms == "") exit 1; printf "%.0f %.2f\n", reqs, ms }
    ' "$1"
}

# --- TLS helpers (https.sh, tests/tls) ---------------------------------------

# Throwaway CA plus an ECDSA P-256 server certificate for NAME (SANs: NAME,
# localhost, 127.0.0.1) in DIR: DIR/ca.pem, DIR/server.key, DIR/server.pem
# (leaf, valid 365 days: testssl rates < 30 days HIGH) and DIR/fullchain.pem
# (leaf + CA, what servers are given). Files are
# world-readable so that nginx workers (dropped to another user) can read them.
bench_make_test_cert() {
    local dir=$1 name=${2:-rport.test}
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 400 -subj "/CN=rportd bench test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$dir/openssl.log" ||
        { cat "$dir/openssl.log" >&2; bench_die "openssl: cannot make the test CA"; }
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=$name" 2>>"$dir/openssl.log" ||
        bench_die "openssl: cannot make the server key"
    printf '%s\n' "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
        "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" "subjectKeyIdentifier=hash" \
        "authorityKeyIdentifier=keyid" >"$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 365 -extfile "$dir/server.ext" -out "$dir/server.pem" \
        2>>"$dir/openssl.log" || bench_die "openssl: cannot sign the server certificate"
    cat "$dir/server.pem" "$dir/ca.pem" >"$dir/fullchain.pem"
    chmod a+r "$dir"/*.pem "$dir"/*.key
}

# The Mozilla "intermediate" server profile (TLS 1.2 + 1.3, ECDHE with AEAD
# only, X25519/P-256/P-384), as nginx directives. The client picks the cipher
# (nginx default ssl_prefer_server_ciphers off, as the profile says).
bench_nginx_tls_profile() {
    cat <<'NGINX'
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
NGINX
}

# Start nginx (one worker, daemon off, no access log) in DIR with the given
# server { } blocks as the body of http { }; waits for PORT. Sets NGINX_PID
# (the master; stopped with QUIT by the EXIT trap) and NGINX_WORKER_PID.
bench_start_nginx() {
    local dir=$1 port=$2 servers=$3 i
    mkdir -p "$dir/logs" "$dir/tmp"
    cat >"$dir/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $dir/logs/nginx.pid;
error_log $dir/logs/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_timeout 300;
    keepalive_requests 1000000;
    default_type application/json;
$servers
}
NGINX
    chmod -R a+rX "$dir"
    nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/logs/error.log" >"$dir/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    bench_track "$NGINX_PID" QUIT
    bench_wait_port "$port" "$NGINX_PID"
    NGINX_WORKER_PID=
    for ((i = 0; i < 200; i++)); do
        NGINX_WORKER_PID=$(pgrep -P "$NGINX_PID" | head -n1 || true)
        [[ -n $NGINX_WORKER_PID ]] && break
        sleep 0.01
    done
    [[ -n $NGINX_WORKER_PID ]] || bench_die "nginx started no worker"
}

# CPU time (user + system) in clock ticks used so far by the given processes,
# all their threads included.
bench_cpu_ticks() {
    local p total=0 t
    for p in "$@"; do
        t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
        total=$((total + t))
    done
    echo "$total"
}
