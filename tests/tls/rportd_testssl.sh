#!/usr/bin/env bash
# CTest driver: rportd serving HTTPS with an ECDSA P-256 certificate from a
# throwaway CA, scanned by testssl (tests/tls/testssl.sh, offline, loopback
# only). Fails when any finding is rated MEDIUM or worse. Exits 77 (CTest's
# skip) when testssl, jq or openssl are missing.
#
# usage: tests/tls/rportd_testssl.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: rportd_testssl.sh BUILD_DIR}
for tool in jq openssl; do
    command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
done
command -v testssl >/dev/null || command -v testssl.sh >/dev/null ||
    { echo "SKIPPED: testssl not installed (apt-get install testssl.sh)"; exit 77; }

# shellcheck source=../bench/lib.sh
source "$here/../bench/lib.sh"
# shellcheck source=testssl.sh
source "$here/testssl.sh"

dir=$(mktemp -d "${TMPDIR:-/tmp}/rportd-testssl.XXXXXX")
pid=
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

bench_make_test_cert "$dir/certs" rport.test
chmod 600 "$dir/certs/server.key"
read -r port < <(bench_free_ports 1)
cat >"$dir/rportd.conf" <<CONF
[server]
address = "127.0.0.1:0"
auth = "clientAuth1:1234"
data_dir = "$dir/data"
[api]
address = "127.0.0.1:$port"
auth = "admin:foobaz"
cert_file = "$dir/certs/fullchain.pem"
key_file = "$dir/certs/server.key"
[logging]
log_level = "info"
log_file = "$dir/rportd.log"
CONF
"$build/bin/rportd" -c "$dir/rportd.conf" &
pid=$!
for _ in $(seq 100); do
    grep -q "API Listening" "$dir/rportd.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "API Listening" "$dir/rportd.log" || { cat "$dir/rportd.log"; echo "rportd did not start"; exit 1; }

TESTSSL_MODE=${TESTSSL_MODE:-full} testssl_check rport.test "$port" "$dir/certs/ca.pem"
rc=$?
((rc == 0)) || tail -n 20 "$dir/rportd.log"
exit "$rc"
