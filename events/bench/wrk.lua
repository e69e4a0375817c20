-- wrk script for events.bench.api: counts answers by status and prints one JSON line at the
-- end (requests, seconds, rps, latency percentiles in ms, statuses, socket errors), so that the
-- bench reads figures instead of parsing wrk's text. Headers come from wrk's -H.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '\nWRK-RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "mean_ms": %.3f, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "statuses": {%s}, ' ..
    '"socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, table.concat(parts, ", "),
    errors.connect + errors.read + errors.write + errors.timeout))
end
