"""Seeds confirmed cash entitlements straight into a migrated SQLite database, for the
payment tests and benchmarks (tests/api/test_payments_crash.py, bench/payments_*.sh).

Entitlement i (1-based): policy p<i % npolicies>, talent i, period 2026-MM with MM from
1 + i % 10, amount 1000 + i % 9000 fen, status confirmed.  Deterministic.
"""
import sqlite3
import sys


def seed(db, n, npolicies=3, status='confirmed', start=1, year=2026):
    con = sqlite3.connect(db)
    try:
        con.execute('PRAGMA synchronous = OFF')
        cur = con.execute(
            "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, "
            "talents, enterprises, skipped, entitlements, kept, total_fen, status) VALUES "
            "(?, 'seed', 'seed', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0, 0, 0, ?, 0, 0, "
            "'done')", (year, n))
        run = cur.lastrowid

        def rows():
            for i in range(start, start + n):
                yield (run, f'p{i % npolicies}', 'talent', i, '', f'{year}-{1 + i % 10:02d}', 1,
                       'cash', 1000 + i % 9000, status, 'seed', '2026-01-01T00:00:00Z')
        con.executemany(
            'INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, '
            'period_key, instalment, kind, amount_fen, status, explanation_hash, created_at) '
            'VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', rows())
        con.commit()
        con.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        con.execute('ANALYZE')
    finally:
        con.close()


if __name__ == '__main__':
    seed(sys.argv[1], int(sys.argv[2]))
