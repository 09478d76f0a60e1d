"""`talentport audit`: the audit log seen from the command line — verify names a record
changed or removed behind the server's back (with the sqlite3 shell, as an intruder with
the database file would), list prints JSON lines, archive moves old records to a signed
file and verify-archive catches a changed file.

Records are made by `talentport user add` (every account change is audited); the tests
skip when that command is not there.  Time is moved forward with TALENTPORT_TEST_CLOCK
(core/clock.h) to make records old enough to archive.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import harness

PASSWORD = b'correct horse battery staple 42\n'


def out(p):
    return p.stdout.decode('utf-8', 'replace') + p.stderr.decode('utf-8', 'replace')


def have_command(name):
    p = harness.run_cli('help')
    return re.search(rf'(?m)^\s+{name}\s', p.stdout.decode('utf-8', 'replace')) is not None


class AuditCliTest(unittest.TestCase):
    def setUp(self):
        if not have_command('user'):
            self.skipTest('talentport user add (which writes audit records) is not built yet')
        if not shutil.which('sqlite3'):
            self.skipTest('the sqlite3 shell is not installed')
        self.dir = tempfile.mkdtemp(prefix='tp-audit-')
        self.db = os.path.join(self.dir, 'audit.db')
        p = harness.run_cli('migrate', '--db', self.db)
        self.assertEqual(p.returncode, 0, out(p))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def add_users(self, *names, env=None):
        for name in names:
            p = harness.run_cli('user', 'add', '--db', self.db, '--username', name, '--role',
                                'auditor', '--password-stdin', input_bytes=PASSWORD, env=env)
            self.assertEqual(p.returncode, 0, out(p))

    def audit(self, *args, env=None):
        return harness.run_cli('audit', *args, env=env)

    def sql(self, statement, check=True):
        p = subprocess.run(['sqlite3', self.db, statement], capture_output=True, timeout=60)
        if check:
            self.assertEqual(p.returncode, 0, out(p))
        return p

    def records(self):
        return int(self.sql('SELECT count(*) FROM audit_log').stdout)

    def verify_ok(self):
        p = self.audit('verify', '--db', self.db)
        self.assertEqual(p.returncode, 0, out(p))
        m = re.search(r'audit log ok: (\d+) records', out(p))
        self.assertTrue(m, out(p))
        return int(m.group(1))

    def test_verify_names_a_changed_record(self):
        self.add_users('auditor1', 'auditor2')
        n = self.records()
        self.assertGreaterEqual(n, 2)
        self.assertEqual(self.verify_ok(), n)
        self.sql("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' "
                 "WHERE id = 1")
        p = self.audit('verify', '--db', self.db)
        self.assertEqual(p.returncode, 1, out(p))
        self.assertIn('record 1: hash mismatch', out(p))
        self.assertIn('记录 1', out(p))

    def test_verify_names_the_record_after_a_removed_one(self):
        self.add_users('auditor1', 'auditor2', 'auditor3')
        self.assertGreaterEqual(self.records(), 3)
        self.sql('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2')
        p = self.audit('verify', '--db', self.db)
        self.assertEqual(p.returncode, 1, out(p))
        self.assertIn('record 3: link broken', out(p))

    def test_the_log_refuses_update_and_delete(self):
        self.add_users('auditor1')
        for statement in ("UPDATE audit_log SET actor = 'mallory'", 'DELETE FROM audit_log'):
            p = self.sql(statement, check=False)
            self.assertNotEqual(p.returncode, 0, statement)
            self.assertIn('append-only', out(p))
        self.verify_ok()

    def test_list_prints_json_lines(self):
        self.add_users('auditor1', 'auditor2')
        p = self.audit('list', '--db', self.db, '--limit', '1')
        self.assertEqual(p.returncode, 0, out(p))
        lines = p.stdout.decode().splitlines()
        self.assertEqual(len(lines), 1)
        rec = json.loads(lines[0])
        self.assertEqual(rec['id'], self.records())  # newest first
        for key in ('at', 'actor', 'role', 'ip', 'action', 'object_type', 'object_id',
                    'result', 'reason', 'change_hash', 'prev_hash', 'hash'):
            self.assertIn(key, rec)
        self.assertRegex(rec['at'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')
        p = self.audit('list', '--db', self.db, '--action', 'no.such.action')
        self.assertEqual(p.returncode, 0, out(p))
        self.assertEqual(p.stdout, b'')
        for bad in (('--limit', '0'), ('--limit', '501'), ('--from', 'yesterday'),
                    ('--result', 'maybe')):
            p = self.audit('list', '--db', self.db, *bad)
            self.assertEqual(p.returncode, 2, (bad, out(p)))

    def test_usage_errors(self):
        for args in ((), ('nope',), ('archive', '--db', self.db), ('verify-archive',),
                     ('verify', '--bogus')):
            p = self.audit(*args)
            self.assertEqual(p.returncode, 2, (args, out(p)))

    def test_recent_records_cannot_be_deleted_even_with_a_forged_archive_row(self):
        """0007: the database itself keeps 180 days.  Someone who inserts an archive row
        behind the program's back still cannot delete recent records (the triggers in
        place), and `audit verify` still passes on the untouched log."""
        self.add_users('auditor1', 'auditor2')
        n = self.records()
        last = self.sql(f'SELECT hash FROM audit_log WHERE id = {n}').stdout.decode().strip()
        self.sql("INSERT INTO audit_archives (first_id, last_id, last_hash, file_sha256, "
                 f"archived_at, archived_by) VALUES (1, {n}, '{last}', 'x', '2020-01-01', 'x')")
        p = self.sql('DELETE FROM audit_log WHERE id <= 2', check=False)
        self.assertNotEqual(p.returncode, 0, out(p))
        self.assertIn('180 days', out(p))
        self.assertEqual(self.records(), n)

    def test_archive_refuses_recent_records(self):
        self.add_users('auditor1')
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        path = os.path.join(self.dir, 'a.jsonl')
        p = self.audit('archive', '--db', self.db, '--before', today, '--out', path)
        self.assertEqual(p.returncode, 1, out(p))
        self.assertIn('180', out(p))
        self.assertFalse(os.path.exists(path))

    def test_archive_and_verify_archive(self):
        # the records are made a year ago (the injected clock), so they are past the
        # retention by the program's clock and by the database's own trigger (0007), which
        # reads the real time
        clock = os.path.join(self.dir, 'clock')
        earlier = int(time.time()) - 365 * 86400
        with open(clock, 'w') as f:
            f.write(str(earlier))
        self.add_users('auditor1', 'auditor2', env={'TALENTPORT_TEST_CLOCK': clock})
        n = self.records()
        env = None
        before = (datetime.datetime.now(datetime.timezone.utc).date()
                  - datetime.timedelta(days=180)).isoformat()
        path = os.path.join(self.dir, 'archive-1.jsonl')
        p = self.audit('archive', '--db', self.db, '--before', before, '--out', path, env=env)
        self.assertEqual(p.returncode, 0, out(p))
        self.assertIn(f'archived {n} records', out(p))
        self.assertEqual(self.records(), 1)  # the audit.archive record
        self.assertEqual(self.verify_ok(), 1)
        self.add_users('auditor3', env=env)
        self.verify_ok()

        p = self.audit('verify-archive', path, '--db', self.db)
        self.assertEqual(p.returncode, 0, out(p))
        self.assertIn(f'archive ok: {n} records', out(p))
        # the archived range cannot come back, and the file is never overwritten
        p = self.audit('archive', '--db', self.db, '--before', before, '--out', path, env=env)
        self.assertEqual(p.returncode, 1, out(p))

        with open(path, 'rb') as f:
            data = f.read()
        changed = data.replace(b'"ip":"cli"', b'"ip":"10.0.0.1"', 1)
        self.assertNotEqual(changed, data)
        bad = os.path.join(self.dir, 'changed.jsonl')
        with open(bad, 'wb') as f:
            f.write(changed)
        p = self.audit('verify-archive', bad)
        self.assertEqual(p.returncode, 1, out(p))
        self.assertIn('signature', out(p))


class AuditApiTest(unittest.TestCase):
    """GET /api/v1/audit and /api/v1/audit/export on a real server: auditors only, keyset
    paging, field errors, and every read of the log is itself a record."""

    @classmethod
    def setUpClass(cls):
        if not hasattr(harness.Server, 'account'):
            raise unittest.SkipTest('the harness cannot make accounts yet')
        cls.server = harness.Server()
        try:
            cls.auditor, _, _ = cls.server.account('auditor1', 'auditor')
            cls.reviewer, _, _ = cls.server.account('office1', 'office_reviewer')
        except Exception:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        report = cls.server.stop()
        if report:
            raise AssertionError('sanitizer report from the server:\n' + report[-6000:])

    def get(self, path, who=None, lang=None):
        headers = {'Accept-Language': lang} if lang else None
        return (who or self.auditor).request('GET', path, headers=headers)

    def test_only_auditors_read_the_log(self):
        for path in ('/api/v1/audit', '/api/v1/audit/export'):
            r = self.get(path, who=self.reviewer)
            self.assertEqual(r.status, 403, path)
            r = self.server.request('GET', path, headers={'Authorization': None})
            self.assertEqual(r.status, 401, path)
        # the refusals were recorded
        r = self.get('/api/v1/audit?action=access.denied&limit=500')
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(any(i['actor'] == 'office1' for i in r.json['items']), r.json)

    def test_pages_and_the_read_itself_is_audited(self):
        r = self.get('/api/v1/audit?limit=2')
        self.assertEqual(r.status, 200, r.body)
        page = r.json
        self.assertEqual(len(page['items']), 2)
        self.assertGreaterEqual(page['total'], 3)
        first = page['items'][0]
        self.assertEqual((first['action'], first['actor'], first['role']),
                         ('audit.read', 'auditor1', 'auditor'))
        self.assertGreater(first['id'], page['items'][1]['id'])  # newest first
        self.assertEqual(page['items'][0]['prev_hash'], page['items'][1]['hash'])
        r = self.get(f"/api/v1/audit?limit=2&after={page['next_after']}")
        self.assertEqual(r.status, 200, r.body)
        self.assertLess(r.json['items'][0]['id'], page['items'][1]['id'])
        r = self.get('/api/v1/audit?order=oldest&limit=1')
        self.assertEqual(r.json['items'][0]['id'], 1)
        self.assertEqual(r.json['items'][0]['prev_hash'], '0' * 64)
        r = self.get('/api/v1/audit?result=failed&actor=nobody')
        self.assertEqual((r.json['items'], r.json['total'], r.json['next_after']), ([], 0, None))

    def test_bad_filters_are_field_errors(self):
        r = self.get('/api/v1/audit?limit=501&from=yesterday&result=maybe&after=x&order=up',
                     lang='en')
        self.assertEqual(r.status, 422, r.body)
        fields = {e['field'] for e in r.json['errors']}
        self.assertEqual(fields, {'limit', 'from', 'result', 'after', 'order'})
        r = self.get('/api/v1/audit/export?format=pdf')
        self.assertEqual(r.status, 422, r.body)

    def test_export(self):
        r = self.get('/api/v1/audit/export?format=csv&from=2000-01-01')
        self.assertEqual(r.status, 200, r.body)
        self.assertIn('attachment', r.header('Content-Disposition'))
        text = r.body.decode('utf-8-sig')
        rows = text.strip().split('\r\n')
        self.assertTrue(rows[0].startswith('编号,'), rows[0])
        self.assertIn('audit.export', rows[1])  # the export is recorded before it runs
        r = self.get('/api/v1/audit/export?format=xlsx')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body[:2], b'PK')


if __name__ == '__main__':
    unittest.main()
