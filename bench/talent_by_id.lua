-- wrk script: GET /api/v1/talents/{id} with ids spread over 1..MAX_ID (env TP_MAX_ID).
local max_id = tonumber(os.getenv("TP_MAX_ID") or "1000000")
local counter = 0
-- every caller is logged in: bench/token.sh makes the token
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TP_TOKEN") or "")

request = function()
	counter = counter + 1
	-- a multiplicative hash spreads consecutive requests over the whole table
	local id = (counter * 2654435761) % max_id + 1
	return wrk.format("GET", "/api/v1/talents/" .. id)
end

done = function(summary, latency, requests)
	io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000,
		summary.errors.connect + summary.errors.read + summary.errors.write
			+ summary.errors.timeout, summary.errors.status))
end
