"""kill -9 during `talentport import talents`: the import is one transaction, so a crash at any
moment leaves either none of the file's rows or all of them (with its `imports` record), and
an intact database that the next import completes.

The run is measured once without interruption (on a database of its own); the kills are then
spread over that run time (start-up, reading, the inserts, the commit).  Each attempt imports
a file of distinct talents, so that "all rows in" and "none in" can be told apart by counts.
ID numbers are made here with the GB 11643 MOD 11-2 weights.
"""
import datetime
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

import harness

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = '10X98765432'
ROWS = int(os.environ.get('TP_CRASH_ROWS', '20000'))
KILLS = 5
SLOW_RUN = 10.0  # seconds: an uninterrupted import slower than this halves the files


def make_id(birth, seq):
    first17 = f'350582{birth:%Y%m%d}{seq:03d}'
    return first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def write_csv(path, file_no, rows):
    """rows distinct valid talents; file_no keeps every file's ID numbers apart (birth dates
    from 1950 on, 900 people per day, 30 days per file number)."""
    start = datetime.date(1950, 1, 1) + datetime.timedelta(days=30 * file_no)
    lines = ['姓名,身份证号,所在镇街,学历,毕业院校']
    for i in range(rows):
        idn = make_id(start + datetime.timedelta(days=i // 900), 100 + i % 900)
        lines.append(f'崩溃{file_no}-{i},{idn},350582102,本科,华侨大学')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def db_state(db):
    """(integrity_check, talents, imports, imports with rows_imported = ROWS committed)."""
    con = sqlite3.connect(db)
    try:
        integrity = con.execute('PRAGMA integrity_check').fetchone()[0]
        fk = con.execute('PRAGMA foreign_key_check').fetchall()
        talents = con.execute('SELECT count(*) FROM talents').fetchone()[0]
        imports = con.execute('SELECT count(*) FROM imports').fetchone()[0]
        complete = con.execute('SELECT count(*) FROM imports WHERE committed = 1').fetchone()[0]
    finally:
        con.close()
    return integrity, fk, talents, imports, complete


class CrashDuringImport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='tp-crash-')
        self.dir = self.tmp.name
        self.rows = ROWS

    def tearDown(self):
        self.tmp.cleanup()

    def migrate(self, db):
        p = harness.run_cli('migrate', '--db', db)
        self.assertEqual(p.returncode, 0, p.stderr.decode('utf-8', 'replace'))

    def csv(self, n):
        path = os.path.join(self.dir, f'talents-{n}.csv')
        if not os.path.exists(path):
            write_csv(path, n, self.rows)
        return path

    def import_cmd(self, path, db):
        return [harness.BIN, 'import', 'talents', path, '--db', db]

    def timed_import(self, path, db):
        start = time.monotonic()
        p = harness.run_cli('import', 'talents', path, '--db', db, timeout=300)
        took = time.monotonic() - start
        self.assertEqual(p.returncode, 0, p.stderr.decode('utf-8', 'replace'))
        return took

    def test_sigkill_during_import(self):
        # an uninterrupted run first, on a database of its own, to know how long one takes
        base_db = os.path.join(self.dir, 'base.db')
        self.migrate(base_db)
        took = self.timed_import(self.csv(0), base_db)
        if took > SLOW_RUN and self.rows > 2000:  # a slow (sanitizer) build: smaller files
            self.rows //= 2
            os.remove(self.csv(0))
            base_db = os.path.join(self.dir, 'base2.db')
            self.migrate(base_db)
            took = self.timed_import(self.csv(0), base_db)
        integrity, _, talents, imports, complete = db_state(base_db)
        self.assertEqual((integrity, talents, imports, complete), ('ok', self.rows, 1, 1))

        db = os.path.join(self.dir, 'crash.db')
        self.migrate(db)
        killed = 0
        retry = None  # a file a killed import left out: imported again at the end
        for k in range(KILLS):
            path = self.csv(k + 1)
            integrity, fk, talents0, imports0, complete0 = db_state(db)
            delay = took * (0.1 + 0.8 * k / (KILLS - 1))
            proc = subprocess.Popen(self.import_cmd(path, db), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            if proc.returncode == -signal.SIGKILL:
                killed += 1
            else:
                self.assertEqual(proc.returncode, 0, f'attempt {k}: exit {proc.returncode}')
            integrity, fk, talents, imports, complete = db_state(db)
            where = f'attempt {k} (killed after {delay:.2f}s of {took:.2f}s, ' \
                    f'exit {proc.returncode})'
            self.assertEqual(integrity, 'ok', where)
            self.assertEqual(fk, [], where)
            self.assertIn(talents - talents0, (0, self.rows), where)
            rows_in = talents - talents0 == self.rows
            # the imports record is written in the same transaction as the rows
            self.assertEqual(imports - imports0, 1 if rows_in else 0, where)
            self.assertEqual(complete - complete0, 1 if rows_in else 0, where)
            if not rows_in and retry is None:
                retry = path
        self.assertGreater(killed, 0, 'every import finished before its kill: no crash tested')

        # the next import after the crashes completes with all its rows
        _, _, talents0, imports0, _ = db_state(db)
        self.timed_import(retry or self.csv(KILLS + 1), db)
        integrity, fk, talents, imports, complete = db_state(db)
        self.assertEqual(integrity, 'ok')
        self.assertEqual(fk, [])
        self.assertEqual(talents, talents0 + self.rows)
        self.assertEqual(imports, imports0 + 1)
        con = sqlite3.connect(db)
        try:
            last = con.execute('SELECT rows_total, rows_imported, rows_failed, committed '
                               'FROM imports ORDER BY id DESC LIMIT 1').fetchone()
        finally:
            con.close()
        self.assertEqual(last, (self.rows, self.rows, 0, 1))


if __name__ == '__main__':
    unittest.main()
