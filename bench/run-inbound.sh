#!/usr/bin/env bash
# Inbound bench: signed Twilio webhooks (free-text notes from enrolled participants outside
# any dialog) against `relais serve` (1 HTTP thread + its writer thread) and against a bare
# Beast server answering 200 (1 thread), with the same `wrk -t1 -c32 -d10s` and the same
# requests, alternating, ROUNDS times; prints each measurement and the medians.
#
# On a shared machine hold the build lock for the whole run (builds and measurements):
#   flock /tmp/relais-build.lock bench/run-inbound.sh
# Knobs (environment): ROUNDS=3 DURATION=10s CONNECTIONS=32 PARTICIPANTS=1000
#   REQUESTS=600000 (unique signed requests per round) LOG_LEVEL=info BUILD_DIR=build-bench
#   RELAIS_PORT=18080 BARE_PORT=18081 KEEP=0 (1 keeps the work folder)
#   SAME_DATABASE=0 (1: every round adds to the first round's database, to see it grow)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
PARTICIPANTS=${PARTICIPANTS:-1000}
REQUESTS=${REQUESTS:-600000}
LOG_LEVEL=${LOG_LEVEL:-info}
RELAIS_PORT=${RELAIS_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
KEEP=${KEEP:-0}
SAME_DATABASE=${SAME_DATABASE:-0}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 1; }
for port in "$RELAIS_PORT" "$BARE_PORT"; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then echo "port $port is taken (set RELAIS_PORT/BARE_PORT)" >&2; exit 1; fi
done

source "$ROOT/bench/machine_check.sh"
echo "== building (Release) in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DRELAIS_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target relais relais_bench_setup relais_bench_sign relais_bench_bare_server -j2 >/dev/null
warn_if_busy

WORK=$(mktemp -d "${TMPDIR:-/tmp}/relais-bench-inbound.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ $KEEP == 1 ]]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The channel's secret comes from the environment, as in production.
export RELAIS_BENCH_TWILIO_TOKEN=bench-twilio-auth-token-7f3a
ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
CHANNEL_NUMBER=+33612345690
WEBHOOK_URL=http://127.0.0.1:$RELAIS_PORT/webhooks/twilio

# Each round has a database of its own, holding only the participants at first: rounds are
# the same experiment, whatever ran before (a database that grows runs slower, see
# docs/performance.md). With SAME_DATABASE=1 they all use the first one.
prepare_round() {  # folder
  mkdir -p "$1"
  # The programme's real dialogs and texts, so that the dialog engine is loaded and asked
  # about every message.
  ln -s "$ROOT/config/dialogs" "$1/dialogs"
  ln -s "$ROOT/config/templates" "$1/templates"
  cat >"$1/relais.json" <<JSON
{
  "programme": "inbound bench",
  "server": { "bind": "127.0.0.1", "port": $RELAIS_PORT, "threads": 1,
              "public_base_url": "http://127.0.0.1:$RELAIS_PORT" },
  "database": { "path": "relais.db" },
  "cohorts": [{ "id": "g1", "name": "Groupe 1",
                "coaches": [{ "name": "Claire", "phone": "03 53 01 00 12" }] }],
  "channels": [{ "id": "twilio", "type": "twilio", "account_sid": "$ACCOUNT_SID",
                 "auth_token_env": "RELAIS_BENCH_TWILIO_TOKEN", "from": "$CHANNEL_NUMBER",
                 "api_base_url": "http://127.0.0.1:9" }],
  "log": { "level": "$LOG_LEVEL" }
}
JSON
  "$BUILD_DIR/bench/relais_bench_setup" --config "$1/relais.json" --participants "$PARTICIPANTS" \
    --channel twilio >/dev/null
}

wait_for_port() {  # port, pid
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/healthz"; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "server exited early" >&2; return 1; }
    sleep 0.05
  done
  echo "server did not listen on $1" >&2
  return 1
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=
}

run_wrk() {  # port, requests file → the RESULT line
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/inbound.lua" \
    "http://127.0.0.1:$1/webhooks/twilio" -- "$2" | grep '^RESULT'
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# A query's answer summed over the rounds' databases.
db_sum() {
  local total=0 n
  for db in "$WORK"/round-*/relais.db; do n=$(sqlite3 "$db" "$1"); total=$((total + n)); done
  echo "$total"
}

RESULTS=$WORK/results.txt
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  requests=$WORK/requests-$round.bin
  "$BUILD_DIR/bench/relais_bench_sign" --url "$WEBHOOK_URL" --token "$RELAIS_BENCH_TWILIO_TOKEN" \
    --account-sid "$ACCOUNT_SID" --to "$CHANNEL_NUMBER" --participants "$PARTICIPANTS" \
    --count "$REQUESTS" --round "$round" --out "$requests"

  "$BUILD_DIR/bench/relais_bench_bare_server" "$BARE_PORT" >/dev/null &
  SERVER_PID=$!
  wait_for_port "$BARE_PORT" "$SERVER_PID"
  bare=$(run_wrk "$BARE_PORT" "$requests")
  stop_server
  echo "round $round bare   $bare" | tee -a "$RESULTS"

  folder=$WORK/round-$round
  if [[ $SAME_DATABASE == 1 ]]; then folder=$WORK/round-1; fi
  [[ -d $folder ]] || prepare_round "$folder"
  before=$(sqlite3 "$folder/relais.db" "SELECT count(*) FROM inbound")
  "$BUILD_DIR/relais" serve --config "$folder/relais.json" >"$folder/relais-$round.out" 2>"$folder/relais-$round.log" &
  SERVER_PID=$!
  wait_for_port "$RELAIS_PORT" "$SERVER_PID"
  relais=$(run_wrk "$RELAIS_PORT" "$requests")
  # How well group commit grouped: steps run per transaction committed.
  engine=$(curl -s "http://127.0.0.1:$RELAIS_PORT/metrics" |
    awk '$1 == "relais_engine_steps" {s = $2} $1 == "relais_engine_commits" {c = $2}
         END {printf "engine_steps=%d engine_commits=%d", s, c}')
  stop_server
  after=$(sqlite3 "$folder/relais.db" "SELECT count(*) FROM inbound")
  echo "round $round relais $relais stored=$((after - before)) rows_before=$before $engine" | tee -a "$RESULTS"
  rm -f "$requests"
done

# Checks that the figures mean what they say: every answer was a 200 after a commit, and
# the messages are in the database, each once, outside any dialog (no reply queued).
replies=$(db_sum "SELECT count(*) FROM outbox")
conversations=$(db_sum "SELECT count(*) FROM conversations")
notes=$(db_sum "SELECT count(*) FROM alerts WHERE kind = 'participant_message'")
failed=$(db_sum "SELECT count(*) FROM inbound WHERE handled_ok = 0")
echo "databases: $(db_sum "SELECT count(*) FROM inbound") inbound rows, $notes notes for coaches," \
     "$failed failed steps, $replies outbox rows, $conversations conversations"

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
summary() {  # kind field
  grep " $1 " "$RESULTS" | while read -r line; do field "$2" "$line"; done | median
}
bare_rps=$(summary bare rps)
relais_rps=$(summary relais rps)
relais_p99=$(summary relais p99_ms)
ratio=$(awk -v a="$relais_rps" -v b="$bare_rps" 'BEGIN {printf "%.2f", a / b}')
echo
echo "| server | req/s (median of $ROUNDS) | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- |"
echo "| bare Beast, 1 thread | $bare_rps | $(summary bare p50_ms) | $(summary bare p99_ms) |"
echo "| relais serve, 1 HTTP thread + writer | $relais_rps | $(summary relais p50_ms) | $relais_p99 |"
echo
echo "relais / bare = $ratio (goal >= 0.33); relais p99 = $relais_p99 ms (goal < 10 ms)"
problems=$(awk '/ relais / {
  for (i = 1; i <= NF; i++) {
    split($i, kv, "=")
    v[kv[1]] = kv[2]
    if (kv[1] ~ /^(errors|non2xx|wrapped)$/ && kv[2] != 0) print "round " $2 ": " $i
  }
  # Every 200 follows a commit: fewer rows than answers would be a lost message.
  if (v["stored"] + 0 < v["requests"] - v["non2xx"]) print "round " $2 ": only " v["stored"] " rows for " v["requests"] " answers"
}' "$RESULTS")
if [[ -n $problems ]]; then
  echo "WARNING: errors, non-2xx answers, repeated requests (raise REQUESTS) or missing rows in the relais runs:"
  echo "$problems"
fi
