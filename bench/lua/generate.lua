-- POST /prompts/generate: a developer renders a random template for a random issue.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local token, issues, templates
local ides = { "vscode", "cursor", "jetbrains", "claude-code" }
function init()
  token = common.cycle(common.list("BENCH_DEV_TOKENS"))
  issues = common.lines("BENCH_ISSUES_FILE")
  templates = common.lines("BENCH_TEMPLATES_FILE")
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end
request = function()
  local body = string.format(
    '{"issueId":"%s","templateId":"%s","vars":{"audience":"backend team","tone":"concise"},' ..
    '"model":"gpt-4o","ide":"%s"}',
    issues[math.random(#issues)], templates[math.random(#templates)], ides[math.random(#ides)])
  return wrk.format("POST", "/prompts/generate",
    { ["Authorization"] = "Bearer " .. token(), ["Content-Type"] = "application/json" }, body)
end
