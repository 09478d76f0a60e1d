#!/bin/sh
# Benchmarks (not tests): wrk against the real server on a demo database, both thread models.
#   bench/run.sh [BIN]           env: TALENTS (default 1000000), DURATION (s, default 15),
#                                     CONNS (default 64), BENCH_DB (default var/bench-<N>.db)
# Prints one RESULT line per scenario; docs/performance.md records them.
set -eu
BIN=${1:-build/talentport}
TALENTS=${TALENTS:-1000000}
DURATION=${DURATION:-15}
CONNS=${CONNS:-64}
DB=${BENCH_DB:-var/bench-$TALENTS.db}
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/install-deps)"; exit 1; }
if [ ! -f "$DB" ]; then
	echo "bench: creating $DB with $TALENTS demo talents"
	/usr/bin/time -f "bench: demo took %e s, max RSS %M KiB" "$BIN" demo --db "$DB" --talents "$TALENTS"
fi
echo "bench: machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "bench: database $(du -h "$DB" | cut -f1), $TALENTS talents"

run_model() {
	model=$1
	"$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT --thread-model "$model" --log-level error &
	pid=$!
	i=0
	until curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null; do
		kill -0 $pid 2>/dev/null || { echo "bench: server exited (port $PORT taken?)"; exit 1; }
		i=$((i + 1)); [ $i -gt 100 ] && { echo "bench: server did not start"; kill $pid; exit 1; }
		sleep 0.1
	done
	token=$(bench/token.sh "$BIN" "$DB" $PORT)
	for scenario in talent_by_id talent_list; do
		# warm-up, then the measured run
		TP_TOKEN=$token TP_MAX_ID=$TALENTS wrk -t2 -c$CONNS -d3s -s bench/$scenario.lua http://127.0.0.1:$PORT >/dev/null
		out=$(TP_TOKEN=$token TP_MAX_ID=$TALENTS wrk -t2 -c$CONNS -d${DURATION}s --latency -s bench/$scenario.lua \
			http://127.0.0.1:$PORT | grep RESULT)
		echo "$model $scenario c=$CONNS $out"
	done
	rss=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
	echo "$model peak_rss_kib=$rss"
	kill $pid
	wait $pid 2>/dev/null || true
}
run_model pool
run_model per-connection
