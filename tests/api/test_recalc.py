"""Retroactive changes (issue 6, item 6; docs/payments.md "Retroactive changes";
src/domain/recalc.h) over the real server.

Two tier-3 talents (talent-allowance: 80000 元 a year, floor(annual × n / 12) in whole 元 for
n insured months): A with 10 insured months in 2026 (floor(80000 × 10 / 12) = 66666 元 =
6666600 fen), B with 12 (80000 元 = 8000000 fen).  Both are confirmed and paid.  Then:
  1. A's insured months for 2026 are corrected to 12 (PATCH): a recalculation writes one
     arrears adjustment for A: 8000000 - 6666600 = 1333400 fen; B unchanged;
  2. recalculating again writes nothing;
  3. the pack (a copy in a temp folder, served with --pack) gets a new value of the tier-3
     allowance, 72000 元 since 2026-01-01: A is owed 8000000 so far and now 7200000 → a
     clawback of 800000; B the same → a clawback of 800000; again: nothing;
  4. the arrears are confirmed and paid by the next run, net of A's clawback (offset against
     the line: 1333400 - 800000 = 533400 fen to the bank; A's clawback settled); a clawback
     cannot be confirmed and is never a bank line of its own; staff waive B's
     (POST /api/v1/entitlements/{id}/waive), A's settled one is no longer open, and a later
     recalculation does not undo that.
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_talents  # noqa: E402

PW = harness.PASSWORD
PACK = harness.PACK


def query(db, sql, *params):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


class Recalc(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.pack = tempfile.mkdtemp(prefix='tp-recalc-pack-')
        shutil.rmtree(cls.pack)
        shutil.copytree(PACK, cls.pack)
        cls.server = harness.Server(args=('--pack', cls.pack))
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.office2 = srv.staff_token('office2', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.auditor = srv.staff_token('aud', 'auditor')
        cls.tids = []
        for seq, months in ((701, range(1, 11)), (702, range(1, 13))):
            r = srv.request('POST', '/api/v1/talents', {
                'name': f'重算{seq}', 'id_number': test_talents.make_id(seq, birth='19900101'),
                'tier': {'level': 3, 'from': '2024-01-01', 'to': '2028-12-31'},
                'insured_months': {'2026': list(months)}},
                headers={'Authorization': 'Bearer ' + cls.office})
            assert r.status == 201, r.body
            cls.tids.append(r.json['id'])
            pay_seed.import_accounts(harness.BIN, srv.db, [
                (test_talents.make_id(seq, birth='19900101'), None, f'重算{seq}',
                 pay_seed.card(seq))])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.pack, ignore_errors=True)

    key_seq = 0

    def call(self, token, method, path, body=None, status=None):
        h = {'Authorization': 'Bearer ' + token}
        if method == 'POST':
            Recalc.key_seq += 1
            h['Idempotency-Key'] = f'recalc-test-{Recalc.key_seq}'
        r = self.server.request(method, path, body=body, headers=h)
        if status is not None:
            self.assertEqual(r.status, status, r.body[:600])
        return r

    def allowance(self, tid):
        return query(self.server.db,
                     "SELECT id, amount_fen, status FROM entitlements WHERE policy = "
                     "'talent-allowance' AND beneficiary_id = ? AND period_key = '2026' "
                     "AND adjusts IS NULL", tid)

    def pay_all(self, period):
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': period}, 201)
        rid = r.json['id']
        self.call(self.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW}, 200)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        lines = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines?limit=1000',
                          None, 200).json['items']
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                  {'results': [{'line_id': x['id'], 'paid': True} for x in lines]}, 200)
        return lines

    def recalc(self):
        return self.call(self.office, 'POST', '/api/v1/recalculations', {'period': 2026},
                         200).json

    def test_retroactive_adjustments(self):
        a, b = self.tids
        srv = self.server
        p = harness.run_cli('policy', 'run', '--db', srv.db, '--pack', self.pack,
                            '--period', '2026')
        self.assertEqual(p.returncode, 0, p.stderr)
        (ea, fa, _), = self.allowance(a)
        (eb, fb, _), = self.allowance(b)
        self.assertEqual((fa, fb), (6666600, 8000000))
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': [ea, eb]}, 200)
        lines = self.pay_all('2026-12')
        self.assertEqual(sorted(x['entitlement_id'] for x in lines), sorted([ea, eb]))
        self.assertEqual(self.allowance(a)[0][2], 'paid')

        # nothing changed yet: nothing to adjust
        doc = self.recalc()
        self.assertEqual((doc['compared'], doc['adjustments']), (2, 0))

        # 1. A's insured months corrected to 12
        t = self.call(self.office, 'GET', f'/api/v1/talents/{a}', None, 200).json
        self.call(self.office, 'PATCH', f'/api/v1/talents/{a}',
                  {'insured_months': {'2026': list(range(1, 13))}, 'version': t['version']}, 200)
        doc = self.recalc()
        self.assertEqual((doc['compared'], doc['adjustments']), (2, 1))
        self.assertEqual((doc['arrears'], doc['arrears_fen']), (1, 1333400))
        self.assertEqual((doc['clawbacks'], doc['clawback_fen']), (0, 0))
        x, = doc['items']
        self.assertEqual((x['adjusts'], x['adjustment'], x['beneficiary_id']), (ea, 1, a))
        self.assertEqual((x['old_fen'], x['new_fen'], x['amount_fen']),
                         (6666600, 8000000, 1333400))
        self.assertEqual(x['kind'], 'arrears')
        self.assertEqual(x['status'], 'pending')
        self.assertEqual(x['period_key'], '2026')
        self.assertRegex(x['old_explanation_hash'], '^[0-9a-f]{64}$')
        self.assertRegex(x['new_explanation_hash'], '^[0-9a-f]{64}$')
        self.assertNotEqual(x['old_explanation_hash'], x['new_explanation_hash'])
        arrears_id = x['id']
        # the audit record of the recalculation
        self.assertEqual(query(srv.db, "SELECT COUNT(*) FROM audit_log WHERE action = "
                               "'payments.recalc'"), [(1,)])

        # 2. again: nothing new
        doc = self.recalc()
        self.assertEqual(doc['adjustments'], 0)
        # a policy run of the period leaves the pending adjustment alone
        p = harness.run_cli('policy', 'run', '--db', srv.db, '--pack', self.pack,
                            '--period', '2026')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(query(srv.db, 'SELECT amount_fen FROM entitlements WHERE id = ?',
                               arrears_id), [(1333400,)])

        # 3. a new tier-3 value from a past date: 72000 元 since 2026-01-01
        path = os.path.join(self.pack, 'talent-allowance.yaml')
        with open(path, encoding='utf-8') as f:
            text = f.read()
        new = ('      - since: 2026-01-01\n'
               '        value: {1: 18000000, 2: 12000000, 3: 7200000, 4: 5000000, 5: 3000000, '
               '6: 1200000, 7: 600000}\n'
               '        source: test\n')
        i = text.index('\nlet:')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text[:i + 1] + new + text[i + 1:])
        p = harness.run_cli('policy', 'check', '--pack', self.pack)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        doc = self.recalc()
        self.assertEqual((doc['adjustments'], doc['arrears'], doc['clawbacks']), (2, 0, 2))
        self.assertEqual(doc['clawback_fen'], -1600000)
        by = {x['beneficiary_id']: x for x in doc['items']}
        self.assertEqual((by[a]['adjusts'], by[a]['adjustment']), (ea, 2))
        self.assertEqual((by[a]['old_fen'], by[a]['new_fen'], by[a]['amount_fen']),
                         (8000000, 7200000, -800000))
        self.assertEqual((by[b]['adjusts'], by[b]['adjustment']), (eb, 1))
        self.assertEqual((by[b]['old_fen'], by[b]['new_fen'], by[b]['amount_fen']),
                         (8000000, 7200000, -800000))
        self.assertEqual(by[b]['kind'], 'clawback')
        # the why in yuan, as people read money: 80000.00 → 72000.00, a clawback of 8000.00
        self.assertIn('owed 80000.00 yuan before, 72000.00 yuan now; clawback of 8000.00 yuan',
                      by[b]['why_en'])
        self.assertIn('应得由 80000.00 元变为 72000.00 元，追回 8000.00 元', by[b]['why_zh'])
        self.assertEqual(self.recalc()['adjustments'], 0)

        # the listing: office, finance and auditors; not talents
        r = self.call(self.auditor, 'GET', '/api/v1/adjustments?period=2026', None, 200)
        self.assertEqual([x['amount_fen'] for x in r.json['items']], [1333400, -800000, -800000])
        # nothing offset yet: each clawback outstanding in full (arrears have neither)
        self.assertEqual([(x['offset_fen'], x['outstanding_fen']) for x in r.json['items']],
                         [(0, 0), (0, 800000), (0, 800000)])
        # each row names its beneficiary as the registry does
        names = {tid: f'重算{seq}' for tid, seq in zip(self.tids, (701, 702))}
        self.assertEqual([x['beneficiary_name'] for x in r.json['items']],
                         [names[x['beneficiary_id']] for x in r.json['items']])
        self.assertTrue(all(x['beneficiary_name'] for x in r.json['items']))
        self.call(self.fin, 'GET', '/api/v1/adjustments?period=2026', None, 200)
        r = self.call(self.fin, 'GET', '/api/v1/adjustments?period=26', None)
        self.assertEqual(r.status, 422)

        # 4. the arrears are confirmed and paid; a clawback is not confirmable nor paid
        claw = by[b]['id']
        r = self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': [claw]})
        self.assertEqual(r.status, 409, r.body[:300])
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': [arrears_id]}, 200)
        lines = self.pay_all('2026-12')
        self.assertEqual([(x['entitlement_id'], x['amount_fen']) for x in lines],
                         [(arrears_id, 1333400)])
        # A's open clawback is offset against A's line: 1333400 - 800000 to the bank
        claw_a = by[a]['id']
        self.assertEqual((lines[0]['offset_fen'], lines[0]['net_fen'], lines[0]['offsets']),
                         (800000, 533400, [{'clawback_id': claw_a, 'amount_fen': 800000}]))
        self.assertEqual(query(srv.db, "SELECT status FROM entitlements WHERE id = ?", claw_a),
                         [('paid',)])
        r = self.call(self.auditor, 'GET', '/api/v1/ledger/check', None, 200)
        self.assertTrue(r.json['ok'], r.json)
        # A's clawback offset in full (settled, nothing outstanding); B's untouched
        adj = {x['id']: x for x in self.call(self.auditor, 'GET', '/api/v1/adjustments?period=2026',
                                             None, 200).json['items']}
        self.assertEqual((adj[claw_a]['status'], adj[claw_a]['offset_fen'],
                          adj[claw_a]['outstanding_fen']), ('paid', 800000, 0))
        self.assertEqual((adj[claw]['offset_fen'], adj[claw]['outstanding_fen']), (0, 800000))
        # staff decide: B's clawback waived; it is not written again, and an arrears row,
        # a decided or a settled clawback is not an open clawback
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{claw}/waive', {})
        self.assertEqual(r.status, 422, r.body[:300])
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{claw}/waive',
                      {'reason': 'x', 'decision': 'forget'})
        self.assertEqual(r.status, 422, r.body[:300])
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{claw}/waive',
                      {'reason': '免予追回 waived'}, 200)
        self.assertEqual(r.json['status'], 'waived')
        for i in (claw, arrears_id, claw_a):
            r = self.call(self.office, 'POST', f'/api/v1/entitlements/{i}/waive',
                          {'reason': 'again'})
            self.assertEqual(r.status, 409, r.body[:300])
            self.assertEqual(r.json['code'], 'not_open_clawback')
        self.assertEqual(self.call(self.fin, 'POST', f'/api/v1/entitlements/{claw}/waive',
                                   {'reason': 'x'}).status, 403)
        self.assertEqual(query(srv.db, "SELECT status, pay_note FROM entitlements WHERE id = ?",
                               claw), [('waived', '免予追回 waived')])
        self.assertEqual(query(srv.db, "SELECT COUNT(*) FROM audit_log WHERE action = "
                               "'entitlement.waive'"), [(1,)])
        # a waived clawback is no longer outstanding
        adj = {x['id']: x for x in self.call(self.auditor, 'GET', '/api/v1/adjustments?period=2026',
                                             None, 200).json['items']}
        self.assertEqual((adj[claw]['status'], adj[claw]['outstanding_fen']), ('waived', 0))
        self.assertEqual(self.recalc()['adjustments'], 0)
        # the command line agrees: nothing left to adjust
        p = harness.run_cli('payments', 'recalc', '--db', srv.db, '--pack', self.pack,
                            '--period', '2026')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b'2 compared; 0 adjustments', p.stdout)
        p = harness.run_cli('payments', 'recalc', '--db', srv.db, '--period', 'x')
        self.assertEqual(p.returncode, 2)

    def test_bad_body(self):
        r = self.call(self.office, 'POST', '/api/v1/recalculations', {'period': 'x'})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn('period', r.body.decode('utf-8'))
        r = self.call(self.office, 'POST', '/api/v1/recalculations', {'period': 2026, 'z': 1})
        self.assertEqual(r.status, 422, r.body[:300])


if __name__ == '__main__':
    unittest.main()
