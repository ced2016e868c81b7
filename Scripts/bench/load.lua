-- wrk script of the loopback load test (Scripts/bench/load.sh): cycles search queries (or asks /healthz),
-- each thread stops after its share of the requests, and done() prints one machine-readable line.
-- Arguments after `--`: total requests, threads, mode ("search", "search-unique" or "health").
-- "search-unique" appends a number to every query so that no two requests share a text (no cache hit).
local queries = {
  "slow%20piano", "fast%20fiddle%20dance", "dark%20electronic%20synth", "calm%20ambient%20strings",
  "happy%20pop%20guitar", "melancholic%20jazz%20organ", "energetic%20rock%20drums", "dreamy%20flute",
  "gentle%20folk%20voice", "heavy%20blues%20bass", "bright%20brass%20morning", "soft%20classical%20evening",
  "slow%20piano&genre=classical", "fast%20drums&max_per_artist=1", "calm%20strings&min_duration=120&max_duration=240",
}
-- Wall-clock times (CLOCK_MONOTONIC through LuaJIT's FFI): wrk's own duration is the -d bound, not the time
-- the requests took, because a stopped thread does not end the run.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } duet_timespec;
int clock_gettime(int clock, duet_timespec *time);
]]
local function now_us()
  local time = ffi.new("duet_timespec")
  ffi.C.clock_gettime(1, time)
  return tonumber(time.tv_sec) * 1e6 + tonumber(time.tv_nsec) / 1e3
end

local counter = 0
local limit = 0
local mode = "search"
-- Per-thread globals read back in done() through thread:get.
responses = 0
first_us = 0
last_us = 0

local threads = {}
local next_thread_id = 0
function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(args[1]) or 10000
  local threads = tonumber(args[2]) or 2
  mode = args[3] or "search"
  limit = math.ceil(total / threads)
  counter = math.random(#queries)
end

function request()
  if first_us == 0 then
    first_us = now_us()
  end
  counter = counter + 1
  if mode == "health" then
    return wrk.format("GET", "/healthz")
  end
  local query = queries[(counter % #queries) + 1]
  if mode == "search-unique" then
    -- Before any "&filter" part of the query: the number joins the text.
    local text, filters = query:match("^([^&]*)(.*)$")
    query = text .. "%20take%20" .. tostring(thread_id) .. "x" .. tostring(counter) .. filters
  end
  return wrk.format("GET", "/api/search?k=10&q=" .. query)
end

function response(status, headers, body)
  responses = responses + 1
  last_us = now_us()
  if responses >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local first, last = math.huge, 0
  for _, thread in ipairs(threads) do
    local started, ended = thread:get("first_us"), thread:get("last_us")
    if started > 0 and started < first then first = started end
    if ended > last then last = ended end
  end
  local elapsed = last > first and (last - first) or summary.duration
  io.write(string.format(
    "wrk-result requests=%d elapsed_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, elapsed, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
