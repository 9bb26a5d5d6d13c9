# Sourced by the run-*.sh scripts: warns when something else keeps the CPUs busy, since a
# benchmark on a busy machine measures the other program too.
warn_if_busy() {
  read -r _ a1 a2 a3 a4 a5 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 _ < /proc/stat
  local busy=$(( (b1 + b2 + b3) - (a1 + a2 + a3) )) total=$(( (b1 + b2 + b3 + b4 + b5) - (a1 + a2 + a3 + a4 + a5) ))
  local percent=$(( total > 0 ? 100 * busy / total : 0 ))
  echo "== machine: $(nproc) CPUs, ${percent}% busy before the run"
  if (( percent > 10 )); then
    echo "WARNING: the machine is not quiet; the figures below measure the other programs too:" >&2
    ps -eo pcpu,pid,args --sort=-pcpu | head -4 | cut -c1-120 >&2
  fi
}
