-- wrk script of the inbound bench: replays the signed requests that relais_bench_sign
-- wrote (8-digit length, then a raw HTTP request), each once, and prints one RESULT line.
--   wrk -t1 -c32 -d10s --latency -s bench/inbound.lua URL -- REQUESTS_FILE
local requests = {}
local count, next_index, wrapped = 0, 1, 0

-- Runs in the thread's own Lua state, before the clock starts.
function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while pos <= #data do
    local len = tonumber(data:sub(pos, pos + 7))
    requests[#requests + 1] = data:sub(pos + 8, pos + 7 + len)
    pos = pos + 8 + len
  end
  count = #requests
end

function request()
  local r = requests[next_index]
  next_index = next_index + 1
  if next_index > count then
    -- Past the end the MessageSids repeat (duplicates are cheaper): the run says so.
    next_index = 1
    wrapped = wrapped + 1
    wrk.thread:set("wrapped", wrapped)
  end
  return r
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, _)
  local wraps = 0
  for _, t in ipairs(threads) do wraps = wraps + (t:get("wrapped") or 0) end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "errors=%d non2xx=%d wrapped=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout, e.status, wraps))
end
