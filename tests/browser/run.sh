#!/usr/bin/env bash
# Browser tests of the coaches' dashboard: a real `relais serve` on loopback (server.sh),
# then the tests in headless Chromium — Debian's, driven by playwright-core from the
# committed lockfile (docs/dashboard.md).
#
# Usage: tests/browser/run.sh RELAIS_BINARY WORK_FOLDER
# Needs node (18+) and /usr/bin/chromium (apt-get install chromium), or RELAIS_CHROMIUM.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 RELAIS_BINARY WORK_FOLDER" >&2
  exit 2
fi
source "$(dirname "$0")/server.sh"
start_relais "$1" "$2"

status=0
node --test ${RELAIS_TEST_PATTERN:+--test-name-pattern="$RELAIS_TEST_PATTERN"} --test-concurrency=1 --test-reporter=spec "$browser_dir/dashboard.test.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- last lines of the server's log ($relais_log)" >&2
  tail -n 30 "$relais_log" >&2
fi
exit "$status"
