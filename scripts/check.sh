#!/usr/bin/env bash
# Sets up, builds and runs every check: the whole test suite through ctest, the fuzz smoke
# runs (libFuzzer, 30 s a target), then the dashboard's browser tests (headless Chromium
# against a real `relais serve` on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 300)
scripts/fuzz.sh
browser_work=$(mktemp -d "${TMPDIR:-/tmp}/relais-browser.XXXXXX")
tests/browser/run.sh build/relais "$browser_work"
rm -rf "$browser_work"
