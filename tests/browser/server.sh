# Sourced by tests/browser/run.sh and scripts/screenshots.sh: starts a real `relais serve`
# on a free loopback port for the dashboard — the example configuration with its database
# in a work folder and the phone simulator on, the example participants, a g1 coach's token
# and an admin token — and stops it when the calling script exits.
#
#   start_relais RELAIS_BINARY WORK_FOLDER
# sets RELAIS_URL, RELAIS_G1_TOKEN, RELAIS_ADMIN_TOKEN and RELAIS_CHROMIUM (exported).

browser_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$browser_dir/../.." && pwd)

start_relais() {
  local relais work config port
  relais=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  mkdir -p "$2"
  work=$(cd "$2" && pwd)
  export RELAIS_CHROMIUM=${RELAIS_CHROMIUM:-/usr/bin/chromium}
  [ -x "$relais" ] || { echo "no relais binary at $relais" >&2; exit 2; }
  [ -x "$RELAIS_CHROMIUM" ] || { echo "no Chromium at $RELAIS_CHROMIUM (apt-get install chromium)" >&2; exit 2; }
  if [ ! -d "$browser_dir/node_modules/playwright-core" ] || [ ! -d "$browser_dir/node_modules/axe-core" ]; then
    (cd "$browser_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi

  # A fresh database each run.
  rm -f "$work"/relais.db "$work"/relais.db-wal "$work"/relais.db-shm
  port=$(node "$browser_dir/make-config.mjs" "$repo_root" "$work")
  config="$work/relais.json"
  "$relais" import participants --config "$config" "$repo_root/config/participants-example.csv" >/dev/null
  new_token() { "$relais" token create --config "$config" "$@" | grep -o 'rl_[A-Za-z0-9_-]*' | tail -n 1; }
  export RELAIS_G1_TOKEN RELAIS_ADMIN_TOKEN RELAIS_URL="http://127.0.0.1:$port"
  RELAIS_G1_TOKEN=$(new_token --name Nadia --cohort g1)
  RELAIS_ADMIN_TOKEN=$(new_token --name Bureau --admin)

  relais_log="$work/serve.log"
  "$relais" serve --config "$config" >"$relais_log" 2>&1 &
  relais_pid=$!
  trap stop_relais EXIT
  node "$browser_dir/wait-healthy.mjs" "$RELAIS_URL" || { tail -n 30 "$relais_log" >&2; exit 1; }
}

stop_relais() {
  if [ -n "${relais_pid:-}" ] && kill -0 "$relais_pid" 2>/dev/null; then
    kill -TERM "$relais_pid"
    wait "$relais_pid" || true
  fi
}
