#!/usr/bin/env bash
# Sets up and runs Relais on the example configuration: SQLite under var/, the console
# channel (no gateway account needed), and the example participants.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh relais
mkdir -p var
./build/relais check-config --config config/relais.json
# Idempotent: a re-import of the same file changes nothing.
./build/relais import participants --config config/relais.json config/participants-example.csv
exec ./build/relais serve --config config/relais.json
