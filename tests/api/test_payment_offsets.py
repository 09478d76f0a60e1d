"""Clawbacks offset against later payments (issue 6, item 6; docs/payments.md "Clawbacks
offset against later payments") over the real server, with amounts worked out by hand.

One talent T with a real bank account.  An earlier entitlement E0 (policy p0, 2026-01,
1000000 fen) was paid; a recalculation found it should have been 200000 → a clawback C of
-800000 (an adjustment row of 0017, seeded here as test_recalc.py's recalculation writes it;
that test covers the recalculation itself).  Then, policy p1:

  run 1 (2026-02): E1 300000 → line gross 300000, offset 300000 (C), net 0: nothing for the
      bank; export books it paid at once; the run is reconciled; C has 500000 outstanding.
  run 2 (2026-03): E2 1000000 → offset 500000, net 500000; cancelled → the offset released;
  run 3: built again → the same; the bank file has one line of 5000.00 (the net) and the
      control total 5000.00; the bank fails it → the offset is given back (C 500000
      outstanding again), the ledger's clawback and clearing accounts back to 0;
  run 4: E2 again → offset 500000, net 500000, paid → C settled (status paid).
  Ledger at the end: budget:p1:2026 -1300000, paid:p1:2026 1300000 (E1 and E2 paid in full),
  paid:p0:2026 -800000 and budget:p0:2026 +800000 (the overpayment recovered and the
  budget given back); payable, bank_clearing, clawback: 0.  `ledger check` passes.
  A second clawback C2 (-200000) decided "collect separately" is not offset: E3 400000 goes
  to the bank whole.
"""
import csv
import io
import os
import sqlite3
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402
from test_payment_files_api import luhn_card, seed_confirmed  # noqa: E402

PW = harness.PASSWORD


def q(db, sql, *args):
    con = sqlite3.connect(db, timeout=10)
    try:
        rows = con.execute(sql, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def seed_clawback(db, original, amount, old, new):
    """A pending clawback adjusting `original` (as `payments recalc` writes it)."""
    con = sqlite3.connect(db, timeout=10)
    try:
        o = con.execute('SELECT run_id, policy, beneficiary_kind, beneficiary_id, item, '
                        'period_key FROM entitlements WHERE id = ?', (original,)).fetchone()
        seq = con.execute('SELECT COUNT(*) + 1 FROM entitlements WHERE adjusts = ?',
                          (original,)).fetchone()[0]
        cid = con.execute(
            "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, "
            "period_key, instalment, kind, amount_fen, status, explanation_hash, created_at, "
            "adjusts, adjustment, old_fen, new_fen, old_hash) VALUES (?,?,?,?,?,?,1,'cash',?,"
            "'pending','h2','t',?,?,?,?,'h')",
            (o[0], o[1], o[2], o[3], f'{o[4]}#adj{seq}', o[5], amount, original, seq, old,
             new)).lastrowid
        con.commit()
        return cid
    finally:
        con.close()


class Offsets(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.office2 = srv.staff_token('office2', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.tid, cls.tid2 = cls.talent(881), cls.talent(882)

    @classmethod
    def talent(cls, seq):
        """A talent with a real bank account (each test its own: clawbacks are per
        beneficiary)."""
        srv = cls.server
        body = test_talents.talent_body(seq)
        r = srv.request('POST', '/api/v1/talents', body,
                        headers={'Authorization': 'Bearer ' + cls.office})
        assert r.status == 201, r.body
        tid = r.json['id']
        r = srv.request('PUT', f'/api/v1/talents/{tid}/bank-account', {
            'bank': '中国工商银行', 'branch': '晋江支行', 'account_name': body['name'],
            'account_number': luhn_card(seq), 'reason': '首次登记', 'current_password': PW},
            headers={'Authorization': 'Bearer ' + cls.office,
                     'Idempotency-Key': str(uuid.uuid4())})
        assert r.status in (200, 201), r.body
        return tid

    def call(self, token, method, path, body=None, status=None):
        h = {'Authorization': 'Bearer ' + token}
        if method == 'POST':
            h['Idempotency-Key'] = str(uuid.uuid4())
        r = self.server.request(method, path, body=body, headers=h)
        if status is not None:
            self.assertEqual(r.status, status, r.body[:600])
        return r

    def build(self, period):
        return self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': period},
                         201).json

    def approve(self, rid):
        self.call(self.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW},
                  200)

    def lines(self, rid):
        return self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines', None,
                         200).json['items']

    def outstanding(self, cid):
        (amt, taken), = q(self.server.db,
                          "SELECT -amount_fen, (SELECT COALESCE(SUM(o.amount_fen), 0) FROM "
                          "payment_offsets o JOIN payment_lines l ON l.id = o.line_id WHERE "
                          "o.clawback_id = e.id AND l.status NOT IN ('failed', 'cancelled')) "
                          "FROM entitlements e WHERE id = ?", cid)
        return amt - taken

    def balances(self):
        return dict(q(self.server.db, "SELECT account, SUM(amount_fen) FROM ledger_postings "
                                      "GROUP BY account HAVING SUM(amount_fen) <> 0"))

    def ledger_ok(self):
        r = self.call(self.fin, 'GET', '/api/v1/ledger/check', None, 200)
        self.assertTrue(r.json['ok'], r.json)

    def test_offsets(self):
        srv, t = self.server, self.tid
        e0, = seed_confirmed(srv.db, [('p0', t, '2026-01', 1000000)])
        q(srv.db, "UPDATE entitlements SET status = 'paid' WHERE id = ?", e0)
        c = seed_clawback(srv.db, e0, -800000, 1000000, 200000)
        e1, = seed_confirmed(srv.db, [('p1', t, '2026-02', 300000)])

        # run 1: the line is wholly offset, nothing goes to the bank
        run = self.build('2026-02')
        self.assertEqual((run['lines'], run['total_fen'], run['offset_fen'], run['net_fen']),
                         (1, 300000, 300000, 0))
        x, = self.lines(run['id'])
        self.assertEqual((x['entitlement_id'], x['amount_fen'], x['offset_fen'], x['net_fen'],
                          x['offsets']),
                         (e1, 300000, 300000, 0, [{'clawback_id': c, 'amount_fen': 300000}]))
        self.assertEqual(self.outstanding(c), 500000)
        self.approve(run['id'])
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{run["id"]}/export', {}, 200)
        self.assertEqual(r.json['state'], 'reconciled', r.json)
        self.assertEqual((r.json['paid'], r.json['paid_fen']), (1, 300000))
        x, = self.lines(run['id'])
        self.assertEqual(x['status'], 'paid')
        self.assertEqual(q(srv.db, 'SELECT id, status FROM entitlements WHERE id IN (?, ?) '
                                   'ORDER BY id', e1, c), [(c, 'pending'), (e1, 'paid')])
        self.assertEqual(self.balances(), {'budget:p1:2026': -300000, 'paid:p1:2026': 300000,
                                           'paid:p0:2026': -300000, 'budget:p0:2026': 300000})
        self.ledger_ok()

        # run 2: offset 500000 of 1000000; cancelled → the offset released
        e2, = seed_confirmed(srv.db, [('p1', t, '2026-03', 1000000)])
        run = self.build('2026-03')
        self.assertEqual((run['total_fen'], run['offset_fen'], run['net_fen']),
                         (1000000, 500000, 500000))
        self.assertEqual(self.outstanding(c), 0)
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{run["id"]}/cancel',
                  {'reason': '重做'}, 200)
        self.assertEqual(self.outstanding(c), 500000)

        # run 3: the same offset; the bank file carries the net; the bank fails the line
        run = self.build('2026-03')
        rid = run['id']
        x, = self.lines(rid)
        self.assertEqual((x['entitlement_id'], x['offset_fen'], x['net_fen']),
                         (e2, 500000, 500000))
        self.approve(rid)
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/bank-file', None, 200)
        rows = list(csv.reader(io.StringIO(r.body.decode('utf-8-sig'))))
        self.assertEqual([rw[0] for rw in rows], ['H', 'D', 'T'])
        self.assertEqual((rows[0][3], rows[0][4]), ('1', '5000.00'))
        self.assertEqual((rows[1][1], rows[1][6]), (str(x['id']), '5000.00'))
        self.assertEqual(rows[2][1:], ['1', '5000.00'])
        self.assertEqual(self.balances()['bank_clearing'], 500000)
        self.assertEqual(self.balances()['clawback:talent:%d' % t], 500000)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                  {'results': [{'line_id': x['id'], 'paid': False,
                                'reason': '户名不符 name mismatch'}]}, 200)
        self.assertEqual(self.outstanding(c), 500000)
        self.assertEqual(q(srv.db, 'SELECT status FROM entitlements WHERE id = ?', e2),
                         [('confirmed',)])
        self.assertEqual(self.balances(), {'budget:p1:2026': -300000, 'paid:p1:2026': 300000,
                                           'paid:p0:2026': -300000, 'budget:p0:2026': 300000})
        self.ledger_ok()

        # run 4: paid → the clawback settled
        run = self.build('2026-03')
        rid = run['id']
        self.assertEqual((run['offset_fen'], run['net_fen']), (500000, 500000))
        self.approve(rid)
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        x, = self.lines(rid)
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                      {'results': [{'line_id': x['id'], 'paid': True, 'bank_ref': 'B1'}]}, 200)
        self.assertEqual(r.json['state'], 'reconciled', r.json)
        self.assertEqual(self.outstanding(c), 0)
        self.assertEqual(q(srv.db, 'SELECT id, status FROM entitlements WHERE id IN (?, ?) '
                                   'ORDER BY id', c, e2), [(c, 'paid'), (e2, 'paid')])
        self.assertEqual(self.balances(), {'budget:p1:2026': -1300000, 'paid:p1:2026': 1300000,
                                           'paid:p0:2026': -800000, 'budget:p0:2026': 800000})
        self.ledger_ok()
        # a settled clawback is no longer open: staff cannot waive it
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{c}/waive', {'reason': 'x'})
        self.assertEqual(r.status, 409, r.body[:300])

        # collect separately stops the offset
        c2 = seed_clawback(srv.db, e0, -200000, 200000, 0)
        self.call(self.office, 'POST', f'/api/v1/entitlements/{c2}/waive',
                  {'reason': '另行追缴', 'decision': 'collect_separately'}, 200)
        seed_confirmed(srv.db, [('p1', t, '2026-04', 400000)])
        run = self.build('2026-04')
        self.assertEqual((run['total_fen'], run['offset_fen'], run['net_fen']),
                         (400000, 0, 400000))
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{run["id"]}/cancel',
                  {'reason': '测试结束'}, 200)
        self.ledger_ok()
        p = harness.run_cli('ledger', 'check', '--db', srv.db)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_offsets_in_order(self):
        """Two clawbacks of one beneficiary are taken oldest first, over lines in the run's
        order (period, id): 150000 and 100000 against lines of 200000 and 80000 → the first
        line wholly offset (150000 + 50000), the second 50000 of 80000; paid → both settled."""
        srv, t = self.server, self.tid2
        e0, = seed_confirmed(srv.db, [('p5', t, '2025-06', 900000)])
        q(srv.db, "UPDATE entitlements SET status = 'paid' WHERE id = ?", e0)
        c1 = seed_clawback(srv.db, e0, -150000, 900000, 750000)
        c2 = seed_clawback(srv.db, e0, -100000, 750000, 650000)
        a, b = seed_confirmed(srv.db, [('p6', t, '2025-07', 200000), ('p6', t, '2025-08', 80000)])
        run = self.build('2025-12')
        got = {x['entitlement_id']: (x['offset_fen'], x['net_fen'], x['offsets'])
               for x in self.lines(run['id'])}
        self.assertEqual(got[a], (200000, 0, [{'clawback_id': c1, 'amount_fen': 150000},
                                              {'clawback_id': c2, 'amount_fen': 50000}]))
        self.assertEqual(got[b], (50000, 30000, [{'clawback_id': c2, 'amount_fen': 50000}]))
        self.assertEqual((self.outstanding(c1), self.outstanding(c2)), (0, 0))
        # a's line is paid at export (nothing for the bank); b's goes to the bank
        rid = run['id']
        self.approve(rid)
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        self.assertEqual((r.json['state'], r.json['paid'], r.json['paid_fen']),
                         ('exported', 1, 200000))
        la, lb = sorted(self.lines(rid), key=lambda x: x['entitlement_id'])
        self.assertEqual((la['status'], lb['status']), ('paid', 'exported'))
        # a bank file naming the line never sent: "failed" is refused (nothing applied),
        # "paid" is no news
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                      {'results': [{'line_id': la['id'], 'paid': False, 'reason': 'x'}]})
        self.assertEqual(r.status, 422, r.body[:300])
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                      {'results': [{'line_id': la['id'], 'paid': True},
                                   {'line_id': lb['id'], 'paid': True}]}, 200)
        self.assertEqual(r.json['state'], 'reconciled', r.json)
        self.assertEqual(q(srv.db, 'SELECT status FROM entitlements WHERE id IN (?, ?, ?, ?) '
                                   'ORDER BY id', c1, c2, a, b), [('paid',)] * 4)
        self.ledger_ok()


if __name__ == '__main__':
    unittest.main()
