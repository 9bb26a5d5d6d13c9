#!/usr/bin/env bash
# Configures and builds Relais in Release into build/ (incremental after the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# Optional arguments: targets to build (default: everything, tests included).
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j "$(nproc)" "${targets[@]}"
