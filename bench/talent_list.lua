-- wrk script: a filtered, paginated list (town + tier, 20 per page, pages 1..50).
local towns = {"350582102", "350582100", "350582001", "350582101", "350582106"}
local counter = 0
-- every caller is logged in: bench/token.sh makes the token
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TP_TOKEN") or "")

request = function()
	counter = counter + 1
	local town = towns[counter % #towns + 1]
	local page = counter % 50 + 1
	return wrk.format("GET", "/api/v1/talents?town=" .. town .. "&tier=6&per_page=20&page=" .. page)
end

done = function(summary, latency, requests)
	io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000,
		summary.errors.connect + summary.errors.read + summary.errors.write
			+ summary.errors.timeout, summary.errors.status))
end
