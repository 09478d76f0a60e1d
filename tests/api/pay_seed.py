"""Seeds confirmed cash entitlements straight into a migrated SQLite database, for the
payment tests and benchmarks (tests/api/test_payments_crash.py, bench/payments_*.sh).

Entitlement i (1-based): policy p<i % npolicies>, talent i, period 2026-MM with MM from
1 + i % 10, amount 1000 + i % 9000 fen, status confirmed.  Deterministic.

beneficiaries() gives talents 1..n and a verified bank account each the way an office
does: `talentport import talents` and `talentport bank-accounts import` of generated files
(docs/payments-accounts.md "Bulk import").  Talent i: ID number 350582 + a birth date +
sequence, name 陈/林/王… + two given characters, card 622200 + i + its Luhn digit.
"""
import os
import sqlite3
import subprocess
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = '10X98765432'
SUR = '陈林王张李黄吴许蔡洪施郑'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚'


def id_number(i):
    """A valid, unique ID number for talent i (i < 13,000,000)."""
    day, seq = divmod(i, 1000)
    y, rest = divmod(day, 336)
    s17 = '350582%04d%02d%02d%03d' % (1960 + y, 1 + rest // 28, 1 + rest % 28, seq)
    return s17 + C[sum(int(a) * b for a, b in zip(s17, W)) % 11]


def name(i):
    return SUR[i % len(SUR)] + GIVEN[i // len(SUR) % len(GIVEN)] + \
        GIVEN[i // (len(SUR) * len(GIVEN)) % len(GIVEN)]


def card(i):
    body = '622200%09d' % i
    total = 0
    for k, ch in enumerate(reversed(body)):
        d = int(ch)
        if k % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def import_accounts(binary, db, people, folder=None):
    """Verified accounts through `talentport bank-accounts import` (all or nothing):
    people = [(id_number or None, credit_code or None, name, account_number)].  Raises
    on any refusal; returns the command's output."""
    import tempfile
    with tempfile.TemporaryDirectory(dir=folder) as d:
        path = os.path.join(d, 'accounts.csv')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write('身份证号,统一社会信用代码,开户银行,开户网点,户名,账号\r\n')
            for idn, code, nm, number in people:
                f.write(f'{idn or ""},{code or ""},中国工商银行,晋江支行,{nm},{number}\r\n')
        p = subprocess.run([binary, 'bank-accounts', 'import', path, '--all-or-nothing',
                            '--db', db], capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f'bank-accounts import: {p.stdout!r} {p.stderr!r}')
        return p.stdout.decode()


def beneficiaries(binary, db, n, folder):
    """Talents 1..n (on a fresh database: ids follow the file) with a bank account each,
    through the command line; returns the import's output."""
    talents = os.path.join(folder, 'talents.csv')
    accounts = os.path.join(folder, 'accounts.csv')
    with open(talents, 'w', encoding='utf-8', newline='') as t, \
            open(accounts, 'w', encoding='utf-8', newline='') as a:
        t.write('姓名,身份证号\r\n')
        a.write('身份证号,开户银行,开户网点,户名,账号\r\n')
        for i in range(1, n + 1):
            idn, nm = id_number(i), name(i)
            t.write(f'{nm},{idn}\r\n')
            a.write(f'{idn},中国工商银行,晋江支行,{nm},{card(i)}\r\n')
    out = []
    for args in (('import', 'talents', talents, '--all-or-nothing'),
                 ('bank-accounts', 'import', accounts, '--all-or-nothing')):
        p = subprocess.run([binary, *args, '--db', db], capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f'{args[0]}: {p.stdout!r} {p.stderr!r}')
        out.append(p.stdout.decode())
    os.unlink(talents)
    os.unlink(accounts)
    return out


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
    # pay_seed.py DB N [TALENTPORT]: with the binary, talents 1..N with accounts first
    if len(sys.argv) > 3:
        for line in beneficiaries(sys.argv[3], sys.argv[1], int(sys.argv[2]),
                                  os.path.dirname(os.path.abspath(sys.argv[1]))):
            print(line, end='')
    seed(sys.argv[1], int(sys.argv[2]))
