#!/usr/bin/env bash
# Calibrates testssl.sh: scans nginx serving the Mozilla "intermediate"
# profile (TLS 1.2 + 1.3, ECDHE + AEAD only, X25519/P-256/P-384) with an
# ECDSA P-256 certificate for rport.test from a throwaway CA. A sound
# configuration must pass (exit 0); the run shows which findings such a
# server still gets (LOW / INFO / OK) and how long a scan takes.
#
# Two deviations from the plain Mozilla profile, both because testssl 3.0.8
# rates their absence: ssl_prefer_server_ciphers on (without a server cipher
# order: HIGH "cipher_order"), and X-Content-Type-Options / X-Frame-Options
# (no security header at all: MEDIUM "security_headers"; HSTS alone does not
# count). The certificate has no CRL/OCSP URI (HIGH "cert_revocation"),
# accepted by testssl.sh's default TESTSSL_ACCEPT.
#
# usage: tests/tls/nginx-calibration.sh   (TESTSSL_MODE, TESTSSL_JSON as for testssl.sh)

# shellcheck source=../bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../bench/lib.sh"
# shellcheck source=testssl.sh
source "$BENCH_DIR/../tls/testssl.sh"
bench_require_tools nginx openssl jq

bench_mktemp
dir=$BENCH_TMP
chmod a+rx "$dir"  # nginx workers run as another user
read -r port < <(bench_free_ports 1)
bench_make_test_cert "$dir/pki" rport.test
mkdir -p "$dir/nginx/html/api/v1"
printf '{"data":{"version":"calibrate"}}' >"$dir/nginx/html/api/v1/status"
bench_start_nginx "$dir/nginx" "$port" "
    server {
        listen 127.0.0.1:$port ssl;
        server_name rport.test;
        ssl_certificate     $dir/pki/fullchain.pem;
        ssl_certificate_key $dir/pki/server.key;
$(bench_nginx_tls_profile)
        ssl_session_timeout 1d;
        ssl_session_cache shared:MozSSL:10m;
        ssl_session_tickets off;
        ssl_prefer_server_ciphers on;
        add_header Strict-Transport-Security \"max-age=63072000\" always;
        add_header X-Content-Type-Options nosniff always;
        add_header X-Frame-Options DENY always;
        root $dir/nginx/html;
    }"
bench_log "nginx (Mozilla intermediate, ECDSA P-256) on 127.0.0.1:$port; scanning"
rc=0
testssl_check rport.test "$port" "$dir/pki/ca.pem" || rc=$?
exit "$rc"
