-- POST /auth/refresh with rotation. Each thread holds a pool of unused refresh tokens (seeded
-- with SQL as `bench-refresh-N`, a disjoint range per run): a request takes one from the pool,
-- and its answer puts the rotated token back, so every token is presented exactly once and each
-- connection follows its own rotation chain.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local pool = {}
function init()
  local first = tonumber(os.getenv("BENCH_REFRESH_FIRST"))
  local count = tonumber(os.getenv("BENCH_REFRESH_COUNT"))
  for n = first, first + count - 1 do
    if n % thread_total == thread_id then pool[#pool + 1] = "bench-refresh-" .. n end
  end
end
request = function()
  local token = table.remove(pool) or "pool-exhausted"
  return wrk.format("POST", "/auth/refresh", { ["Content-Type"] = "application/json" },
    '{"refreshToken":"' .. token .. '"}')
end
response = function(status, headers, body)
  if status == 200 then
    local rotated = string.match(body, '"refreshToken"%s*:%s*"([^"]+)"')
    if rotated then pool[#pool + 1] = rotated end
  end
end
