"""Migration 0022 (enterprise claims): applications rebuilt with talent_id nullable and a
CHECK, by the 12-step procedure of sqlite.org/lang_altertable.html — the upgrade of a
database at the previous schema (0021) with data.

The previous schema is made by hand from a demo database: applications put back exactly
as 0009 + 0018 left it (its DDL, its seven indexes) with the same rows, and 0022 unrecorded;
`talentport migrate` must then apply 0022 alone and keep every row (same values, same ids),
every index (plus the new one), the foreign keys of the tables that refer to applications,
and refuse a row without a talent unless it is an enterprise's benefit application.
"""
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

OLD_TABLE = """CREATE TABLE applications (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	kind TEXT NOT NULL,
	state TEXT NOT NULL,
	talent_id INTEGER NOT NULL REFERENCES talents(id),
	enterprise_id INTEGER REFERENCES enterprises(id),
	town TEXT,
	claimed_tier INTEGER CHECK (claimed_tier BETWEEN 1 AND 7),
	proposed_tier INTEGER CHECK (proposed_tier BETWEEN 1 AND 7),
	final_tier INTEGER CHECK (final_tier BETWEEN 1 AND 7),
	tier_reason TEXT,
	form TEXT NOT NULL DEFAULT '{}',
	proposal TEXT,
	returned_fields TEXT,
	returned_from TEXT,
	submitted_by INTEGER REFERENCES users(id),
	submitted_role TEXT NOT NULL,
	step INTEGER NOT NULL DEFAULT 1,
	step_started_on TEXT NOT NULL,
	deadline TEXT,
	certificate_id INTEGER,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	closed_at TEXT
, policy TEXT, period TEXT, item TEXT)"""
OLD_INDEXES = [
    "CREATE INDEX applications_state ON applications(kind, state, id)",
    "CREATE INDEX applications_talent ON applications(talent_id, id)",
    "CREATE INDEX applications_enterprise ON applications(enterprise_id, id) "
    "WHERE enterprise_id IS NOT NULL",
    "CREATE INDEX applications_town ON applications(town, state, id)",
    "CREATE INDEX applications_deadline ON applications(deadline) WHERE deadline IS NOT NULL",
    "CREATE UNIQUE INDEX applications_open ON applications(kind, talent_id) "
    "WHERE kind = 'identification' AND state NOT IN ('certified', 'rejected', 'withdrawn')",
    "CREATE UNIQUE INDEX applications_benefit_open ON applications(talent_id, policy, period, "
    "item) WHERE kind = 'benefit' AND state NOT IN ('approved', 'rejected', 'withdrawn')",
]
OLD_NAMES = {'applications_state', 'applications_talent', 'applications_enterprise',
             'applications_town', 'applications_deadline', 'applications_open',
             'applications_benefit_open'}


class Migration0022(unittest.TestCase):
    def test_upgrade_with_data(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, 'm.db')
            p = harness.run_cli('demo', '--db', db, '--talents', '200')
            self.assertEqual(p.returncode, 0, p.stderr)
            con = sqlite3.connect(db)
            before = con.execute('SELECT * FROM applications ORDER BY id').fetchall()
            self.assertGreaterEqual(len(before), 5)
            # an enterprise's claim cannot exist at 0021: rows all have a talent
            # back to the previous schema, with the same rows
            con.execute('PRAGMA foreign_keys = OFF')
            con.executescript(
                'BEGIN;'
                'CREATE TABLE applications_keep AS SELECT * FROM applications;'
                'DROP TABLE applications;' + OLD_TABLE + ';' + ';'.join(OLD_INDEXES) + ';'
                'INSERT INTO applications SELECT * FROM applications_keep;'
                'DROP TABLE applications_keep;'
                'DELETE FROM schema_migrations WHERE version = 22;'
                'COMMIT;')
            cols = {r[1]: r[3] for r in con.execute('PRAGMA table_info(applications)')}
            self.assertEqual(cols['talent_id'], 1)   # NOT NULL: the previous schema
            con.close()

            p = harness.run_cli('migrate', '--db', db)
            self.assertEqual(p.returncode, 0, p.stderr)
            con = sqlite3.connect(db)
            try:
                self.assertEqual(con.execute('SELECT * FROM applications ORDER BY id').fetchall(),
                                 before)
                self.assertEqual(con.execute('SELECT count(*) FROM schema_migrations '
                                             'WHERE version = 22').fetchone()[0], 1)
                cols = {r[1]: r[3] for r in con.execute('PRAGMA table_info(applications)')}
                self.assertEqual(cols['talent_id'], 0)
                names = {r[0] for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                    "tbl_name = 'applications' AND sql IS NOT NULL")}
                self.assertEqual(names, OLD_NAMES | {'applications_enterprise_benefit_open'})
                self.assertEqual(con.execute('PRAGMA foreign_key_check').fetchall(), [])
                self.assertEqual(con.execute('PRAGMA integrity_check').fetchone()[0], 'ok')
                # the tables that refer to applications still do, to the new table
                for t in ('application_actions', 'objections', 'reminders', 'entitlements'):
                    refs = {r[2] for r in con.execute(f'PRAGMA foreign_key_list({t})')}
                    self.assertIn('applications', refs, t)
                self.assertEqual(con.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'applications_new'")
                    .fetchone()[0], 0)
                # the CHECK: no talent only for an enterprise's benefit application
                con.execute('PRAGMA foreign_keys = ON')
                eid = con.execute('SELECT min(id) FROM enterprises').fetchone()[0]
                with self.assertRaises(sqlite3.IntegrityError):
                    con.execute("INSERT INTO applications (kind, state, talent_id, enterprise_id, "
                                "submitted_role, step_started_on) VALUES ('identification', "
                                "'office_review', NULL, ?, 'employer', '2026-01-05')", (eid,))
                with self.assertRaises(sqlite3.IntegrityError):
                    con.execute("INSERT INTO applications (kind, state, talent_id, "
                                "submitted_role, step_started_on) VALUES ('benefit', "
                                "'office_review', NULL, 'employer', '2026-01-05')")
                con.execute("INSERT INTO applications (kind, state, talent_id, enterprise_id, "
                            "submitted_role, step_started_on, policy, period, item) VALUES "
                            "('benefit', 'office_review', NULL, ?, 'employer', '2026-01-05', "
                            "'apprentice-training', '2026', '1')", (eid,))
                # one open claim per enterprise and key
                with self.assertRaises(sqlite3.IntegrityError):
                    con.execute("INSERT INTO applications (kind, state, talent_id, enterprise_id, "
                                "submitted_role, step_started_on, policy, period, item) VALUES "
                                "('benefit', 'office_review', NULL, ?, 'office_reviewer', "
                                "'2026-01-05', 'apprentice-training', '2026', '1')", (eid,))
                con.rollback()
            finally:
                con.close()
            # migrating again changes nothing
            p = harness.run_cli('migrate', '--db', db)
            self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == '__main__':
    unittest.main()
