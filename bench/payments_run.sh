#!/bin/sh
# bench/payments_run.sh — build a payment run of N confirmed entitlements (default 1,000,000).
#   bench/payments_run.sh [path/to/talentport] [entitlements]
# Gives talents 1..N a verified bank account each through the command line, as an office
# loads them (`talentport import talents`, `talentport bank-accounts import`: timed and
# printed too), seeds the entitlements straight into SQLite (tests/api/pay_seed.py: 3
# policies, 10 months, no budget caps), then times `talentport payments run --period
# 2026-10` (every line is due) and prints lines/s, with the CPU time, since the machine may
# be shared.
# Target (issue 6): >= 100,000 lines/s to build the run.
set -eu
BIN=${1:-build/talentport}
N=${2:-1000000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/tp-bench-pay.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/pay.db"
"$BIN" migrate --db "$DB" >/dev/null
python3 - "$HERE/tests/api" "$BIN" "$DB" "$N" "$DIR" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
import pay_seed
binary, db, n, folder = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
t = time.time()
for line in pay_seed.beneficiaries(binary, db, n, folder):
    print(line, end='')
print(f'talents and bank accounts imported in {time.time() - t:.1f} s')
pay_seed.seed(db, n)
PY
/usr/bin/time -f '%e %U %S' -o "$DIR/time" "$BIN" payments run --period 2026-10 --db "$DB" \
	>"$DIR/out"
cat "$DIR/out"
read -r WALL USR SYS <"$DIR/time"
LINES=$(sed -n 's/.*"lines":\([0-9]*\).*/\1/p' "$DIR/out")
python3 - "$LINES" "$WALL" "$USR" "$SYS" <<'PY'
import sys
lines, wall, usr, sys_ = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f'payment run: {lines} lines in {wall:.2f} s wall ({lines / wall:,.0f} lines/s); '
      f'CPU {usr + sys_:.2f} s ({lines / (usr + sys_):,.0f} lines/CPU-s)')
PY
"$BIN" ledger check --db "$DB" >/dev/null
