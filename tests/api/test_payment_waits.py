"""GET /api/v1/payment-runs/{id}/waits (src/api/payment_waits.c): the entitlements a run left
waiting, and why — for the run-detail page of the web UI.

Worked example (docs/payments.md, "Budgets": when the next line in the order (period_key, id)
does not fit, it waits and so does every later line of that policy-year in the run):
  budget pW 2026 = 150000 fen; confirmed e1 2026-01 100000, e2 2026-02 100000, e3 2026-03 50000
  → e1 is a line (100000 consumed); e2 does not fit (200000 > 150000): waits "budget";
    e3 would fit (150000) but may not overtake e2: waits "budget" too.
  → summary [{budget, 2, 150000}], items e2, e3; the run: 1 line, waiting 2 / 150000.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_payments  # noqa: E402
import test_talents  # noqa: E402


class PaymentWaits(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.aud = srv.staff_token('aud', 'auditor')
        h = {'Authorization': 'Bearer ' + cls.office}
        tids = []
        for i in range(3):
            r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(930 + i), headers=h)
            assert r.status == 201, r.body
            tids.append(r.json['id'])
        # each beneficiary needs a verified account to be paid (talentport bank-accounts import)
        pay_seed.import_accounts(harness.BIN, srv.db, [
            (test_talents.talent_body(930 + i)['id_number'], None,
             test_talents.talent_body(930 + i)['name'], pay_seed.card(930 + i)) for i in range(3)])
        cls.ids = test_payments.seed_pending(srv.db, [
            ('pW', tids[0], '2026-01', 100000), ('pW', tids[1], '2026-02', 100000),
            ('pW', tids[2], '2026-03', 50000)])
        k = 0
        for method, path, body, want in (
                ('POST', '/api/v1/entitlements/confirm', {'ids': cls.ids}, 200),
                ('PUT', '/api/v1/budgets/pW/2026', {'amount_fen': 150000}, 200),
                ('POST', '/api/v1/payment-runs', {'period': '2026-03'}, 201)):
            k += 1
            r = srv.request(method, path, body=body, headers={**h, 'Idempotency-Key': f'w-{k}'})
            assert r.status == want, (path, r.status, r.body[:300])
        cls.run_doc = r.json

    def waits(self, query='', status=200, token=None):
        r = self.server.request('GET', f"/api/v1/payment-runs/{self.run_doc['id']}/waits{query}",
                                headers={'Authorization': 'Bearer ' + (token or self.office)})
        self.assertEqual(r.status, status, r.body[:300])
        return r

    def test_budget_waits_in_order(self):
        self.assertEqual((self.run_doc['lines'], self.run_doc['total_fen']), (1, 100000))
        self.assertEqual((self.run_doc['waiting'], self.run_doc['waiting_fen']), (2, 150000))
        d = self.waits(token=self.aud).json
        self.assertEqual(d['summary'], [{'reason': 'budget', 'count': 2, 'amount_fen': 150000}])
        self.assertEqual([(x['entitlement_id'], x['reason'], x['amount_fen'], x['period_key'],
                           x['policy'], x['budget_year']) for x in d['items']],
                         [(self.ids[1], 'budget', 100000, '2026-02', 'pW', 2026),
                          (self.ids[2], 'budget', 50000, '2026-03', 'pW', 2026)])

    def test_paging_and_errors(self):
        d = self.waits(f'?after={self.ids[1]}&limit=1').json
        self.assertEqual([x['entitlement_id'] for x in d['items']], [self.ids[2]])
        r = self.waits('?limit=5000', status=422)
        self.assertIn('limit', [e['field'] for e in r.json['errors']])
        r = self.server.request('GET', '/api/v1/payment-runs/999999/waits',
                                headers={'Authorization': 'Bearer ' + self.office})
        self.assertEqual(r.status, 404)


if __name__ == '__main__':
    unittest.main()
