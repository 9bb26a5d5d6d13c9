#!/usr/bin/env bash
# Sets up, builds and runs every check: the whole test suite through ctest, then the
# fuzz smoke runs (libFuzzer, 30 s a target).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 300)
scripts/fuzz.sh
