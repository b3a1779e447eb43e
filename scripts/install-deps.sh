#!/usr/bin/env bash
# Installs the Debian packages rportd builds, tests and benchmarks with.
# Idempotent; run as root (or through sudo).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git curl jq openssl python3
  libpoco-dev libtomlplusplus-dev libssl-dev libcrypt-dev libsqlite3-dev libmariadb-dev
  libcppunit-dev clang libc++-dev libc++abi-dev
  mariadb-server pebble certbot wrk nginx testssl.sh
)
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
