"""GET /api/v1/dashboard (issue 7, item 6; src/api/dashboard.c, src/domain/dashboard.h): the
office dashboard's talents by tier, town, industry chain and degree, and applications by
state with the overdue ones.

Worked example (the test's own data on a fresh database; the server's clock is fixed at
2026-11-27 12:00 in UTC+8, so "today" is 2026-11-27):

  talent  tier  town      industry  degree
  D1      3     陈埭      IC        phd
  D2      3     陈埭      TEX       master
  D3      5     青阳      IC        master
  D4      -     青阳      -         bachelor
  D5      -     -         -         -

  → tier {3: 2, 5: 1, none: 2}; town {陈埭: 2, 青阳: 2, none: 1};
    industry {TEX: 1, IC: 2, none: 2} (TEX sorts before IC in the 4341 table);
    degree {bachelor: 1, master: 2, phd: 1, none: 1} (by rank); 5 talents.

  application  talent  state          deadline     overdue?
  A1           D1      town_review    2026-11-26   yes (before today, open)
  A2           D2      town_review    2026-11-27   no  (due today is not late)
  A3           D3      office_review  2026-11-01   yes
  A4           D1      rejected       2026-10-01   no  (final)
  A5           D2      certified      (none)       no
  → identification: town_review 2 (1 overdue), office_review 1 (1), rejected 1, certified 1;
    5 applications, 2 overdue.
"""
import calendar
import io
import os
import sqlite3
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402

CHENDAI, QINGYANG = test_talents.TOWN_CHENDAI, test_talents.TOWN_QINGYANG
NOON_0800 = calendar.timegm((2026, 11, 27, 4, 0, 0))  # 12:00 in UTC+8


class Dashboard(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.clock = harness.FakeClock(NOON_0800)
        cls.server = harness.Server(env=cls.clock.env)
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.aud = srv.staff_token('aud', 'auditor')
        tier = lambda lv: {'level': lv, 'from': '2025-01-01', 'to': '2027-12-31'}  # noqa: E731
        rows = [
            dict(tier=tier(3), town=CHENDAI, industry='IC', degree='phd'),
            dict(tier=tier(3), town=CHENDAI, industry='TEX', degree='master'),
            dict(tier=tier(5), town=QINGYANG, industry='IC', degree='master'),
            dict(town=QINGYANG, degree='bachelor'),
            dict(),
        ]
        cls.tids = []
        for i, over in enumerate(rows):
            r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(910 + i, **over),
                            headers={'Authorization': 'Bearer ' + cls.office})
            assert r.status == 201, r.body
            cls.tids.append(r.json['id'])
        d1, d2, d3 = cls.tids[:3]
        con = sqlite3.connect(srv.db, timeout=10)
        try:
            for tid, state, deadline in ((d1, 'town_review', '2026-11-26'),
                                         (d2, 'town_review', '2026-11-27'),
                                         (d3, 'office_review', '2026-11-01'),
                                         (d1, 'rejected', '2026-10-01'),
                                         (d2, 'certified', None)):
                con.execute("INSERT INTO applications (kind, state, talent_id, submitted_role, "
                            "step_started_on, deadline) VALUES ('identification', ?, ?, "
                            "'talent', '2026-10-01', ?)", (state, tid, deadline))
            con.commit()
        finally:
            con.close()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.clock.close()

    def dash(self, query='', token=None, status=200):
        r = self.server.request('GET', '/api/v1/dashboard' + query, headers={
            'Authorization': 'Bearer ' + (token or self.office)})
        self.assertEqual(r.status, status, r.body[:400])
        return r

    @staticmethod
    def counts(rows):
        return [(x['key'], x['count']) for x in rows]

    def test_talents(self):
        d = self.dash().json
        self.assertEqual(d['today'], '2026-11-27')
        self.assertEqual(d['talents'], 5)
        self.assertEqual(self.counts(d['tier']), [('3', 2), ('5', 1), ('', 2)])
        self.assertEqual(self.counts(d['industry']), [('TEX', 1), ('IC', 2), ('', 2)])
        self.assertEqual(self.counts(d['degree']),
                         [('bachelor', 1), ('master', 2), ('phd', 1), ('', 1)])
        # towns in the reference table's order, none last
        ref = [x['code'] for x in self.server.request('GET', '/api/v1/reference/towns').json['items']]
        want = sorted([(CHENDAI, 2), (QINGYANG, 2)], key=lambda kv: ref.index(kv[0])) + [('', 1)]
        self.assertEqual(self.counts(d['town']), want)
        names = {x['key']: (x['name_zh'], x['name_en']) for x in d['industry']}
        self.assertEqual(names['IC'][0], '集成电路')
        self.assertEqual(names[''], (None, None))
        self.assertEqual({x['key']: x['name_zh'] for x in d['town']}[CHENDAI], '陈埭镇')

    def test_applications(self):
        d = self.dash(token=self.aud).json
        got = {(x['kind'], x['key']): (x['count'], x['overdue']) for x in d['application_states']}
        self.assertEqual(got, {('identification', 'town_review'): (2, 1),
                               ('identification', 'office_review'): (1, 1),
                               ('identification', 'rejected'): (1, 0),
                               ('identification', 'certified'): (1, 0)})
        self.assertEqual((d['applications'], d['overdue']), (5, 2))
        # the same rule as the applications list's overdue filter
        r = self.server.request('GET', '/api/v1/applications?overdue=true', headers={
            'Authorization': 'Bearer ' + self.office})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['total'], 2)

    def test_xlsx(self):
        r = self.dash('?format=xlsx&group=industry', token=self.fin)
        self.assertIn('attachment', r.header('Content-Disposition'))
        z = zipfile.ZipFile(io.BytesIO(r.body))
        sheet = z.read('xl/worksheets/sheet1.xml').decode('utf-8')
        text = sheet + (z.read('xl/sharedStrings.xml').decode('utf-8')
                        if 'xl/sharedStrings.xml' in z.namelist() else '')
        self.assertIn('集成电路', text)
        self.assertEqual(sheet.count('<row'), 1 + 3)  # header + TEX, IC, none: one group
        r = self.dash('?format=xlsx')
        sheet = zipfile.ZipFile(io.BytesIO(r.body)).read('xl/worksheets/sheet1.xml').decode()
        self.assertEqual(sheet.count('<row'), 1 + 3 + 3 + 3 + 4 + 4)

    def test_bad_queries(self):
        for q, field in (('?format=pdf', 'format'), ('?group=age', 'group')):
            r = self.dash(q, status=422)
            self.assertIn(field, [e['field'] for e in r.json['errors']], q)

    def test_roles(self):
        # the full route × role table is tests/api/test_authz_matrix.py
        r = self.server.request('GET', '/api/v1/dashboard', headers={'Authorization': None})
        self.assertEqual(r.status, 401)


if __name__ == '__main__':
    unittest.main()
