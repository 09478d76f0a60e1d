"""A talent keeps their own contact details current (issue 7: the profile form at /me/profile).

From the rules in src/api/access.c and domain/talents.c: a talent may change, in their own
record only, their phone and e-mail (with the record's version); the same validation as any
change applies (a phone is an 11-digit mobile or area code-number; an e-mail has an @), a
refused change stores nothing, a saved one is audited (talent.update) and the phone comes
back masked.  Who the person is (name, ID number, gender) and the office's certification
(tier) stay staff-only: 403 field_forbidden naming the field.  Another talent's record is
answered 404, like a missing one.
"""
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402


class TalentContact(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        office = srv.staff_token('office', 'office_reviewer')
        cls.ids = []
        for n in (801, 802):
            r = srv.request('POST', '/api/v1/talents',
                            test_talents.talent_body(n, phone='13800008888'),
                            headers={'Authorization': 'Bearer ' + office})
            assert r.status == 201, r.body
            cls.ids.append(r.json['id'])
        s, _, _ = srv.account('tc-talent', 'talent', '--talent-id', str(cls.ids[0]))
        cls.token = srv.bearer(s)

    def call(self, method, path, body=None):
        return self.server.request(method, path, body=body,
                                   headers={'Authorization': 'Bearer ' + self.token})

    def me(self):
        r = self.call('GET', f'/api/v1/talents/{self.ids[0]}')
        self.assertEqual(r.status, 200, r.body[:300])
        return r.json

    def test_a_bad_phone_changes_nothing(self):
        before = self.me()
        for bad in ('12345', '1391234567x', '139123456789'):
            r = self.call('PATCH', f'/api/v1/talents/{self.ids[0]}',
                          {'phone': bad, 'version': before['version']})
            self.assertProblem(r, 422, field='phone')
        r = self.call('PATCH', f'/api/v1/talents/{self.ids[0]}',
                      {'email': 'no-at-sign', 'version': before['version']})
        self.assertProblem(r, 422, field='email')
        after = self.me()
        self.assertEqual((after['phone'], after['email'], after['version']),
                         (before['phone'], before['email'], before['version']))

    def test_phone_and_email_saved_masked_and_audited(self):
        before = self.me()
        r = self.call('PATCH', f'/api/v1/talents/{self.ids[0]}',
                      {'phone': '13912345678', 'email': 'me@example.com',
                       'version': before['version']})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual((r.json['phone'], r.json['email'], r.json['version']),
                         ('139****5678', 'me@example.com', before['version'] + 1))
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            rows = con.execute("SELECT actor, role, object_id FROM audit_log WHERE action = "
                               "'talent.update' AND actor = 'tc-talent'").fetchall()
        finally:
            con.close()
        self.assertIn(('tc-talent', 'talent', str(self.ids[0])), rows)
        # the version guards against a change made meanwhile elsewhere
        r = self.call('PATCH', f'/api/v1/talents/{self.ids[0]}',
                      {'email': 'old@example.com', 'version': before['version']})
        self.assertProblem(r, 409, 'stale_version')

    def test_identity_and_tier_stay_staff_only(self):
        for body in ({'name': '改名'}, {'id_number': test_talents.make_id(803)},
                     {'gender': 'F'}, {'tier': 1}, {'town': test_talents.TOWN_CHENDAI}):
            r = self.call('PATCH', f'/api/v1/talents/{self.ids[0]}', body)
            p = self.assertProblem(r, 403, 'field_forbidden')
            self.assertEqual([e['field'] for e in p['errors']], list(body))

    def test_another_talents_record_is_not_found(self):
        r = self.call('PATCH', f'/api/v1/talents/{self.ids[1]}', {'phone': '13912345678'})
        self.assertProblem(r, 404)
        r = self.call('PATCH', '/api/v1/talents/999999', {'phone': '13912345678'})
        self.assertProblem(r, 404)


if __name__ == '__main__':
    unittest.main()
