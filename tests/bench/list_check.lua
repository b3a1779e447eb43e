-- wrk script for credentials.sh: counts the responses that are not a 200
-- holding exactly BENCH_EXPECT_ITEMS credentials (one "password_hashed" key
-- per item), and prints "checked: N bad: M" when the run is over. Requests
-- are wrk's default ones (URL and -H headers from the command line).
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   expected = tonumber(os.getenv("BENCH_EXPECT_ITEMS") or "50")
   checked = 0
   bad = 0
end

function response(status, headers, body)
   checked = checked + 1
   local items = 0
   for _ in string.gmatch(body, '"password_hashed":') do
      items = items + 1
   end
   if status ~= 200 or items ~= expected then
      bad = bad + 1
   end
end

function done(summary, latency, requests)
   local c, b = 0, 0
   for _, thread in ipairs(threads) do
      c = c + thread:get("checked")
      b = b + thread:get("bad")
   end
   io.write(string.format("checked: %d bad: %d\n", c, b))
end
