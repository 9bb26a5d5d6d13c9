#!/usr/bin/env bash
# Planner bench: 100,000 participants in 1,000 cohorts of 12 sessions with 3 rules (3.6 M
# jobs) planned and persisted, against a raw SQLite insert of the same rows in the same run;
# then one moved session re-planned; and the peak memory. See bench/README.md.
#   flock /tmp/relais-build.lock bench/run-plan.sh
# Knobs (environment): COHORTS=1000 PER_COHORT=100 SESSIONS=12 BUILD_DIR=build-bench
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
source "$ROOT/bench/machine_check.sh"
echo "== building (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRELAIS_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target relais_bench_plan -j2 >/dev/null
warn_if_busy
"$BUILD_DIR/bench/relais_bench_plan" --cohorts "${COHORTS:-1000}" --per-cohort "${PER_COHORT:-100}" \
  --sessions "${SESSIONS:-12}" --dir "$(mktemp -d /tmp/relais-bench-plan.XXXXXX)"
