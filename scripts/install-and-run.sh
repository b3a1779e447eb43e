#!/usr/bin/env bash
# Installs the build dependencies, builds and installs rportd under PREFIX
# (default: ./_install), then runs it in the foreground on the example config.
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-$PWD/_install}
bash scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DRPORTD_BUILD_TESTS=OFF
cmake --build build-release -j "$(nproc)"
cmake --install build-release --prefix "$PREFIX"
exec "$PREFIX/bin/rportd" -c config/rportd.example.conf
