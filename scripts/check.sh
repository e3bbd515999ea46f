#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite, as the README and .ci/run give it: install what is
# missing, build, run every test (unit, cli, py, kernels), then build again
# with AddressSanitizer + UndefinedBehaviorSanitizer and run the suite there
# (the kernel matrix once is enough). A sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
bash scripts/deps.sh --tests

step() { printf '\n=== %s (%s)\n' "$1" "$(date +%T)"; }

step "build"
# explicit: a build/ left by the README's first command has BUILD_TESTING=OFF
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
	-DUT_WITH_PYTHON=ON -DUT_SANITIZE=OFF >/dev/null
cmake --build build -j"$jobs"

step "tests"
ctest --test-dir build --no-tests=error --output-on-failure -j"$jobs"

step "sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DUT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON \
	-DUT_WITH_PYTHON=ON >/dev/null
cmake --build build-asan -j"$jobs"

step "tests under sanitizers"
ctest --test-dir build-asan --no-tests=error --output-on-failure -j"$jobs" -LE kernels
