-- Shared by every bench script: per-thread ids, data files, token rotation and the JSON summary.
-- wrk runs one Lua state per thread plus one for setup; `setup` numbers the threads.
local common = {}

local thread_count = 0
function common.setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  thread:set("thread_total", tonumber(os.getenv("BENCH_THREADS") or "1"))
end

-- Non-empty lines of a file named by an environment variable.
function common.lines(variable)
  local path = os.getenv(variable)
  assert(path, variable .. " is not set")
  local items = {}
  for line in io.lines(path) do
    if #line > 0 then items[#items + 1] = line end
  end
  assert(#items > 0, path .. " is empty")
  return items
end

-- Comma-separated values of an environment variable.
function common.list(variable)
  local items = {}
  for item in string.gmatch(os.getenv(variable) or "", "[^,]+") do items[#items + 1] = item end
  assert(#items > 0, variable .. " is empty")
  return items
end

-- Round-robin over a list, offset by the thread so that threads do not move in lockstep.
function common.cycle(items)
  local index = (thread_id or 0) * 7
  return function()
    index = index + 1
    return items[(index % #items) + 1]
  end
end

-- Latency and throughput as one JSON line on stdout (microseconds from wrk, milliseconds out).
function common.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,' ..
    '"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,"errors":{"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end

return common
