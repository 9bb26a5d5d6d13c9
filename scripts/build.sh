#!/usr/bin/env bash
# Configures and builds Relais in Release into build/ (incremental after the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
