#!/usr/bin/env bash
# acme: time from start to the first valid certificate, five ACME clients side
# by side against ONE pebble (the ACME test CA) on loopback, each run with a
# fresh account, a fresh name (c<i>.<client>.rport.test) and fresh state:
#   certbot   certonly --standalone on 127.0.0.1:P (HTTP-01), REQUESTS_CA_BUNDLE
#             = the minica; time = the command
#   lego      --http --http.port 127.0.0.1:P --key-type ec256 run,
#             LEGO_CA_CERTIFICATES = the minica; time = the command
#   uacme     new + issue (-t EC), hook /usr/share/uacme/uacme.sh writing into a
#             directory that `python3 -m http.server P` (started before, not
#             timed) serves. uacme's libcurl-gnutls reads only the system
#             store: the minica is added to it for this column
#             (/usr/local/share/ca-certificates + update-ca-certificates) and
#             removed afterwards (rm + update-ca-certificates --fresh), also
#             by the EXIT trap; time = new + issue
#   rportd    ours ($RPORTD_BIN): [api] enable_acme with base_url
#             https://<name>:T and [acme] directory_url/ca_bundle/challenges =
#             ["http-01"], challenge listener [server] acme_http_port = P on
#             127.0.0.1; time = from fork/exec of rportd until a TLS handshake
#             with SNI <name> on 127.0.0.1:T verifies against pebble's root
#             (tried every 20 ms); rportd's CPU time (utime+stime) and VmHWM at
#             that moment. "n/a (reason)" when it exits or has no valid
#             certificate within ACME_TIMEOUT
#   original  the Go rportd of ../shared/interop (golang.org/x/crypto/acme/
#             autocert, Let's Encrypt's production directory URL compiled in,
#             certificate issued during the first handshake for the name). For
#             this column only, /etc/hosts gets "127.0.0.1
#             acme-v02.api.letsencrypt.org" and nginx on 127.0.0.1:443
#             (certificate from a throwaway CA) proxies /directory to pebble's
#             /dir and everything else to pebble; the original runs with
#             SSL_CERT_FILE = throwaway CA + minica. Nothing leaves the
#             machine: pebble's directory names https://127.0.0.1:<port>/
#             URLs. /etc/hosts is restored (also by the EXIT trap) and checked
#             to be byte-identical. autocert prefers TLS-ALPN-01, answered on
#             the API listener 127.0.0.1:T, so the original gets no
#             acme_http_port (its HTTP-01 listener would bind every address).
#             Same timing as ours.
# pebble: PEBBLE_VA_NOSLEEP=1, PEBBLE_AUTHZREUSE=0, nonce rejection at its
# default (5 % of nonces are refused: every client must retry badNonce), no
# PEBBLE_VA_ALWAYS_VALID (pebble really fetches the HTTP-01 token / does the
# TLS-ALPN-01 handshake); names resolved by pebble-challtestsrv (DNS only, its
# challenge servers off): every name is 127.0.0.1. pebble's httpPort P and
# tlsPort T are two fixed free loopback ports that each client binds in turn.
# Columns run one after the other (certbot, lego, uacme, rportd, original);
# every issued certificate is checked (chain to pebble's root, name) outside
# the timing. Nothing is built: RPORTD_BIN must exist.
#
# usage: tests/bench/acme.sh [--quick]        (--no-build is accepted, nothing is built)
# environment:
#   ACME_REPS        repetitions per client (5; --quick: 2)
#   ACME_CLIENTS     columns to run ("certbot lego uacme rportd original")
#   ACME_TIMEOUT     seconds rportd and the original get per run (60)
#   RPORTD_BIN       our rportd (default build-bench/bin/rportd, see lib.sh),
#                    e.g. RPORTD_BIN=/work/main/build/bin/rportd
#   ORIGINAL_RPORTD  the original Go rportd (default ../shared/interop/bin/rportd)
#   ORIGINAL_LOG_LEVEL  log_level of the original (info; debug to investigate)
#   ACME_KEEP        a directory: the scratch dir (logs, configs, pebble's log)
#                    is copied there at exit

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_parse_args "$@"
bench_require_tools pebble pebble-challtestsrv openssl curl python3 awk
export LC_NUMERIC=C  # $EPOCHREALTIME and awk with a decimal point

if [[ -z ${ORIGINAL_RPORTD:-} ]]; then
    ORIGINAL_RPORTD=$REPO_ROOT/../shared/interop/bin/rportd
    common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [[ ! -x $ORIGINAL_RPORTD && -n $common && -x $common/../../shared/interop/bin/rportd ]]; then
        ORIGINAL_RPORTD=$(cd "$common/../../shared/interop/bin" && pwd)/rportd
    fi
fi

reps=${ACME_REPS:-5}
((BENCH_QUICK)) && reps=${ACME_REPS:-2}
read -r -a clients <<<"${ACME_CLIENTS:-certbot lego uacme rportd original}"
timeout=${ACME_TIMEOUT:-60}
orig_log_level=${ORIGINAL_LOG_LEVEL:-info}
clk_tck=$(getconf CLK_TCK)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
LE_HOST=acme-v02.api.letsencrypt.org
UACME_HOOK=/usr/share/uacme/uacme.sh
HOSTS=/etc/hosts
CA_STORE_DIR=/usr/local/share/ca-certificates
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

bench_mktemp
dir=$BENCH_TMP
chmod a+rx "$dir"  # nginx workers run as another user

# --- changes to the system, undone by the EXIT trap as well ----------------------

hosts_backup=$dir/hosts.orig
hosts_modified=0
ca_store_file=
ca_bundle_sum=

restore_hosts() {
    ((hosts_modified)) || return 0
    # Rewrite in place (not mv): /etc/hosts may be a bind mount.
    if cat "$hosts_backup" >"$HOSTS"; then
        hosts_modified=0
    else
        # The scratch dir goes away: keep the copy somewhere else.
        cp -p "$hosts_backup" "${TMPDIR:-/tmp}/rportd-bench-hosts.orig.$$"
        bench_log "could not restore $HOSTS; its original is ${TMPDIR:-/tmp}/rportd-bench-hosts.orig.$$"
        return 1
    fi
}

remove_minica_from_store() {
    [[ -n $ca_store_file ]] || return 0
    rm -f -- "$ca_store_file"
    ca_store_file=
    if ! update-ca-certificates --fresh >>"$dir/update-ca-certificates.log" 2>&1; then
        tail -n 5 "$dir/update-ca-certificates.log" >&2
        bench_log "update-ca-certificates --fresh failed: run it by hand"
    fi
}

acme_cleanup() {
    restore_hosts || true
    remove_minica_from_store
    if [[ -n ${ACME_KEEP:-} ]]; then
        mkdir -p "$ACME_KEEP" && cp -a "$dir/." "$ACME_KEEP/" && bench_log "scratch dir copied to $ACME_KEEP"
    fi
    bench_cleanup
}
trap acme_cleanup EXIT

# --- small helpers -----------------------------------------------------------------

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# last_line FILE: its last line that mentions an error, else its last
# non-empty line, shortened (a reason for "n/a").
last_line() {
    [[ -f $1 ]] || { echo "no output"; return 0; }
    awk 'NF { l = $0 } tolower($0) ~ /error/ { e = $0 } END { print (e != "" ? e : l) }' "$1" | cut -c1-300
}

# check_cert FULLCHAIN NAME: the first certificate is for NAME and chains to
# pebble's root through the rest of the file. Prints the reason when not.
check_cert() {
    local chain=$1 name=$2 leaf
    [[ -s $chain ]] || { echo "no certificate at $chain"; return 1; }
    leaf=$chain.leaf.pem
    openssl x509 -in "$chain" -out "$leaf" 2>/dev/null || { echo "$chain is not a certificate"; return 1; }
    openssl x509 -in "$leaf" -noout -checkhost "$name" 2>/dev/null | grep -q 'does match' ||
        { echo "certificate is not for $name"; return 1; }
    openssl verify -CAfile "$PEBBLE_ROOT" -untrusted "$chain" "$leaf" >/dev/null 2>&1 ||
        { echo "certificate does not chain to pebble's root"; return 1; }
}

# Figures per client: space-separated lists; NA = reason when no run worked.
declare -A TIMES=() CPU=() HWM=() NA=() FAILS=()
record_ok() {  # CLIENT SECONDS [CPU_S HWM_KB]
    TIMES[$1]+="$2 "
    [[ -n ${3:-} ]] && CPU[$1]+="$3 "
    [[ -n ${4:-} ]] && HWM[$1]+="$4 "
    return 0
}
record_fail() {  # CLIENT REASON
    FAILS[$1]=$((${FAILS[$1]:-0} + 1))
    [[ -n ${NA[$1]:-} ]] || NA[$1]=$2
    bench_log "$1: failed: $2"
}

# --- pebble ------------------------------------------------------------------------

pb=$dir/pebble
mkdir -p "$pb"
MINICA=$pb/minica.pem
PEBBLE_ROOT=$pb/root.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pb/minica.key" \
    -out "$MINICA" -days 30 -subj "/CN=rportd bench pebble minica" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>"$pb/openssl.log" || bench_die "openssl: cannot make the minica"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pb/pebble.key" \
    -out "$pb/pebble.csr" -subj "/CN=localhost" 2>>"$pb/openssl.log" ||
    bench_die "openssl: cannot make pebble's key"
printf '%s\n' "subjectAltName=DNS:localhost,DNS:pebble,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$pb/pebble.ext"
openssl x509 -req -in "$pb/pebble.csr" -CA "$MINICA" -CAkey "$pb/minica.key" -CAcreateserial \
    -out "$pb/pebble.pem" -days 30 -extfile "$pb/pebble.ext" 2>>"$pb/openssl.log" ||
    bench_die "openssl: cannot sign pebble's certificate"

read -r ACME_PORT MGMT_PORT DNS_PORT DNS_MGMT_PORT HTTP_PORT TLS_PORT < <(bench_free_ports 6)
DIRECTORY=https://127.0.0.1:$ACME_PORT/dir

# DNS only: the challenge servers it would open on every interface are off.
pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$DNS_PORT" \
    -http01 "" -https01 "" -tlsalpn01 "" -management "127.0.0.1:$DNS_MGMT_PORT" \
    >"$pb/challtestsrv.log" 2>&1 &
challtestsrv_pid=$!
bench_track "$challtestsrv_pid"
bench_wait_port "$DNS_MGMT_PORT" "$challtestsrv_pid"
bench_wait_port "$DNS_PORT" "$challtestsrv_pid"

cat >"$pb/pebble-config.json" <<JSON
{ "pebble": { "listenAddress": "127.0.0.1:$ACME_PORT", "managementListenAddress": "127.0.0.1:$MGMT_PORT",
  "certificate": "$pb/pebble.pem", "privateKey": "$pb/pebble.key",
  "httpPort": $HTTP_PORT, "tlsPort": $TLS_PORT, "ocspResponderURL": "", "externalAccountBindingRequired": false } }
JSON
(
    unset PEBBLE_WFE_NONCEREJECT PEBBLE_VA_ALWAYS_VALID
    PEBBLE_VA_NOSLEEP=1 PEBBLE_AUTHZREUSE=0 exec pebble -config "$pb/pebble-config.json" \
        -dnsserver "127.0.0.1:$DNS_PORT"
) >"$pb/pebble.log" 2>&1 &
pebble_pid=$!
bench_track "$pebble_pid"
deadline=$((SECONDS + 15))
until curl -sf -m 2 --cacert "$MINICA" "$DIRECTORY" 2>/dev/null | grep -q newAccount; do
    kill -0 "$pebble_pid" 2>/dev/null || { cat "$pb/pebble.log" >&2; bench_die "pebble exited"; }
    ((SECONDS < deadline)) || { cat "$pb/pebble.log" >&2; bench_die "pebble did not answer on $DIRECTORY"; }
    sleep 0.05
done
curl -sf -m 5 --cacert "$MINICA" "https://127.0.0.1:$MGMT_PORT/roots/0" >"$PEBBLE_ROOT" ||
    bench_die "cannot fetch pebble's root"
grep -q 'BEGIN CERTIFICATE' "$PEBBLE_ROOT" || bench_die "pebble's /roots/0 is not a certificate"
bench_log "pebble on $DIRECTORY (HTTP-01 port $HTTP_PORT, TLS-ALPN-01 port $TLS_PORT)"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- the handshake probe (rportd and the original) -----------------------------

cat >"$dir/probe.py" <<'PY'
"""probe.py PORT NAME CAFILE PID T0 TIMEOUT: TLS handshakes with SNI NAME on
127.0.0.1:PORT every 20 ms until one verifies against CAFILE (hostname
included). Prints "ok SECONDS_SINCE_T0 CPU_TICKS VMHWM_KB" (CPU and VmHWM of
PID at that moment), or "fail REASON" when PID exits or TIMEOUT s after T0
(a Unix time, as bash's $EPOCHREALTIME) pass first."""
import socket, ssl, sys, time

port, name, cafile, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
t0, timeout = float(sys.argv[5]), float(sys.argv[6])
ctx = ssl.create_default_context(cafile=cafile)
deadline = t0 + timeout

def stat():
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields  # fields[0] = state, [11] = utime, [12] = stime

def hwm():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return line.split()[1]
    return "0"

last = "nothing listens"
while True:
    now = time.time()
    st = stat()
    if st is None or st[0] in "ZX":
        print(f"fail exited before a valid certificate ({last})")
        sys.exit(1)
    if now > deadline:
        print(f"fail no valid certificate after {timeout:g} s ({last})")
        sys.exit(1)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=max(0.5, deadline - now)) as s:
            with ctx.wrap_socket(s, server_hostname=name):
                t1 = time.time()
                st = stat()
                print(f"ok {t1 - t0:.3f} {int(st[11]) + int(st[12])} {hwm()}")
                sys.exit(0)
    except ssl.SSLCertVerificationError as e:
        last = f"certificate not valid: {e.verify_message}"
    except (OSError, ValueError) as e:
        last = str(e) or type(e).__name__
    time.sleep(0.02)
PY

# probe_server NAME PID T0 LOG: runs the probe, records the result for
# column $client. Returns 1 on failure.
probe_server() {
    local name=$1 pid=$2 t0=$3 log=$4 out status ticks hwm secs probe
    # In the background and waited for, so that a signal to this script is
    # acted upon at once (bash runs traps only after a foreground child ends).
    python3 "$dir/probe.py" "$TLS_PORT" "$name" "$PEBBLE_ROOT" "$pid" "$t0" "$timeout" \
        >"$dir/probe.out" &
    probe=$!
    bench_track "$probe"
    wait "$probe" || true
    bench_untrack "$probe"
    out=$(<"$dir/probe.out")
    read -r status secs ticks hwm <<<"$out"
    if [[ $status != ok ]]; then
        record_fail "$client" "${out#fail }; log: $(last_line "$log")"
        return 1
    fi
    record_ok "$client" "$secs" "$(awk -v t="$ticks" -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')" "$hwm"
    bench_log "$client run $i: $secs s, CPU $ticks ticks, VmHWM $hwm kB"
}

# --- the clients -------------------------------------------------------------------

run_certbot() {  # I NAME DIR
    local name=$2 d=$3 t0 t1
    local rc=0
    t0=$EPOCHREALTIME
    REQUESTS_CA_BUNDLE=$MINICA certbot certonly --non-interactive --agree-tos \
        --register-unsafely-without-email --server "$DIRECTORY" --standalone \
        --http-01-port "$HTTP_PORT" --http-01-address 127.0.0.1 \
        --config-dir "$d/config" --work-dir "$d/work" --logs-dir "$d/logs" -d "$name" \
        >"$d/out.log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    ((rc == 0)) || { record_fail certbot "exit status $rc: $(last_line "$d/out.log")"; return 0; }
    check_one certbot "$d/config/live/$name/fullchain.pem" "$name" "$(elapsed "$t0" "$t1")"
}

run_lego() {
    local name=$2 d=$3 t0 t1
    local rc=0
    t0=$EPOCHREALTIME
    LEGO_CA_CERTIFICATES=$MINICA lego --accept-tos --email "bench@rport.test" \
        --server "$DIRECTORY" --path "$d/lego" --http --http.port "127.0.0.1:$HTTP_PORT" \
        --key-type ec256 --domains "$name" run >"$d/out.log" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    ((rc == 0)) || { record_fail lego "exit status $rc: $(last_line "$d/out.log")"; return 0; }
    check_one lego "$d/lego/certificates/$name.crt" "$name" "$(elapsed "$t0" "$t1")"
}

run_uacme() {
    local name=$2 d=$3 t0 t1
    local rc=0 step=new
    mkdir -p "$d/conf"
    t0=$EPOCHREALTIME
    uacme -v -y -a "$DIRECTORY" -c "$d/conf" -t EC new >"$d/out.log" 2>&1 || rc=$?
    if ((rc == 0)); then
        step=issue
        UACME_CHALLENGE_PATH=$uacme_www/.well-known/acme-challenge uacme -v -y -a "$DIRECTORY" \
            -c "$d/conf" -h "$UACME_HOOK" -t EC issue "$name" >>"$d/out.log" 2>&1 || rc=$?
    fi
    t1=$EPOCHREALTIME
    ((rc == 0)) || { record_fail uacme "$step: exit status $rc: $(last_line "$d/out.log")"; return 0; }
    check_one uacme "$d/conf/$name/cert.pem" "$name" "$(elapsed "$t0" "$t1")"
}

check_one() {  # CLIENT FULLCHAIN NAME SECONDS
    local why
    if why=$(check_cert "$2" "$3"); then
        record_ok "$1" "$4"
        bench_log "$1 run $i: $4 s"
    else
        record_fail "$1" "$why"
    fi
}

run_rportd() {
    local name=$2 d=$3 t0 pid
    mkdir -p "$d/data"
    cat >"$d/rportd.conf" <<CONF
[server]
  address = "127.0.0.1:0"
  auth = "clientAuth1:1234"
  data_dir = "$d/data"
  acme_http_port = $HTTP_PORT
  acme_http_host = "127.0.0.1"
[api]
  address = "127.0.0.1:$TLS_PORT"
  auth = "$BENCH_API_USER:$BENCH_API_PASS"
  base_url = "https://$name:$TLS_PORT"
  enable_acme = true
[acme]
  directory_url = "$DIRECTORY"
  ca_bundle = "$MINICA"
  challenges = ["http-01"]
[logging]
  log_level = "info"
CONF
    t0=$EPOCHREALTIME
    (cd "$d" && exec "$RPORTD_BIN" -c "$d/rportd.conf") >"$d/rportd.log" 2>&1 &
    pid=$!
    bench_track "$pid"
    probe_server "$name" "$pid" "$t0" "$d/rportd.log" || true
    bench_stop "$pid"
}

run_original() {
    local name=$2 d=$3 t0 pid
    mkdir -p "$d/data"
    cat >"$d/rportd.conf" <<CONF
[server]
  address = "127.0.0.1:0"
  auth = "clientAuth1:1234"
  data_dir = "$d/data"
  allow_root = true
[api]
  address = "127.0.0.1:$TLS_PORT"
  auth = "$BENCH_API_USER:$BENCH_API_PASS"
  base_url = "https://$name:$TLS_PORT"
  enable_acme = true
  user_login_wait = 0
[logging]
  log_file = "$d/rportd.log"
  log_level = "$orig_log_level"
CONF
    t0=$EPOCHREALTIME
    (cd "$d" && SSL_CERT_FILE=$orig_bundle exec "$ORIGINAL_RPORTD" -c "$d/rportd.conf") \
        >"$d/stdout.log" 2>&1 &
    pid=$!
    bench_track "$pid"
    probe_server "$name" "$pid" "$t0" "$d/rportd.log" || true
    bench_stop "$pid"
}

# --- per-column set-up and tear-down ---------------------------------------------
# setup_<client> returns 0, or sets $why (the reason the column is n/a) and
# returns 1. They run in this shell: what they start is tracked by the trap.
na() { why=$1; return 1; }

setup_certbot() { command -v certbot >/dev/null || { na "certbot not installed"; return; }; }
setup_lego() { command -v lego >/dev/null || { na "lego not installed"; return; }; }
teardown_certbot() { :; }
teardown_lego() { :; }

uacme_www=$dir/uacme-www
uacme_http_pid=
setup_uacme() {
    command -v uacme >/dev/null || { na "uacme not installed"; return; }
    [[ -x $UACME_HOOK ]] || { na "$UACME_HOOK missing"; return; }
    command -v update-ca-certificates >/dev/null || { na "update-ca-certificates missing"; return; }
    [[ -w $CA_STORE_DIR ]] || { na "$CA_STORE_DIR not writable"; return; }
    mkdir -p "$uacme_www/.well-known/acme-challenge"
    ca_bundle_sum=$(sha256sum "$CA_BUNDLE" 2>/dev/null | cut -d' ' -f1)
    ca_store_file=$CA_STORE_DIR/rportd-bench-pebble-minica-$$.crt
    cp "$MINICA" "$ca_store_file"
    update-ca-certificates >>"$dir/update-ca-certificates.log" 2>&1 ||
        { na "update-ca-certificates failed"; return; }
    python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$uacme_www" \
        >"$dir/uacme-http.log" 2>&1 &
    uacme_http_pid=$!
    bench_track "$uacme_http_pid"
    bench_wait_port "$HTTP_PORT" "$uacme_http_pid"
}
teardown_uacme() {
    [[ -n $uacme_http_pid ]] && bench_stop "$uacme_http_pid"
    uacme_http_pid=
    remove_minica_from_store
    if [[ -n $ca_bundle_sum && $(sha256sum "$CA_BUNDLE" | cut -d' ' -f1) != "$ca_bundle_sum" ]]; then
        notes+=("$CA_BUNDLE differs from before the uacme column (update-ca-certificates --fresh rebuilt it)")
    fi
}

setup_rportd() {
    [[ -x $RPORTD_BIN ]] || { na "no rportd at $RPORTD_BIN (set RPORTD_BIN)"; return; }
}
teardown_rportd() { :; }

orig_bundle=$dir/original-ca-bundle.pem
le=$dir/le-proxy
setup_original() {
    local answer
    [[ -x $ORIGINAL_RPORTD ]] || { na "original not found at $ORIGINAL_RPORTD"; return; }
    command -v nginx >/dev/null || { na "nginx not installed"; return; }
    port_free 443 || { na "127.0.0.1:443 is taken"; return; }
    [[ -w $HOSTS ]] || { na "$HOSTS not writable"; return; }
    if grep -qiwF "$LE_HOST" "$HOSTS"; then na "$HOSTS already names $LE_HOST"; return; fi
    bench_make_test_cert "$le" "$LE_HOST"
    cat "$le/ca.pem" "$MINICA" >"$orig_bundle"
    bench_start_nginx "$le" 443 "
    server {
        listen 127.0.0.1:443 ssl;
        server_name $LE_HOST;
        ssl_certificate $le/fullchain.pem;
        ssl_certificate_key $le/server.key;
        proxy_ssl_verify off;
        location = /directory { proxy_pass https://127.0.0.1:$ACME_PORT/dir; }
        location / { proxy_pass https://127.0.0.1:$ACME_PORT; }
    }"
    answer=$(curl -sS -m 5 --resolve "$LE_HOST:443:127.0.0.1" --cacert "$le/ca.pem" \
        "https://$LE_HOST/directory" 2>&1) || true
    [[ $answer == *newAccount*"https://127.0.0.1:$ACME_PORT/"* ]] ||
        { na "nginx does not proxy /directory to pebble: ${answer:0:200}"; return; }
    cp -p "$HOSTS" "$hosts_backup"
    hosts_modified=1
    printf '127.0.0.1 %s\n' "$LE_HOST" >>"$HOSTS"
    # Both the system resolver and the file Go reads must send the name here.
    [[ $(getent ahostsv4 "$LE_HOST" | awk 'NR == 1 { print $1 }') == 127.0.0.1 ]] ||
        { na "$LE_HOST does not resolve to 127.0.0.1 after editing $HOSTS"; return; }
    answer=$(curl -sS -m 5 --cacert "$le/ca.pem" "https://$LE_HOST/directory" 2>&1) || true
    [[ $answer == *newAccount* ]] ||
        { na "https://$LE_HOST/directory does not reach pebble: ${answer:0:200}"; return; }
}
teardown_original() {
    [[ -n ${NGINX_PID:-} ]] && bench_stop "$NGINX_PID"
    NGINX_PID=
    ((hosts_modified)) || return 0
    restore_hosts || bench_die "could not restore $HOSTS from $hosts_backup"
    if cmp -s "$hosts_backup" "$HOSTS"; then
        hosts_checked="byte-identical to before"
    else
        hosts_checked="DIFFERS from before"
        bench_log "$HOSTS differs from its copy $hosts_backup"
    fi
}

# --- the run -----------------------------------------------------------------------

notes=()
hosts_checked=
for client in "${clients[@]}"; do
    case $client in certbot | lego | uacme | rportd | original) ;; *) bench_die "unknown client $client" ;; esac
    bench_log "== $client: $reps run(s)"
    why=
    if ! "setup_$client"; then
        NA[$client]=$why
        bench_log "$client: n/a ($why)"
        "teardown_$client"
        continue
    fi
    port_free "$TLS_PORT" || bench_die "127.0.0.1:$TLS_PORT (pebble's tlsPort) is taken"
    for ((i = 1; i <= reps; i++)); do
        [[ $client == uacme ]] || port_free "$HTTP_PORT" ||
            bench_die "127.0.0.1:$HTTP_PORT (pebble's httpPort) is taken before $client run $i"
        name=c$i.$client.rport.test
        rundir=$dir/$client-$i
        mkdir -p "$rundir"
        "run_$client" "$i" "$name" "$rundir"
        # A server that cannot get its first certificate will not get the
        # next one either: do not wait ACME_TIMEOUT for each repetition.
        if [[ $client == rportd || $client == original ]] && [[ -z ${TIMES[$client]:-} ]]; then
            bench_log "$client: no certificate in run $i, skipping its other runs"
            break
        fi
    done
    "teardown_$client"
done
[[ -z $hosts_checked ]] || notes+=("$HOSTS after the original's column: $hosts_checked")

# --- the table -----------------------------------------------------------------------

stat_of() {  # FUNC LIST -> value or n/a
    local -a values
    read -r -a values <<<"$2"
    if ((${#values[@]})); then "$1" "${values[@]}"; else echo n/a; fi
}
fmt() { if [[ $1 == n/a ]]; then echo n/a; else awk -v v="$1" 'BEGIN { printf "%.2f", v }'; fi; }
ratio() {  # A B -> A/B
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}
pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null | cut -d- -f1 || true; }
label() {
    case $1 in
        certbot) echo "certbot $(pkgver certbot), standalone HTTP-01" ;;
        lego) echo "lego $(pkgver lego), HTTP-01" ;;
        uacme) echo "uacme $(pkgver uacme), new + issue, HTTP-01" ;;
        rportd) echo "rportd (ours), HTTP-01" ;;
        original) echo "original rportd (autocert), TLS-ALPN-01" ;;
    esac
}
row() { printf '| %-42s | %8s | %8s | %8s | %-12s | %-14s |\n' "$@"; }

declare -A MED=()
for client in "${clients[@]}"; do MED[$client]=$(stat_of bench_median "${TIMES[$client]:-}"); done
ours=${MED[rportd]:-n/a}

printf '\n== acme: start to first valid certificate, %s run(s) per client%s ==\n' "$reps" \
    "$( ((BENCH_QUICK)) && echo ' (quick run: not representative)')"
printf 'date: %s, %s cores, load average %s at start, %s at end; pebble %s\n' \
    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$load_at_start" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"
row client 'median s' 'min s' 'max s' 'rportd / it' 'runs ok'
row '---' '---:' '---:' '---:' '---:' '---'
for client in "${clients[@]}"; do
    list=${TIMES[$client]:-}
    read -r -a values <<<"$list"
    ok=${#values[@]}
    tried=$((ok + ${FAILS[$client]:-0}))
    if ((ok == 0)); then
        why=${NA[$client]:-not run}
        ((${#why} <= 60)) || why="${why:0:57}..."
        row "$(label "$client")" "n/a" '' '' '' "n/a ($why)"
        notes+=("$client: n/a: ${NA[$client]:-not run}")
        continue
    fi
    r=''
    [[ $client != rportd ]] && r=$(ratio "$ours" "${MED[$client]}")
    row "$(label "$client")" "$(fmt "${MED[$client]}")" "$(fmt "$(bench_min "${values[@]}")")" \
        "$(fmt "$(bench_max "${values[@]}")")" "$r" "$ok of $tried"
    ((ok < tried)) && notes+=("$client: $((tried - ok)) run(s) failed, first: ${NA[$client]}")
done
for client in rportd original; do
    [[ " ${clients[*]} " == *" $client "* && -n ${TIMES[$client]:-} ]] || continue
    printf '%s at its first valid certificate (median): CPU %s s, peak RSS (VmHWM) %s MB\n' "$client" \
        "$(fmt "$(stat_of bench_median "${CPU[$client]:-}")")" \
        "$(bench_kb_to_mb "$(stat_of bench_median "${HWM[$client]:-}")")"
done

# Targets: faster than the fastest other client, at most a quarter of certbot.
fastest=n/a fastest_name=
for client in "${clients[@]}"; do
    [[ $client == rportd || ${MED[$client]} == n/a ]] && continue
    if [[ $fastest == n/a ]] || awk -v a="${MED[$client]}" -v b="$fastest" 'BEGIN { exit !(a < b) }'; then
        fastest=${MED[$client]} fastest_name=$client
    fi
done
verdict() {  # A OP B -> yes / no / n/a
    awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a";
        else print ((op == "<") ? (a < b) : (a <= b)) ? "yes" : "no" }'
}
quarter=$(awk -v c="${MED[certbot]:-n/a}" 'BEGIN { if (c == "n/a") print "n/a"; else printf "%.3f", c / 4 }')
printf 'targets: rportd median < fastest other client (%s: %s s): %s; rportd median <= certbot / 4 (%s s): %s\n' \
    "${fastest_name:-none}" "$(fmt "$fastest")" "$(verdict "$ours" '<' "$fastest")" \
    "$(fmt "$quarter")" "$(verdict "$ours" '<=' "$quarter")"
printf 'times: certbot, lego: the command; uacme: new + issue (its HTTP server started before); rportd, original: fork/exec until a handshake with SNI <name> verifies against pebble'"'"'s root.\n'
for note in "${notes[@]}"; do printf 'note: %s\n' "$note"; done

for client in "${clients[@]}"; do
    bench_record "acme_${client}_median_s" "${MED[$client]}"
done
bench_record acme_rportd_cpu_s "$(stat_of bench_median "${CPU[rportd]:-}")"
bench_record acme_rportd_hwm_kb "$(stat_of bench_median "${HWM[rportd]:-}")"
