-- GET /stats/summary as the seeded leads.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local token
function init()
  token = common.cycle(common.list("BENCH_LEAD_TOKENS"))
end
request = function()
  return wrk.format("GET", "/stats/summary",
    { ["Authorization"] = "Bearer " .. token(), ["Accept"] = "application/json" })
end
