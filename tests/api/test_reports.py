"""GET /api/v1/reports/payments (issue 6, item 8; src/domain/payment_report.h): paid, owed
(confirmed, not paid), pending and open clawbacks per policy, month, town and industry chain
against the budget, as JSON (fen) and XLSX.

Worked example (entitlements seeded as a policy run writes them; e6 is of 2025):
  e1 pA T1 2026     600000  confirmed → paid      T1: town 陈埭 (350582102), industry IC
  e2 pB T1 2026-03  150000  confirmed → paid      T2: town 青阳 (350582001), no industry
  e3 pB T2 2026-03  150000  confirmed → paid
  e4 pB T2 2026-04  150000  confirmed (not due by the 2026-03 run: owed)
  e5 pA T2 2026     400000  pending
  e6 pA T1 2025        999  confirmed → paid (due by 2026-03; another year: not in 2026)
  budget pA 2026: 2000000 fen.
"""
import io
import os
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_payments  # noqa: E402
import test_talents  # noqa: E402

PW = harness.PASSWORD


class Reports(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.office2 = srv.staff_token('office2', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.auditor = srv.staff_token('aud', 'auditor')
        h = {'Authorization': 'Bearer ' + cls.office}
        r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(
            801, town=test_talents.TOWN_CHENDAI, industry='IC'), headers=h)
        assert r.status == 201, r.body
        t1 = r.json['id']
        r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(
            802, town=test_talents.TOWN_QINGYANG), headers=h)
        assert r.status == 201, r.body
        t2 = r.json['id']
        pay_seed.import_accounts(harness.BIN, srv.db, [
            (test_talents.make_id(s), None, test_talents.talent_body(s)['name'],
             pay_seed.card(s)) for s in (801, 802)])
        ids = test_payments.seed_pending(srv.db, [
            ('pA', t1, '2026', 600000), ('pB', t1, '2026-03', 150000),
            ('pB', t2, '2026-03', 150000), ('pB', t2, '2026-04', 150000),
            ('pA', t2, '2026', 400000), ('pA', t1, '2025', 999)])
        n = [0]

        def call(token, method, path, body, status):
            n[0] += 1
            r = srv.request(method, path, body=body, headers={
                'Authorization': 'Bearer ' + token, 'Idempotency-Key': f'rep-{n[0]}'})
            assert r.status == status, (path, r.status, r.body[:400])
            return r
        call(cls.office, 'POST', '/api/v1/entitlements/confirm',
             {'ids': ids[:4] + ids[5:]}, 200)
        call(cls.office, 'PUT', '/api/v1/budgets/pA/2026', {'amount_fen': 2000000}, 200)
        rid = call(cls.office, 'POST', '/api/v1/payment-runs', {'period': '2026-03'}, 201).json['id']
        call(cls.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        call(cls.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW}, 200)
        call(cls.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        lines = srv.request('GET', f'/api/v1/payment-runs/{rid}/lines', headers={
            'Authorization': 'Bearer ' + cls.fin}).json['items']
        assert sorted(x['entitlement_id'] for x in lines) == sorted(ids[:3] + ids[5:]), lines
        call(cls.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
             {'results': [{'line_id': x['id'], 'paid': True} for x in lines]}, 200)

    def report(self, query, token=None, status=200):
        r = self.server.request('GET', '/api/v1/reports/payments' + query, headers={
            'Authorization': 'Bearer ' + (token or self.fin)})
        self.assertEqual(r.status, status, r.body[:400])
        return r

    @staticmethod
    def table(doc):
        return {x['key']: (x['entitlements'], x['paid_fen'], x['owed_fen'], x['pending_fen'],
                           x['budget_fen'], x['remaining_fen']) for x in doc['items']}

    def test_by_policy(self):
        doc = self.report('?year=2026&by=policy').json
        self.assertEqual(self.table(doc), {
            'pA': (2, 600000, 0, 400000, 2000000, 2000000 - 600000),
            'pB': (3, 300000, 150000, 0, None, None)})
        t = doc['total']
        self.assertEqual((t['entitlements'], t['paid_fen'], t['owed_fen'], t['pending_fen'],
                          t['budget_fen'], t['remaining_fen']),
                         (5, 900000, 150000, 400000, 2000000, 2000000 - 900000 - 150000))

    def test_by_month_town_industry(self):
        self.assertEqual(self.table(self.report('?year=2026&by=month', self.auditor).json), {
            '03': (2, 300000, 0, 0, None, None), '04': (1, 0, 150000, 0, None, None),
            'year': (2, 600000, 0, 400000, None, None)})
        self.assertEqual(self.table(self.report('?year=2026&by=town', self.office).json), {
            test_talents.TOWN_CHENDAI: (2, 750000, 0, 0, None, None),
            test_talents.TOWN_QINGYANG: (3, 150000, 150000, 400000, None, None)})
        self.assertEqual(self.table(self.report('?year=2026&by=industry').json), {
            'IC': (2, 750000, 0, 0, None, None), '': (3, 150000, 150000, 400000, None, None)})
        doc = self.report('?year=2025&by=policy').json
        self.assertEqual(self.table(doc), {'pA': (1, 999, 0, 0, None, None)})

    def test_xlsx(self):
        r = self.report('?year=2026&by=policy&format=xlsx')
        z = zipfile.ZipFile(io.BytesIO(r.body))
        sheet = z.read('xl/worksheets/sheet1.xml').decode('utf-8')
        strings = z.read('xl/sharedStrings.xml').decode('utf-8') \
            if 'xl/sharedStrings.xml' in z.namelist() else sheet
        for v in ('<v>900000</v>', '<v>150000</v>', '<v>400000</v>', '<v>950000</v>',
                  '<v>1400000</v>'):
            self.assertIn(v, sheet)
        for s in ('pA', 'pB', 'total', 'paid_fen'):
            self.assertIn(s, strings)

    def test_bad_queries(self):
        for q, field in (('?by=policy', 'year'), ('?year=26', 'year'),
                         ('?year=2026&by=county', 'by'), ('?year=2026&format=pdf', 'format')):
            r = self.report(q, status=422)
            self.assertIn(field, [e['field'] for e in r.json['errors']], q)


if __name__ == '__main__':
    unittest.main()
