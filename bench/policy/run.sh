#!/bin/sh
# The policy benchmark (a benchmark, not a test): the default pack over synthetic talents and
# enterprises in the C engine, the hand-written C loop, json-rules-engine and zen-engine, with
# their totals checked against each other.  docs/performance.md records the figures.
#   bench/policy/run.sh [BUILD]     BUILD: the meson build directory (default build)
#   env: TALENTS (1000000), ENTERPRISES (20000), SEED (20260101), YEAR (2026), REPEAT (3),
#        SAMPLE (talents the JS engines and the checks use, 100000), JRE_TALENTS (its first
#        talents json-rules-engine runs, 20000), THREADS (cores), SKIP_JS=1 (C only)
# The sample's facts documents are written once to var/bench-policy/ (about 50 MB).
set -eu
BUILD=${1:-build}
TALENTS=${TALENTS:-1000000}
ENTERPRISES=${ENTERPRISES:-20000}
SEED=${SEED:-20260101}
YEAR=${YEAR:-2026}
REPEAT=${REPEAT:-3}
SAMPLE=${SAMPLE:-100000}
JRE_TALENTS=${JRE_TALENTS:-20000}
THREADS=${THREADS:-$(nproc)}
SKIP_JS=${SKIP_JS:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/var/bench-policy
FACTS=$OUT/facts-v1-$SEED-$SAMPLE-$ENTERPRISES.jsonl   # v1: the generator of gen.c
EXPECTED=$OUT/expected-$SEED-$SAMPLE-$ENTERPRISES-$YEAR.json
LOG=$OUT/last-run.txt

cd "$ROOT"
mkdir -p "$OUT"
ninja -C "$BUILD" bench_policy >/dev/null
[ "$JRE_TALENTS" -le "$SAMPLE" ] || JRE_TALENTS=$SAMPLE
[ "$JRE_TALENTS" -eq "$SAMPLE" ] || [ "$JRE_TALENTS" -eq 20000 ] || {
	echo "bench/policy: JRE_TALENTS must be 20000 or SAMPLE ($SAMPLE)"; exit 2; }
if [ "$SKIP_JS" != 1 ] && [ ! -d "$HERE/node_modules/@gorules/zen-engine" ]; then
	echo "bench/policy: installing json-rules-engine and @gorules/zen-engine (npm ci)"
	(cd "$HERE" && npm ci --no-audit --no-fund >/dev/null)
fi

echo "bench/policy: $(date -u +%Y-%m-%dT%H:%MZ) machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$LOG"
"$BUILD/bench_policy" --talents "$TALENTS" --enterprises "$ENTERPRISES" --seed "$SEED" --year "$YEAR" \
	--threads "$THREADS" --repeat "$REPEAT" --sample "$SAMPLE" --cases tests/policy/cases \
	--jsonl "$FACTS" --expected "$EXPECTED" | grep -v '^  facts:' | tee -a "$LOG"
if [ "$SKIP_JS" != 1 ]; then
	echo "bench/policy: node $(node --version), json-rules-engine $(node -p "require('$HERE/node_modules/json-rules-engine/package.json').version"), @gorules/zen-engine $(node -p "require('$HERE/node_modules/@gorules/zen-engine/package.json').version")" | tee -a "$LOG"
	(cd "$HERE" && node zen.js --facts "$FACTS" --expected "$EXPECTED" --talents "$SAMPLE") | tee -a "$LOG"
	(cd "$HERE" && node jre.js --facts "$FACTS" --expected "$EXPECTED" --talents "$JRE_TALENTS") | tee -a "$LOG"
fi

# the ratios, from this run's RESULT lines
awk '
	/^RESULT/ { for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2) r[kv[1]] = kv[2] }
	END {
		e = r["engine_talent_policy_evals_per_s"]
		printf "SUMMARY engine %.2f M talent-policy evaluations/s (target >= 5 M)\n", e / 1e6
		if (r["hand_talent_policy_evals_per_s"])
			printf "SUMMARY hand-written C loop %.1f M/s: engine is %.1fx slower (target <= 10x)\n",
				r["hand_talent_policy_evals_per_s"] / 1e6, r["hand_talent_policy_evals_per_s"] / e
		if (r["zen_per_talent_talent_policy_evals_per_s"])
			printf "SUMMARY zen-engine %.0f/s per talent, %.0f/s batched: engine is %.0fx / %.0fx faster (target >= 100x)\n",
				r["zen_per_talent_talent_policy_evals_per_s"], r["zen_batched_talent_policy_evals_per_s"],
				e / r["zen_per_talent_talent_policy_evals_per_s"], e / r["zen_batched_talent_policy_evals_per_s"]
		if (r["jre_talent_policy_evals_per_s"])
			printf "SUMMARY json-rules-engine %.0f/s: engine is %.0fx faster\n",
				r["jre_talent_policy_evals_per_s"], e / r["jre_talent_policy_evals_per_s"]
		printf "SUMMARY explanation of one person: eval JSON %s us, text %s us (target < 1000 us)\n",
			r["explain_eval_json_us"], r["explain_text_us"]
		ok = r["check"] == "ok" && (r["zen_check"] == "" || r["zen_check"] == "ok") && (r["jre_check"] == "" || r["jre_check"] == "ok")
		printf "SUMMARY totals: %s\n", ok ? "every engine agrees" : "DIFFER (see above)"
		exit ok ? 0 : 1
	}' "$LOG" | tee -a "$LOG"
