-- POST /auth/login: the seeded users in turn (bcrypt cost 12 by design).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local email
local password = os.getenv("BENCH_PASSWORD")
function init()
  email = common.cycle(common.lines("BENCH_EMAILS_FILE"))
end
request = function()
  return wrk.format("POST", "/auth/login", { ["Content-Type"] = "application/json" },
    string.format('{"email":"%s","password":"%s"}', email(), password))
end
