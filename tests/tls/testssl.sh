#!/usr/bin/env bash
# Scan a TLS server on loopback with testssl and judge the result.
#
# usage: tests/tls/testssl.sh HOST PORT [CAFILE] [SNI]
#   HOST    where to connect: 127.0.0.1, ::1 or localhost (loopback only), or a
#           name, which is then only used as the server name (the connection
#           still goes to 127.0.0.1)
#   PORT    the TLS port
#   CAFILE  PEM file of the CA that issued the server's certificate (given
#           to testssl with --add-ca, so that the chain of trust is judged)
#   SNI     server name to send and to match the certificate against
#           (default: HOST when it is a name, else none)
#
# Exit status: 0 when no finding has severity MEDIUM, HIGH or CRITICAL;
# 1 when some do (they are listed); 2 when the scan itself failed (testssl
# missing or crashed, no JSON, a FATAL finding, or the server unreachable).
#
# The scan stays on this machine: --nodns none (no DNS, rDNS or CAA lookups),
# --ip pins the address, and no --phone-out (no CRL or OCSP fetches).
#
# Environment:
#   TESTSSL_MODE     full (default, every check, ~1 min), fast (testssl --fast),
#                    or quick (protocols, ciphers per protocol, server defaults,
#                    preferences and HTTP headers only: -p -E -S -P -h)
#   TESTSSL_ACCEPT   space-separated finding ids whose MEDIUM+ severity is
#                    accepted (each is still printed, marked "accepted").
#                    Default: "cert_revocation" -- testssl 3.0.8 rates a
#                    certificate without CRL or OCSP URI HIGH, and neither the
#                    throwaway test CAs nor pebble put one in; it is a property
#                    of the issuing CA, not of the server. Set it to "" to be
#                    strict.
#   TESTSSL_JSON     keep the JSON findings in this file
#   TESTSSL_BIN      the testssl program (default: testssl, then testssl.sh)
#
# Sourcing this file defines testssl_check (same arguments and exit status)
# and testssl_summary, and runs nothing.

# Print "SEVERITY id: finding" for every finding of a testssl JSON file.
testssl_summary() {
    jq -r '.[] | "\(.severity)\t\(.id)\t\(.finding)"' "$1"
}

testssl_check() {
    local host=${1:-} port=${2:-} cafile=${3:-} sni=${4:-}
    if [[ -z $host || -z $port ]]; then
        echo "usage: testssl.sh HOST PORT [CAFILE] [SNI]" >&2
        return 2
    fi
    local bin=${TESTSSL_BIN:-}
    if [[ -z $bin ]]; then
        bin=$(command -v testssl || command -v testssl.sh || true)
    fi
    if [[ -z $bin ]]; then
        echo "testssl not installed (apt-get install testssl.sh)" >&2
        return 2
    fi
    command -v jq >/dev/null || { echo "jq not installed" >&2; return 2; }

    local ip name
    case $host in
        127.0.0.1 | localhost) ip=127.0.0.1 name=${sni:-} ;;
        ::1 | '[::1]') ip=::1 name=${sni:-} ;;
        *[!0-9.]*)
            # A name: connect to loopback, send the name.
            ip=127.0.0.1 name=${sni:-$host} ;;
        *)
            echo "testssl.sh: $host is not a loopback address; refusing to scan it" >&2
            return 2 ;;
    esac
    if [[ $ip == 127.0.0.1 ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "testssl.sh: nothing listens on 127.0.0.1:$port" >&2
        return 2
    fi

    local target
    if [[ -n $name ]]; then
        target="https://$name:$port/"
    elif [[ $ip == ::1 ]]; then
        target="[::1]:$port"
    else
        target="127.0.0.1:$port"
    fi

    local args=(--quiet --color 0 --warnings off --nodns none --ip "$ip"
        --connect-timeout 10 --openssl-timeout 10)
    [[ -n $cafile ]] && args+=(--add-ca "$cafile")
    case ${TESTSSL_MODE:-full} in
        full) ;;
        fast) args+=(--fast) ;;
        quick) args+=(-p -E -S -P -h) ;;
        *) echo "TESTSSL_MODE must be full, fast or quick" >&2; return 2 ;;
    esac

    local tmp json rc=0 started elapsed
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/testssl.XXXXXX")
    json=$tmp/findings.json
    started=$SECONDS
    "$bin" "${args[@]}" --jsonfile "$json" "$target" >"$tmp/out.txt" 2>&1 || rc=$?
    elapsed=$((SECONDS - started))
    [[ -n ${TESTSSL_JSON:-} && -s $json ]] && cp "$json" "$TESTSSL_JSON"

    if [[ ! -s $json ]] || ! jq -e 'type == "array" and length > 0' "$json" >/dev/null 2>&1; then
        echo "testssl.sh: no findings from testssl (exit $rc); its output:" >&2
        tail -n 40 "$tmp/out.txt" >&2
        rm -rf "$tmp"
        return 2
    fi

    local accepted=" ${TESTSSL_ACCEPT-cert_revocation} " total fatal
    total=$(jq length "$json")
    fatal=$(jq -r '[.[] | select(.severity == "FATAL")] | length' "$json")
    printf '%s on %s (ip %s, mode %s): %s findings in %s s, testssl exit %s\n' \
        "$bin" "$target" "$ip" "${TESTSSL_MODE:-full}" "$total" "$elapsed" "$rc"
    printf 'by severity:'
    jq -r 'group_by(.severity) | map("\(.[0].severity)=\(length)") | join(" ")' "$json" |
        sed 's/^/ /'
    # A few facts worth seeing on every run.
    jq -r '.[] | select(.id | test("^(SSLv2|SSLv3|TLS1|TLS1_1|TLS1_2|TLS1_3|cert_chain_of_trust|cert_keySize|cert_trust|overall_grade|FS_ECDHE_curves)$"))
           | "  \(.id): \(.finding)"' "$json"

    local bad=0 id sev finding
    while IFS=$'\t' read -r sev id finding; do
        if [[ $accepted == *" $id "* ]]; then
            printf '  accepted %s %s: %s\n' "$sev" "$id" "$finding"
        else
            printf '  PROBLEM  %s %s: %s\n' "$sev" "$id" "$finding"
            bad=$((bad + 1))
        fi
    done < <(jq -r '.[] | select(.severity == "MEDIUM" or .severity == "HIGH" or .severity == "CRITICAL")
                    | "\(.severity)\t\(.id)\t\(.finding)"' "$json")
    if ((fatal > 0)); then
        echo "testssl.sh: the scan reported FATAL errors:" >&2
        jq -r '.[] | select(.severity == "FATAL") | "  \(.id): \(.finding)"' "$json" >&2
        rm -rf "$tmp"
        return 2
    fi
    rm -rf "$tmp"
    if ((bad > 0)); then
        printf 'FAIL: %d finding(s) with severity MEDIUM or above\n' "$bad"
        return 1
    fi
    echo "OK: no finding with severity MEDIUM or above"
    return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -uo pipefail
    testssl_check "$@"
    exit $?
fi
