"""GET /api/v1/entitlements (the web UI's confirmation page lists a policy's pending
entitlements one by one with it; src/api/entitlements_list.c).

Three tier-3 talents (talent-allowance, default pack: 80000 元 a year, floor(annual × n / 12)
元 for n insured months): A with 12 insured months of 2026 → 8000000 fen, B with 9 →
floor(80000 × 9 / 12) = 60000 元 = 6000000 fen, C with 6 → 40000 元 = 4000000 fen.  After
the policy run of 2026 their allowances are pending; the list by policy and status shows
exactly those three (in id order, with their amounts), pages by `after`/`limit`; once B's is
cancelled it is listed as cancelled with its reason and no longer as pending; a month key
finds none (the allowance is yearly); bad parameters are 422 naming the field; the other
roles' answers are in test_authz_matrix.py.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402

POLICY = 'talent-allowance'


class EntitlementsList(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        cls.fin = srv.staff_token('fin', 'finance')
        cls.tids = []
        for seq, months in ((801, range(1, 13)), (802, range(1, 10)), (803, range(1, 7))):
            r = srv.request('POST', '/api/v1/talents', {
                'name': f'列表{seq}', 'id_number': test_talents.make_id(seq, birth='19900101'),
                'tier': {'level': 3, 'from': '2024-01-01', 'to': '2028-12-31'},
                'insured_months': {'2026': list(months)}})
            assert r.status == 201, r.body
            cls.tids.append(r.json['id'])
        p = harness.run_cli('policy', 'run', '--db', srv.db, '--pack', harness.PACK,
                            '--period', '2026')
        assert p.returncode == 0, p.stderr

    def list(self, query, token=None, status=200):
        h = {'Authorization': 'Bearer ' + token} if token else {}
        r = self.get('/api/v1/entitlements' + query, headers=h)
        self.assertEqual(r.status, status, r.body[:500])
        return r.json

    def mine(self, items):
        """(beneficiary, amount, status) of the items of this test's talents."""
        return [(x['beneficiary_id'], x['amount_fen'], x['status']) for x in items
                if x['beneficiary_id'] in self.tids]

    def test_list_page_and_cancel(self):
        a, b, c = self.tids
        doc = self.list(f'?period=2026&status=pending&policy={POLICY}&limit=1000')
        self.assertEqual(self.mine(doc['items']),
                         [(a, 8000000, 'pending'), (b, 6000000, 'pending'), (c, 4000000, 'pending')])
        ids = [x['id'] for x in doc['items']]
        self.assertEqual(ids, sorted(ids))
        x = next(x for x in doc['items'] if x['beneficiary_id'] == a)
        self.assertEqual((x['policy'], x['period_key'], x['kind'], x['instalment'], x['adjusts'],
                          x['beneficiary_kind'], x['quantity']),
                         (POLICY, '2026', 'cash', 1, None, 'talent', None))
        self.assertIsNone(doc['next_after'])
        # pages of one: the first page is full and says where the next begins
        first = self.list(f'?period=2026&status=pending&policy={POLICY}&limit=1')
        self.assertEqual([y['id'] for y in first['items']], ids[:1])
        self.assertEqual(first['next_after'], ids[0])
        second = self.list(f'?period=2026&status=pending&policy={POLICY}&limit=1&after={ids[0]}')
        self.assertEqual([y['id'] for y in second['items']], ids[1:2])
        # finance reads it too
        self.assertEqual(len(self.list(f'?period=2026&status=pending&policy={POLICY}&limit=1000',
                                       token=self.fin)['items']), len(ids))
        # B's allowance cancelled: listed as cancelled with its reason, no longer pending
        eb = next(y['id'] for y in doc['items'] if y['beneficiary_id'] == b)
        r = self.post(f'/api/v1/entitlements/{eb}/cancel', {'reason': '重复计算'},
                      headers={'Idempotency-Key': 'ent-list-cancel-1'})
        self.assertEqual(r.status, 200, r.body)
        doc = self.list(f'?period=2026&status=pending&policy={POLICY}&limit=1000')
        self.assertEqual(self.mine(doc['items']), [(a, 8000000, 'pending'), (c, 4000000, 'pending')])
        doc = self.list(f'?period=2026&status=cancelled&policy={POLICY}')
        (y,) = [y for y in doc['items'] if y['id'] == eb]
        self.assertEqual((y['status'], y['note'], y['amount_fen']), ('cancelled', '重复计算', 6000000))
        # a yearly policy has no month keys
        self.assertEqual(self.list(f'?period=2026-03&policy={POLICY}')['items'], [])

    def test_bad_parameters(self):
        for q, field in (('', 'period'), ('?period=26', 'period'), ('?period=2026-3', 'period'),
                         ('?period=2026&status=done', 'status'), ('?period=2026&limit=0', 'limit'),
                         ('?period=2026&limit=1001', 'limit'), ('?period=2026&after=x', 'after')):
            self.assertProblem(self.get('/api/v1/entitlements' + q), 422, field=field)


if __name__ == '__main__':
    unittest.main()
