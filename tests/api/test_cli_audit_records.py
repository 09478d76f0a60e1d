"""Operator actions at the command line that must leave an audit record:

- `talentport export talents --unmasked --reason TEXT` writes "pii.unmask" (object
  "talent_export", the stated reason) before a single full number goes out, and exports
  nothing (exit 1) when that record cannot be written; a masked export needs no record;
- `talentport keys rotate` writes "keys.rotate" (object "key", the new key id in hex) after
  the rotation, and `keys rotate --resume` writes "keys.rotate_resume".

Every record keeps the chain whole: `talentport audit verify` exits 0 afterwards.
"""
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest

import harness

TALENTS = 50


def out(p):
    return p.stdout.decode('utf-8', 'replace') + p.stderr.decode('utf-8', 'replace')


class CliAuditRecordsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='tp-cli-audit-')
        self.db = os.path.join(self.dir, 'demo.db')
        self.cli('demo', '--db', self.db, '--talents', str(TALENTS))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def cli(self, *args, code=0):
        """Runs the command, expecting exit status code; a sanitizer report fails the test."""
        p = harness.run_cli(*args)
        err = p.stderr.decode('utf-8', 'replace')
        for mark in harness.SAN_MARKS:
            self.assertNotIn(mark, err, err[-4000:])
        self.assertEqual(p.returncode, code, out(p)[-4000:])
        return p

    def records(self, action):
        p = self.cli('audit', 'list', '--db', self.db, '--action', action, '--limit', '500')
        return [json.loads(line) for line in p.stdout.decode('utf-8').splitlines() if line]

    def verify(self):
        p = self.cli('audit', 'verify', '--db', self.db)
        self.assertRegex(out(p), r'audit log ok: \d+ records')

    def active_key(self):
        p = self.cli('keys', 'status', '--db', self.db)
        m = re.search(r'active key[^:]*:\s*([0-9a-f]{8})', out(p))
        self.assertTrue(m, out(p))
        return m.group(1)

    def test_unmasked_export_is_audited(self):
        self.assertEqual(self.records('pii.unmask'), [])
        reason = 'cli audit test: 核对补贴名单 / subsidy check'
        p = self.cli('export', 'talents', '--db', self.db, '--format', 'csv', '--unmasked',
                     '--reason', reason)
        self.assertIn(b'UNMASKED', p.stderr)
        self.assertEqual(len(p.stdout.decode('utf-8-sig').strip().splitlines()), TALENTS + 1)

        recs = self.records('pii.unmask')
        self.assertEqual(len(recs), 1, recs)
        r = recs[0]
        self.assertEqual((r['action'], r['object_type'], r['object_id'], r['result']),
                         ('pii.unmask', 'talent_export', 'cli', 'ok'))
        self.assertEqual(r['reason'], reason)
        self.assertEqual((r['actor'], r['role'], r['ip']), ('system', 'system', 'cli'))

        # to a file as well: one more record
        path = os.path.join(self.dir, 'full.xlsx')
        self.cli('export', 'talents', '--db', self.db, '--out', path, '--unmasked',
                 '--reason', 'second')
        self.assertTrue(os.path.getsize(path) > 0)
        self.assertEqual([r['reason'] for r in self.records('pii.unmask')], ['second', reason])

        # masked exports are not unmasks: no record
        self.cli('export', 'talents', '--db', self.db, '--format', 'csv')
        self.cli('export', 'talents', '--db', self.db, '--out',
                 os.path.join(self.dir, 'masked.xlsx'))
        self.assertEqual(len(self.records('pii.unmask')), 2)
        self.verify()

    def test_unmasked_export_refused_when_the_record_cannot_be_written(self):
        db = sqlite3.connect(self.db)
        db.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END")
        db.commit()
        db.close()
        p = self.cli('export', 'talents', '--db', self.db, '--format', 'csv', '--unmasked',
                     '--reason', 'must not happen', code=1)
        self.assertEqual(p.stdout, b'')      # not one row went out
        path = os.path.join(self.dir, 'full.csv')
        self.cli('export', 'talents', '--db', self.db, '--out', path, '--unmasked',
                 '--reason', 'must not happen', code=1)
        self.assertFalse(os.path.exists(path))
        # a masked export writes no record, so it still works
        p = self.cli('export', 'talents', '--db', self.db, '--format', 'csv')
        self.assertEqual(len(p.stdout.decode('utf-8-sig').strip().splitlines()), TALENTS + 1)

    def test_keys_rotate_is_audited(self):
        old = self.active_key()
        self.assertEqual(self.records('keys.rotate'), [])
        self.cli('keys', 'rotate', '--db', self.db)
        new = self.active_key()
        self.assertNotEqual(new, old)
        recs = self.records('keys.rotate')
        self.assertEqual(len(recs), 1, recs)
        r = recs[0]
        self.assertEqual((r['object_type'], r['object_id'], r['result'], r['reason']),
                         ('key', new, 'ok', ''))
        self.assertEqual((r['actor'], r['ip']), ('system', 'cli'))
        self.assertEqual(self.records('keys.rotate_resume'), [])

        self.cli('keys', 'rotate', '--db', self.db, '--resume')
        self.assertEqual(self.active_key(), new)  # resume adds no key
        recs = self.records('keys.rotate_resume')
        self.assertEqual(len(recs), 1, recs)
        self.assertEqual((recs[0]['object_type'], recs[0]['object_id'], recs[0]['result']),
                         ('key', new, 'ok'))
        self.assertEqual(len(self.records('keys.rotate')), 1)

        # keys status only reads: no record
        self.active_key()
        self.assertEqual(len(self.records('keys.rotate')), 1)
        self.verify()


if __name__ == '__main__':
    unittest.main()
