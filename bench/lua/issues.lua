-- GET /issues?status=open&assignee=me as the seeded developers, one token after another.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local token
function init()
  token = common.cycle(common.list("BENCH_DEV_TOKENS"))
end
request = function()
  return wrk.format("GET", "/issues?status=open&assignee=me",
    { ["Authorization"] = "Bearer " .. token(), ["Accept"] = "application/json" })
end
