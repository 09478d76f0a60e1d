#!/bin/sh
# Soak: wrk against GET /api/v1/talents/{id} for MINUTES minutes (default 10) at 64
# connections, one slice a minute; prints req/s, p99, errors and the server's RSS after
# each slice, so a leak or a slowdown shows as a trend.
#   bench/soak.sh [BIN]     env: MINUTES, TALENTS (default 1000000), BENCH_DB, PORT
set -eu
BIN=${1:-build/talentport}
MINUTES=${MINUTES:-10}
TALENTS=${TALENTS:-1000000}
DB=${BENCH_DB:-var/bench-$TALENTS.db}
PORT=${PORT:-18191}
[ -f "$DB" ] || "$BIN" demo --db "$DB" --talents "$TALENTS"
"$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT --log-level error &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
until curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null; do
	kill -0 $pid 2>/dev/null || { echo "soak: server exited"; exit 1; }
	i=$((i + 1)); [ $i -gt 100 ] && { echo "soak: server did not start"; exit 1; }
	sleep 0.1
done
token=$(bench/token.sh "$BIN" "$DB" $PORT)
echo "soak: start rss_kib=$(grep VmRSS /proc/$pid/status | awk '{print $2}')"
m=1
while [ $m -le "$MINUTES" ]; do
	out=$(TP_TOKEN=$token TP_MAX_ID=$TALENTS wrk -t2 -c64 -d60s --latency -s bench/talent_by_id.lua \
		http://127.0.0.1:$PORT | grep RESULT)
	echo "soak: minute $m $out rss_kib=$(grep VmRSS /proc/$pid/status | awk '{print $2}')"
	m=$((m + 1))
done
