#!/usr/bin/env bash
# Installs the Debian packages rportd builds, tests and benchmarks with.
# Idempotent; run as root (or through sudo).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git curl jq openssl python3
  libpoco-dev libtomlplusplus-dev libssl-dev libcrypt-dev libsqlite3-dev libmariadb-dev
  libcppunit-dev
  # tests/abi builds a plugin with clang++ and libc++ to show a plugin may use
  # another compiler and C++ library; without these that test fails in CI.
  clang libc++-dev libc++abi-dev
  # libFuzzer and clang's sanitizer runtimes, for the fuzz targets (tests/fuzz).
  libclang-rt-dev
  mariadb-server pebble certbot wrk nginx testssl.sh openssh-client fail2ban
)
# Node.js runs the real protocol peers of the tests (tests/peers/node). A
# machine that already has node and npm (from another source) keeps them:
# Debian's npm package would conflict with a Node.js that bundles its own.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Services such as mariadb and nginx are installed but not started: the
  # tests start their own throwaway instances on loopback.
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Only fail2ban-regex is used (to check docs/security.md's filter against
# rportd's log); the daemon the package may have started has no business here.
if command -v fail2ban-client >/dev/null && fail2ban-client ping >/dev/null 2>&1; then
  fail2ban-client stop >/dev/null 2>&1 || true
fi

# The peers' npm packages, at the versions package-lock.json pins; again
# only when that lock changed since the last install (a stamp in
# node_modules). Optional native add-ons (ssh2's and cpu-features' speed-ups)
# and install scripts are skipped: building them would fetch Node headers
# from outside the registry, and the peers work without them.
peers="$(cd "$(dirname "$0")/../tests/peers/node" && pwd)"
if ! cmp -s "$peers/package-lock.json" "$peers/node_modules/.rportd-installed-lock"; then
  (cd "$peers" && npm ci --no-audit --no-fund --omit=optional --ignore-scripts)
  cp "$peers/package-lock.json" "$peers/node_modules/.rportd-installed-lock"
fi
