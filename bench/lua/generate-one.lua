-- POST /prompts/generate: one developer regenerating one prompt (one issue × one template),
-- the contended case: every request appends a version to the same prompt.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local token, issue, template
function init()
  token = common.list("BENCH_DEV_TOKENS")[1]
  issue = common.lines("BENCH_ISSUES_FILE")[1]
  template = common.lines("BENCH_TEMPLATES_FILE")[1]
end
request = function()
  local body = string.format(
    '{"issueId":"%s","templateId":"%s","vars":{"audience":"backend team","tone":"concise"},' ..
    '"model":"gpt-4o","ide":"cursor"}', issue, template)
  return wrk.format("POST", "/prompts/generate",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
