#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds warning-free, runs CTest.
# Usage: bash scripts/test.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD=${BUILD_DIR:-build}
# Every tool was just installed: a test that finds one missing fails.
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPORTD_WERROR=ON \
  -DRPORTD_REQUIRE_TEST_TOOLS=ON
cmake --build "$BUILD" -j "$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" "$@"
