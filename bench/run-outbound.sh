#!/usr/bin/env bash
# Outbound bench: 10,000 queued messages to 10,000 participants sent by `relais serve` to a
# fake Twilio gateway with no rate limit, against a bare cpprestsdk client posting the same
# requests to the same gateway (as many in flight as the dispatcher's default), alternating,
# ROUNDS times; then 50 messages with a limit of 10/s, whose arrival times at the gateway
# show whether the limit holds. See bench/README.md.
#
# On a shared machine hold the build lock for the whole run (builds and measurements):
#   flock /tmp/relais-build.lock bench/run-outbound.sh
# Knobs (environment): ROUNDS=3 MESSAGES=10000 CONCURRENCY=(the dispatcher's default)
#   LIMITED_MESSAGES=50 LIMITED_RATE=10 LOG_LEVEL=info BUILD_DIR=build-bench
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}

source "$ROOT/bench/machine_check.sh"
echo "== building (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRELAIS_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target relais relais_bench_outbound -j2 >/dev/null
warn_if_busy

args=(--relais "$BUILD_DIR/relais" --rounds "${ROUNDS:-3}" --messages "${MESSAGES:-10000}"
      --limited-messages "${LIMITED_MESSAGES:-50}" --limited-rate "${LIMITED_RATE:-10}"
      --log-level "${LOG_LEVEL:-info}")
if [[ -n ${CONCURRENCY:-} ]]; then args+=(--concurrency "$CONCURRENCY"); fi
"$BUILD_DIR/bench/relais_bench_outbound" "${args[@]}"
