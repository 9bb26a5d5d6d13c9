#!/usr/bin/env bash
# Saves PNGs of the dashboard's main pages (sign-in, cohorts, a conversation, a group
# message's preview, indicators, the phone simulator), at a desktop and a phone width, into
# docs/screenshots/, after a short demonstration played on a fresh database.
#
# Usage: scripts/screenshots.sh [RELAIS_BINARY]   (default: build/relais; scripts/build.sh relais)
# Needs node and /usr/bin/chromium, like tests/browser/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/relais}
work=$(mktemp -d)
source tests/browser/server.sh
start_relais "$binary" "$work"
node tests/browser/screenshots.mjs docs/screenshots
stop_relais
rm -rf "$work"
