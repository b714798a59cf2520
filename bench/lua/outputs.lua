-- POST /outputs: 100 KB of assistant output (Markdown and code) as the multipart `text` field.
-- Each upload starts with a unique line, so every request stores new bytes (no deduplication).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
done = common.done
local token, versions, text
local counter = 0
local boundary = "----promptsmith-bench-7MA4YWxkTrZu0gW"
function init()
  token = common.cycle(common.list("BENCH_DEV_TOKENS"))
  versions = common.lines("BENCH_VERSIONS_FILE")
  local file = assert(io.open(os.getenv("BENCH_OUTPUT_TEXT"), "rb"))
  text = file:read("*a")
  file:close()
  math.randomseed(os.time() + (thread_id or 0) * 104729)
end
request = function()
  counter = counter + 1
  local body = table.concat({
    "--", boundary, "\r\n",
    'Content-Disposition: form-data; name="promptVersionId"\r\n\r\n',
    versions[math.random(#versions)], "\r\n",
    "--", boundary, "\r\n",
    'Content-Disposition: form-data; name="ide"\r\n\r\nvscode\r\n',
    "--", boundary, "\r\n",
    'Content-Disposition: form-data; name="text"\r\n',
    "Content-Type: text/markdown; charset=utf-8\r\n\r\n",
    string.format("<!-- run %s thread %d upload %d -->\n", os.getenv("BENCH_RUN_ID") or "0",
      thread_id or 0, counter),
    text, "\r\n",
    "--", boundary, "--\r\n",
  })
  return wrk.format("POST", "/outputs",
    { ["Authorization"] = "Bearer " .. token(),
      ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }, body)
end
