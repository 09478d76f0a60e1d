"""The apprentice register (企业新型学徒制; issue 7 item 4, migrations/0021):
/api/v1/enterprises/{id}/apprentices over the real server.

Expectations from the brief and the house rules, not from the program's answers:
  - the employer registers and fixes the apprentices of its own enterprise, an office
    reviewer those of any; another enterprise (or its apprentice) is 404, as a missing one;
  - the ID number is personal data: sealed at rest, read back masked only (never in the
    database in plain text);
  - bad input is 422 naming the field (level not intermediate/advanced, a bad ID number,
    completed_on before enrolled_on or without it); the same person twice at one level 409;
  - every change is audited (apprentice.create / apprentice.update).
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402

IDN = test_talents.make_id(311, birth='20040506')
IDN2 = test_talents.make_id(312, birth='20050607')


class Apprentices(harness.ServerTest):
    login_as = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.office = s.staff_token('office', 'office_reviewer')
        cls.ents = []
        for k in (1, 2):
            r = s.request('POST', '/api/v1/enterprises', {
                'name': f'学徒制测试企业{k}', 'credit_code': test_talents.uscc(820 + k),
                'town': test_talents.TOWN_CHENDAI}, headers=cls.h(cls.office))
            assert r.status == 201, r.body
            cls.ents.append(r.json['id'])
        cls.emp = s.staff_token('hr-appr', 'employer', '--enterprise-id', str(cls.ents[0]))
        cls.emp2 = s.staff_token('hr-appr2', 'employer', '--enterprise-id', str(cls.ents[1]))

    @staticmethod
    def h(token):
        return {'Authorization': 'Bearer ' + token}

    def call(self, token, method, path, body=None):
        return self.server.request(method, path, body=body, headers=self.h(token))

    def path(self, k=0, aid=None):
        p = f'/api/v1/enterprises/{self.ents[k]}/apprentices'
        return p if aid is None else f'{p}/{aid}'

    def test_1_register_list_fix(self):
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '陈学徒', 'id_number': IDN, 'level': 'intermediate',
            'enrolled_on': '2026-03-01'})
        self.assertEqual(r.status, 201, r.body)
        a = r.json
        self.assertEqual((a['name'], a['level'], a['enrolled_on'], a['completed_on']),
                         ('陈学徒', 'intermediate', '2026-03-01', None))
        self.assertEqual(a['enterprise_id'], self.ents[0])
        self.assertNotEqual(a['id_number'], IDN)
        self.assertTrue(a['id_number'].startswith(IDN[:6]) and a['id_number'].endswith(IDN[-4:]),
                        a['id_number'])
        self.assertIn('*', a['id_number'])
        # listed for the employer and the office, masked
        for tok in (self.emp, self.office):
            r = self.call(tok, 'GET', self.path())
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual([x['id'] for x in r.json['items']], [a['id']])
            self.assertNotIn(IDN.encode(), r.body)
        # completion recorded
        r = self.call(self.emp, 'PATCH', self.path(aid=a['id']),
                      {'completed_on': '2027-06-30', 'version': a['version']})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['completed_on'], '2027-06-30')
        self.assertEqual(r.json['version'], a['version'] + 1)
        # a stale version is refused
        r = self.call(self.emp, 'PATCH', self.path(aid=a['id']),
                      {'level': 'advanced', 'version': a['version']})
        self.assertEqual(r.status, 409, r.body)
        # the office fixes the level
        r = self.call(self.office, 'PATCH', self.path(aid=a['id']), {'level': 'advanced'})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['level'], 'advanced')
        # the same person at the same level twice: 409; at the other level: a new record
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '陈学徒', 'id_number': IDN, 'level': 'advanced'})
        self.assertEqual(r.status, 409, r.body)
        self.assertIn('id_number', [e['field'] for e in r.json.get('errors', [])])
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '陈学徒', 'id_number': IDN, 'level': 'intermediate'})
        self.assertEqual(r.status, 201, r.body)
        # audited, and the ID number is sealed at rest
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            acts = [x[0] for x in con.execute(
                "SELECT action FROM audit_log WHERE object_type = 'apprentice' ORDER BY id")]
            raw = con.execute('SELECT id_number_enc, id_number_mask FROM apprentices '
                              'WHERE id = ?', (a['id'],)).fetchone()
        finally:
            con.close()
        self.assertEqual(acts.count('apprentice.create'), 2)
        self.assertEqual(acts.count('apprentice.update'), 2)
        self.assertNotIn(IDN.encode(), bytes(raw[0]))
        self.assertEqual(raw[1], a['id_number'])

    def test_2_refusals_name_the_field(self):
        def fields(r):
            return [e['field'] for e in r.json.get('errors', [])]
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '王学徒', 'id_number': IDN2, 'level': 'expert'})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('level', fields(r))
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '王学徒', 'id_number': IDN2[:-1] + ('0' if IDN2[-1] != '0' else '1'),
            'level': 'advanced'})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('id_number', fields(r))
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '王学徒', 'id_number': IDN2, 'level': 'advanced',
            'enrolled_on': '2026-09-01', 'completed_on': '2026-08-31'})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('completed_on', fields(r))
        detail = ' '.join(e['detail'] for e in r.json['errors'])
        self.assertIn('结业', detail)
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '王学徒', 'id_number': IDN2, 'level': 'advanced',
            'completed_on': '2026-08-31'})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('completed_on', fields(r))
        r = self.call(self.emp, 'POST', self.path(), {'name': '王学徒', 'id_number': IDN2,
                                                      'level': 'advanced', 'salary': 1})
        self.assertEqual(r.status, 422, r.body)
        # nothing was written by the refusals
        r = self.call(self.emp, 'GET', self.path())
        self.assertNotIn('王学徒', [x['name'] for x in r.json['items']])

    def test_4_key_rotation_reseals_apprentices(self):
        # `talentport keys rotate` re-seals every sealed value, the register's too: no value
        # stays under the old key, and the register still reads (masked) afterwards
        r = self.call(self.office, 'GET', self.path())
        before = [(x['id'], x['id_number']) for x in r.json['items']]
        self.assertTrue(before)
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            old = {bytes(k) for (k,) in con.execute(
                'SELECT substr(id_number_enc, 2, 4) FROM apprentices')}
        finally:
            con.close()
        p = harness.run_cli('keys', 'rotate', '--db', self.server.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            new = {bytes(k) for (k,) in con.execute(
                'SELECT substr(id_number_enc, 2, 4) FROM apprentices')}
        finally:
            con.close()
        self.assertEqual(len(new), 1)
        self.assertFalse(new & old)
        r = self.call(self.office, 'GET', self.path())
        self.assertEqual([(x['id'], x['id_number']) for x in r.json['items']], before)
        # a new apprentice is sealed under the new key and still unique per person and level
        r = self.call(self.emp, 'POST', self.path(), {
            'name': '陈学徒', 'id_number': IDN, 'level': 'intermediate'})
        self.assertEqual(r.status, 409, r.body)

    def test_3_other_enterprise_is_404(self):
        r = self.call(self.emp2, 'POST', self.path(1), {
            'name': '林学徒', 'id_number': IDN2, 'level': 'advanced',
            'enrolled_on': '2026-02-01'})
        self.assertEqual(r.status, 201, r.body)
        other = r.json['id']
        # employer 1 cannot see enterprise 2's register nor its apprentice
        self.assertEqual(self.call(self.emp, 'GET', self.path(1)).status, 404)
        self.assertEqual(self.call(self.emp, 'POST', self.path(1), {
            'name': 'x', 'id_number': IDN, 'level': 'advanced'}).status, 404)
        self.assertEqual(self.call(self.emp, 'PATCH', self.path(1, other),
                                   {'name': '改名'}).status, 404)
        # ... nor reach it through its own enterprise's path
        self.assertEqual(self.call(self.emp, 'PATCH', self.path(0, other),
                                   {'name': '改名'}).status, 404)
        r = self.call(self.office, 'GET', self.path(1))
        self.assertEqual([x['name'] for x in r.json['items']], ['林学徒'])


if __name__ == '__main__':
    import unittest
    unittest.main()
