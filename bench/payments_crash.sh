#!/bin/sh
# bench/payments_crash.sh — the long SIGKILL test of payment runs (issue 6): 100,000
# entitlements, 100 SIGKILLs at random moments of two whole cycles (run, submit, approve,
# export, bank results with failures, the next run paying them ...), each followed by a
# restart; then the ledger check, integrity_check and the comparison with an uninterrupted
# cycle on a copy of the same database (tests/api/test_payments_crash.py does the work).
#   bench/payments_crash.sh [path/to/talentport] [entitlements] [kills] [seed]
set -eu
BIN=${1:-build/talentport}
HERE=$(cd "$(dirname "$0")/.." && pwd)
export TALENTPORT_BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
export TP_PAY_CRASH_LINES=${2:-100000}
export TP_PAY_CRASH_KILLS=${3:-100}
[ -n "${4:-}" ] && export TP_PAY_CRASH_SEED=$4
cd "$HERE/tests/api"
exec python3 -m unittest -v test_payments_crash
