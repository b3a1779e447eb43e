#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds warning-free, runs CTest;
# then the same tree under sanitizers, and every fuzzer for a short while.
# Usage: bash scripts/test.sh [extra ctest arguments for the first phase]
#
# Phases, in this order, each building into a directory of its own:
#   main   build/        the normal build and the whole suite
#   asan   build-asan/   everything with AddressSanitizer + UBSan, the whole suite
#   tsan   build-tsan/   ThreadSanitizer, the tests labelled "concurrency"
#   fuzz   build-fuzz/   clang + libFuzzer, each fuzzer FUZZ_SECONDS on a copy of its corpus
# CI runs all of them. Locally, RPORTD_TEST_PHASES="main fuzz" (say) runs
# only those; RPORTD_FUZZ_SECONDS changes the fuzzing time (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

PHASES=" ${RPORTD_TEST_PHASES:-main asan tsan fuzz} "
FUZZ_SECONDS=${RPORTD_FUZZ_SECONDS:-20}
JOBS=$(nproc)
# Every tool was just installed: a test that finds one missing fails.
CONFIGURE=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPORTD_WERROR=ON -DRPORTD_REQUIRE_TEST_TOOLS=ON)
# The sanitizer builds are optimised less (-O1, as the sanitizers' authors
# advise) and carry line tables only: they compile faster, and their stack
# traces still name files and lines.
SANITIZER_FLAGS=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
# The extra phases use ccache where it is installed (the first stays as it was).
LAUNCHER=()
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

wanted() { [[ "$PHASES" == *" $1 "* ]]; }
TIMES=()
timed() {  # timed <phase> <function> [arguments]
  local start=$SECONDS
  echo "=== phase $1: start"
  "${@:2}"
  TIMES+=("$1 $((SECONDS - start))s")
  echo "=== phase $1: done in $((SECONDS - start)) s"
}

main_phase() {
  local build=${BUILD_DIR:-build}
  cmake -S . -B "$build" "${CONFIGURE[@]}"
  cmake --build "$build" -j "$JOBS"
  ctest --test-dir "$build" --output-on-failure -j "$JOBS" "$@"
}

# The sanitizer runtime options come from CTest (tests/CMakeLists.txt).
asan_phase() {
  cmake -S . -B build-asan "${CONFIGURE[@]}" "${SANITIZER_FLAGS[@]}" "${LAUNCHER[@]}" -DRPORTD_SANITIZE=address,undefined
  cmake --build build-asan -j "$JOBS"
  ctest --test-dir build-asan --output-on-failure -j "$JOBS"
}

tsan_phase() {
  cmake -S . -B build-tsan "${CONFIGURE[@]}" "${SANITIZER_FLAGS[@]}" "${LAUNCHER[@]}" -DRPORTD_SANITIZE=thread
  cmake --build build-tsan -j "$JOBS" --target concurrency_tests
  ctest --test-dir build-tsan --output-on-failure -j "$JOBS" -L concurrency
}

# The corpus is copied: what a run adds stays out of the tree. A crash, a
# leak or a broken invariant ends the run with a non-zero status and leaves
# the input in build-fuzz/findings/.
fuzz_phase() {
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRPORTD_WERROR=ON "${LAUNCHER[@]}"
  # No such target when clang has no libFuzzer (libclang-rt-dev): that fails here.
  cmake --build build-fuzz -j "$JOBS" --target fuzzers
  local fuzzer name dict
  rm -rf build-fuzz/corpus build-fuzz/findings
  for fuzzer in build-fuzz/tests/fuzz/fuzz_*; do
    name=${fuzzer##*/fuzz_}
    dict=tests/fuzz/dict/$name.dict
    case $name in json_body | credentials | users) dict=tests/fuzz/dict/json.dict ;; esac
    mkdir -p "build-fuzz/corpus/$name" "build-fuzz/findings/$name"
    cp tests/fuzz/corpus/"$name"/* "build-fuzz/corpus/$name/"
    echo "--- $name: ${FUZZ_SECONDS} s"
    "$fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      $([ -f "$dict" ] && echo "-dict=$dict") -artifact_prefix="build-fuzz/findings/$name/" \
      "build-fuzz/corpus/$name" 2>"build-fuzz/findings/$name.log" ||
      { tail -n 60 "build-fuzz/findings/$name.log"; echo "fuzz_$name failed"; return 1; }
    grep -E '^stat::number_of_executed_units' "build-fuzz/findings/$name.log" || true
  done
}

TOTAL_START=$SECONDS
if wanted main; then timed main main_phase "$@"; fi
if wanted asan; then timed asan asan_phase; fi
if wanted tsan; then timed tsan tsan_phase; fi
if wanted fuzz; then timed fuzz fuzz_phase; fi
echo "=== phase times: ${TIMES[*]:-none}; total $((SECONDS - TOTAL_START)) s"
