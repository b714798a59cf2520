-- GET /health: the framework's floor on this machine.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
request = function() return wrk.format("GET", "/health") end
