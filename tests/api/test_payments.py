"""Payments over the real server (issue 6; docs/payments.md): a full month — entitlements
confirmed (with a notice to the talent) → a payment run → submit → four-eyes approval with
re-authentication → export → the bank's results with two failures → the failures back in the
queue with the bank's reason → the next run pays them; a budget cap making lines wait in the
stated order; every forbidden transition; who may see runs.

The talent and the enterprise get verified bank accounts the way the office loads them
(`talentport bank-accounts import`, pay_seed.import_accounts); a second server without any
shows that lines without an account wait with reason no_bank_account.  Entitlements are
seeded straight into the database as a policy run would write them (status pending).
"""
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_talents  # noqa: E402

PW = harness.PASSWORD


def seed_pending(db, rows):
    """rows: (policy, talent_id, period_key, amount_fen); returns their ids."""
    con = sqlite3.connect(db, timeout=10)
    try:
        run = con.execute(
            "INSERT INTO policy_runs (period, pack_id, pack_hash, started_at, finished_at, talents, "
            "enterprises, skipped, entitlements, kept, total_fen, status) VALUES (2026, 'seed', "
            "'seed', 't', 't', 0, 0, 0, 0, 0, 0, 'done')").lastrowid
        ids = []
        for policy, tid, period, amount in rows:
            ids.append(con.execute(
                "INSERT INTO entitlements (run_id, policy, beneficiary_kind, beneficiary_id, item, "
                "period_key, instalment, kind, amount_fen, status, explanation_hash, created_at) "
                "VALUES (?, ?, 'talent', ?, '', ?, 1, 'cash', ?, 'pending', 'h', 't')",
                (run, policy, tid, period, amount)).lastrowid)
        con.commit()
        return ids
    finally:
        con.close()


def status_of(db, ids):
    con = sqlite3.connect(db, timeout=10)
    try:
        return {i: con.execute('SELECT status, pay_note FROM entitlements WHERE id = ?',
                               (i,)).fetchone() for i in ids}
    finally:
        con.close()


class Payments(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        srv = cls.server
        cls.office = srv.staff_token('office', 'office_reviewer')
        cls.office2 = srv.staff_token('office2', 'office_reviewer')
        cls.fin = srv.staff_token('fin', 'finance')
        cls.fin2 = srv.staff_token('fin2', 'finance')
        cls.auditor = srv.staff_token('aud', 'auditor')
        r = srv.request('POST', '/api/v1/talents', test_talents.talent_body(601),
                        headers={'Authorization': 'Bearer ' + cls.office})
        assert r.status == 201, r.body
        cls.tid = r.json['id']
        s, _, _ = srv.account('pay-talent', 'talent', '--talent-id', str(cls.tid))
        cls.talent = srv.bearer(s)
        r = srv.request('POST', '/api/v1/enterprises', {
            'name': '付款测试公司', 'credit_code': test_talents.uscc(601),
            'town': test_talents.TOWN_CHENDAI}, headers={'Authorization': 'Bearer ' + cls.office})
        assert r.status == 201, r.body
        s, _, _ = srv.account('pay-employer', 'employer', '--enterprise-id', str(r.json['id']))
        cls.employer = srv.bearer(s)
        t = test_talents.talent_body(601)
        pay_seed.import_accounts(harness.BIN, srv.db, [
            (t['id_number'], None, t['name'], pay_seed.card(601)),
            (None, test_talents.uscc(601), '付款测试公司', '3500112233445566')])

    key_seq = 0

    def call(self, token, method, path, body=None, status=None, key=None):
        """A request as token; every POST carries a new Idempotency-Key (or key)."""
        h = {'Authorization': 'Bearer ' + token}
        if method == 'POST':
            Payments.key_seq += 1
            h['Idempotency-Key'] = key or f'pay-test-{Payments.key_seq}'
        r = self.server.request(method, path, body=body, headers=h)
        if status is not None:
            self.assertEqual(r.status, status, r.body[:600])
        return r

    def run_cycle_until_exported(self, period):
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': period}, 201)
        run = r.json
        self.assertEqual(run['state'], 'draft')
        rid = run['id']
        self.call(self.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW}, 200)
        self.assertEqual(r.json['state'], 'approved')
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        return run

    def lines(self, rid):
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines?limit=1000', None, 200)
        return r.json['items']

    # ------------------------------------------------------------------ the month

    def test_a_full_month(self):
        tid = self.tid
        ids = seed_pending(self.server.db, [
            ('talent-allowance', tid, '2025', 600000),
            ('living-subsidy', tid, '2025-09', 150000),
            ('living-subsidy', tid, '2025-10', 150000),
            ('living-subsidy', tid, '2025-11', 150000),   # after the period: not due
            ('housing-subsidy', tid, '2025', 300000)])
        # confirmed in bulk (ids); the talent is told
        r = self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': ids}, 200)
        self.assertEqual(r.json['confirmed'], 5)
        r = self.call(self.talent, 'GET', '/api/v1/notices', None, 200)
        confirmed = [n for n in r.json['items'] if n['kind'] == 'entitlement.confirmed'
                     and n['entitlement_id'] in ids]
        self.assertEqual(len(confirmed), 5)
        sub = [n for n in confirmed if n['entitlement_id'] == ids[0]][0]
        self.assertIn('6000.00', sub['text_zh'])
        self.assertIn('because', sub['text_en'])
        # confirming again: they are not pending any more
        r = self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': [ids[0]]})
        self.assertProblem(r, 409, 'not_pending')

        run = self.run_cycle_until_exported('2025-10')
        rid = run['id']
        self.assertEqual(run['lines'], 4)
        self.assertEqual(run['total_fen'], 600000 + 150000 * 2 + 300000)
        lines = self.lines(rid)
        self.assertEqual(sorted(x['entitlement_id'] for x in lines), sorted(ids[:3] + ids[4:]))
        self.assertTrue(all(x['status'] == 'exported' for x in lines))
        # each line names its payee as the imported account does (the page shows it)
        payees = {'talent': test_talents.talent_body(601)['name'], 'enterprise': '付款测试公司'}
        for x in lines:
            self.assertEqual(x['account_name'], payees[x['beneficiary_kind']])
        # the bank: two failures (a closed account), two paid
        by_ent = {x['entitlement_id']: x['id'] for x in lines}
        results = [{'line_id': by_ent[ids[0]], 'paid': True, 'bank_ref': 'R1'},
                   {'line_id': by_ent[ids[1]], 'paid': False, 'reason': '账户已销户'},
                   {'line_id': by_ent[ids[2]], 'paid': True},
                   {'line_id': by_ent[ids[4]], 'paid': False, 'reason': '户名不符'}]
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/bank-result',
                      {'results': results}, 200)
        self.assertEqual(r.json['state'], 'reconciled')
        self.assertEqual((r.json['paid'], r.json['paid_fen']), (2, 750000))
        self.assertEqual((r.json['failed'], r.json['failed_fen']), (2, 450000))
        st = status_of(self.server.db, ids)
        self.assertEqual(st[ids[0]], ('paid', None))
        self.assertEqual(st[ids[1]], ('confirmed', '账户已销户'))
        self.assertEqual(st[ids[4]], ('confirmed', '户名不符'))
        self.assertEqual(st[ids[3]][0], 'confirmed')
        r = self.call(self.talent, 'GET', '/api/v1/notices', None, 200)
        failed = [n for n in r.json['items'] if n['kind'] == 'payment.failed']
        self.assertEqual(sorted(n['entitlement_id'] for n in failed), sorted([ids[1], ids[4]]))
        # ledger: balanced, paid = approved net of the reversals
        r = self.call(self.auditor, 'GET', '/api/v1/ledger/check', None, 200)
        self.assertTrue(r.json['ok'], r.json)
        self.assertEqual(r.json['sum_fen'], 0)
        self.assertEqual(r.json['paid_fen'], 750000)
        self.assertEqual(r.json['approved_fen'], 750000)

        # the next month: the two failures and the November subsidy are paid
        run2 = self.run_cycle_until_exported('2025-11')
        rid2 = run2['id']
        lines2 = self.lines(rid2)
        self.assertEqual(sorted(x['entitlement_id'] for x in lines2),
                         sorted([ids[1], ids[3], ids[4]]))
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid2}/bank-result',
                      {'results': [{'line_id': x['id'], 'paid': True} for x in lines2]}, 200)
        self.assertEqual(r.json['state'], 'reconciled')
        st = status_of(self.server.db, ids)
        self.assertTrue(all(v[0] == 'paid' for v in st.values()), st)
        r = self.call(self.auditor, 'GET', '/api/v1/ledger/check', None, 200)
        self.assertTrue(r.json['ok'], r.json)
        self.assertEqual(r.json['paid_fen'], 600000 + 150000 * 3 + 300000)
        # a third run finds nothing of these: each key paid once
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2025-12'}, 201)
        self.assertEqual(r.json['lines'], 0)
        # replaying the same results on the reconciled run changes nothing
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid2}/bank-result',
                      {'results': [{'line_id': lines2[0]['id'], 'paid': True}]})
        self.assertProblem(r, 409, 'invalid_transition')

    def test_budget_cap_waits_in_order(self):
        tid = self.tid
        ids = seed_pending(self.server.db, [
            ('capped', tid, '2024-03', 1000),
            ('capped', tid, '2024-01', 3000),
            ('capped', tid, '2024-02', 5000),
            ('capped', tid, '2024-04', 500)])
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm',
                  {'policy': 'capped'}, 200)
        r = self.call(self.office, 'PUT', '/api/v1/budgets/capped/2024', {'amount_fen': 8500}, 200)
        r = self.call(self.office, 'PUT', '/api/v1/budgets/capped/2024', {'amount_fen': -1})
        self.assertProblem(r, 422, field='amount_fen')
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2024-12'}, 201)
        # oldest period first: 2024-01 (3000) and 2024-02 (5000) fit in 8500; 2024-03 (1000)
        # does not, so it waits — and 2024-04 (500), which would fit, waits behind it
        self.assertEqual((r.json['lines'], r.json['total_fen']), (2, 8000))
        self.assertEqual((r.json['waiting'], r.json['waiting_fen']), (2, 1500))
        got = sorted(x['entitlement_id'] for x in self.lines(r.json['id']))
        self.assertEqual(got, sorted([ids[1], ids[2]]))
        # cancelled, the run releases its lines: the next run takes them again
        rid = r.json['id']
        r = self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/cancel', {})
        self.assertProblem(r, 422, field='reason')
        r = self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/cancel',
                      {'reason': '预算调整'}, 200)
        self.assertEqual(r.json['state'], 'cancelled')
        self.call(self.office, 'PUT', '/api/v1/budgets/capped/2024', {'amount_fen': 100000}, 200)
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2024-12'}, 201)
        self.assertEqual((r.json['lines'], r.json['total_fen']), (4, 9500))
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{r.json["id"]}/cancel',
                  {'reason': '测试完毕'}, 200)

    def test_four_eyes_and_reauthentication(self):
        seed = seed_pending(self.server.db, [('four-eyes', self.tid, '2023', 1234)])
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': seed}, 200)
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2023-12'}, 201)
        rid = r.json['id']
        self.assertEqual(r.json['lines'], 1)
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        # wrong password: refused, nothing changes
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve',
                      {'password': 'not-the-password'})
        self.assertProblem(r, 403, 'reauthentication_failed')
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {})
        self.assertProblem(r, 422, field='password')
        self.assertEqual(self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}').json['state'],
                         'submitted')
        # the approver's own password, not someone else's role: office cannot approve at all
        r = self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW})
        self.assertProblem(r, 403)
        r = self.call(self.fin2, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW},
                      200)
        self.assertEqual(r.json['approved_by'], 'fin2')
        # approving twice: 409 naming the state
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW})
        self.assertProblem(r, 409, 'invalid_transition')

    def test_same_person_may_not_prepare_and_approve(self):
        """Four eyes at the object: an office reviewer who prepared a run and later moved to
        finance may not approve it (nor may its submitter); another finance account may."""
        switcher = self.server.staff_token('switcher', 'office_reviewer')
        seed = seed_pending(self.server.db, [('four-eyes-2', self.tid, '2022', 777)])
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': seed}, 200)
        r = self.call(switcher, 'POST', '/api/v1/payment-runs', {'period': '2022-12'}, 201)
        rid = r.json['id']
        self.assertEqual(r.json['created_by'], 'switcher')
        self.call(self.office2, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        con = sqlite3.connect(self.server.db, timeout=10)
        con.execute("UPDATE users SET role = 'finance' WHERE username = 'switcher'")
        con.commit()
        con.close()
        r = self.call(switcher, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW})
        self.assertProblem(r, 403, 'four_eyes')
        self.assertEqual(self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}')
                         .json['state'], 'submitted')
        # at the command line too: the approver must be a finance account, and not the preparer
        r = harness.run_cli('payments', 'approve', '--run', str(rid), '--as', 'office2',
                            '--db', self.server.db, input_bytes=PW.encode() + b'\n')
        self.assertEqual(r.returncode, 1)
        self.assertIn('finance', r.stderr.decode())
        r = harness.run_cli('payments', 'approve', '--run', str(rid), '--as', 'switcher',
                            '--db', self.server.db, input_bytes=PW.encode() + b'\n')
        self.assertEqual(r.returncode, 1)
        self.assertIn('four eyes', r.stderr.decode())
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW},
                      200)
        self.assertEqual(r.json['approved_by'], 'fin')

    def test_forbidden_transitions(self):
        seed = seed_pending(self.server.db, [('moves', self.tid, '2021', 100)])
        self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': seed}, 200)
        rid = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2021-12'},
                        201).json['id']
        base = f'/api/v1/payment-runs/{rid}'
        # draft: approve, announcement-end, export, bank-result are refused
        for tok, action, body in ((self.fin, 'approve', {'password': PW}),
                                  (self.office, 'announcement-end', {}),
                                  (self.fin, 'export', {}),
                                  (self.fin, 'bank-result',
                                   {'results': [{'line_id': 1, 'paid': True}]})):
            r = self.call(tok, 'POST', f'{base}/{action}', body)
            self.assertProblem(r, 409, 'invalid_transition')
        self.call(self.office, 'POST', f'{base}/submit', {}, 200)
        r = self.call(self.office, 'POST', f'{base}/submit', {})
        self.assertProblem(r, 409, 'invalid_transition')
        self.call(self.fin, 'POST', f'{base}/approve', {'password': PW}, 200)
        r = self.call(self.office, 'POST', f'{base}/cancel', {'reason': 'x'})
        self.assertProblem(r, 409, 'invalid_transition')
        r = self.call(self.office, 'POST', f'{base}/submit', {})
        self.assertProblem(r, 409, 'invalid_transition')
        self.call(self.fin, 'POST', f'{base}/export', {}, 200)
        # exported twice: the second download changes nothing
        self.call(self.fin, 'POST', f'{base}/export', {}, 200)
        line = self.lines(rid)[0]['id']
        # a line of another run, a failure without a reason: refused, nothing recorded
        r = self.call(self.fin, 'POST', f'{base}/bank-result',
                      {'results': [{'line_id': 999999, 'paid': True}]})
        self.assertProblem(r, 422, field='results')
        r = self.call(self.fin, 'POST', f'{base}/bank-result',
                      {'results': [{'line_id': line, 'paid': False}]})
        self.assertProblem(r, 422, field='results')
        r = self.call(self.fin, 'POST', f'{base}/bank-result',
                      {'results': [{'line_id': 'x', 'paid': 'yes'}]})
        self.assertProblem(r, 422)
        r = self.call(self.fin, 'POST', f'{base}/bank-result',
                      {'results': [{'line_id': line, 'paid': True}]}, 200)
        self.assertEqual(r.json['state'], 'reconciled')
        # entitlement cancel: a paid one cannot be cancelled
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{seed[0]}/cancel',
                      {'reason': '重复'})
        self.assertProblem(r, 409, 'invalid_transition')
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2021-13'})
        self.assertProblem(r, 422, field='period')

    def test_idempotency_key_on_money_routes(self):
        """Every POST that creates or moves money takes an Idempotency-Key: without one 428;
        the same key and body replay the first answer (no second run); another body 422."""
        r = self.server.request('POST', '/api/v1/payment-runs', {'period': '2019-05'},
                                headers={'Authorization': 'Bearer ' + self.office})
        self.assertProblem(r, 428)
        first = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2019-05'},
                          201, key='same-run-key')
        again = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2019-05'},
                          201, key='same-run-key')
        self.assertEqual(again.json['id'], first.json['id'])
        self.assertEqual(again.header('Idempotent-Replayed'), 'true')
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2019-06'},
                      key='same-run-key')
        self.assertProblem(r, 422, 'idempotency_key_reused')
        runs = [x['id'] for x in self.call(self.fin, 'GET', '/api/v1/payment-runs').json['items']
                if x['period'] == '2019-05']
        self.assertEqual(runs, [first.json['id']])

    def set_setting(self, key, value):
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            con.execute('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO '
                        'UPDATE SET value = excluded.value', (key, value))
            con.commit()
        finally:
            con.close()

    def test_auto_confirm_and_announcement(self):
        """A proactive policy listed in payments.auto_confirm is confirmed by the next run
        (with the notice); a policy listed in payments.announce sends the approved run
        through 公示: announced, then approved when the office ends the announcement."""
        self.set_setting('payments.auto_confirm', 'other-policy, proactive-x')
        self.set_setting('payments.announce', 'proactive-x')
        ids = seed_pending(self.server.db, [('proactive-x', self.tid, '2018-05', 4321),
                                            ('manual-y', self.tid, '2018-05', 999)])
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2018-12'}, 201)
        rid = r.json['id']
        self.assertEqual((r.json['lines'], r.json['total_fen']), (1, 4321))
        st = status_of(self.server.db, ids)
        self.assertEqual(st[ids[0]][0], 'confirmed')
        self.assertEqual(st[ids[1]][0], 'pending')   # not listed: waits for the office
        notes = self.call(self.talent, 'GET', '/api/v1/notices').json['items']
        self.assertIn(ids[0], [n['entitlement_id'] for n in notes
                               if n['kind'] == 'entitlement.confirmed'])
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/submit', {}, 200)
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/approve', {'password': PW},
                      200)
        self.assertEqual(r.json['state'], 'announced')
        self.assertTrue(r.json['announce'])
        r = self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {})
        self.assertProblem(r, 409, 'invalid_transition')
        r = self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/announcement-end', {},
                      200)
        self.assertEqual(r.json['state'], 'approved')
        self.call(self.fin, 'POST', f'/api/v1/payment-runs/{rid}/export', {}, 200)
        self.set_setting('payments.auto_confirm', '')
        self.set_setting('payments.announce', '')

    def test_cancel_entitlement(self):
        ids = seed_pending(self.server.db, [('cancel-me', self.tid, '2020', 100)])
        r = self.call(self.office, 'POST', f'/api/v1/entitlements/{ids[0]}/cancel', {})
        self.assertProblem(r, 422, field='reason')
        self.call(self.office, 'POST', f'/api/v1/entitlements/{ids[0]}/cancel',
                  {'reason': '重复发放'}, 200)
        self.assertEqual(status_of(self.server.db, ids)[ids[0]], ('cancelled', '重复发放'))
        r = self.call(self.office, 'POST', '/api/v1/entitlements/999999/cancel', {'reason': 'x'})
        self.assertProblem(r, 404)

    def test_who_sees_runs(self):
        for tok in (self.talent, self.employer):
            for path in ('/api/v1/payment-runs', '/api/v1/payment-runs/1',
                         '/api/v1/payment-runs/1/lines', '/api/v1/ledger/check'):
                self.assertProblem(self.call(tok, 'GET', path), 403)
            r = self.call(tok, 'POST', '/api/v1/payment-runs', {'period': '2026-10'})
            self.assertProblem(r, 403)
        for tok in (self.office, self.fin, self.auditor):
            self.call(tok, 'GET', '/api/v1/payment-runs', None, 200)
        self.assertProblem(self.call(self.office, 'GET', '/api/v1/ledger/check'), 403)
        self.assertProblem(self.call(self.fin, 'GET', '/api/v1/payment-runs/999999'), 404)
        # the employer's notices are its enterprise's (none here); staff have none to read
        self.assertEqual(self.call(self.employer, 'GET', '/api/v1/notices', None, 200)
                         .json['items'], [])
        self.assertProblem(self.call(self.office, 'GET', '/api/v1/notices'), 403)

    def test_ledger_is_append_only_and_check_names_violations(self):
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            con.execute("INSERT INTO ledger_entries (kind, memo, created_at) VALUES "
                        "('correction', 'test', 't')")
            con.commit()
            with self.assertRaises(sqlite3.DatabaseError):
                con.execute('UPDATE ledger_entries SET memo = ? WHERE id = 1', ('x',))
            with self.assertRaises(sqlite3.DatabaseError):
                con.execute('DELETE FROM ledger_postings')
            con.rollback()
        finally:
            con.close()
        # an entry without postings is named; (the entry stays: the ledger is append-only,
        # so this test runs last in its class: zz)

    def test_zz_unbalanced_entry_named(self):
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            e = con.execute("INSERT INTO ledger_entries (kind, memo, created_at) VALUES "
                            "('correction', 'unbalanced', 't')").lastrowid
            con.execute("INSERT INTO ledger_postings (entry_id, account, amount_fen) VALUES "
                        "(?, 'bank_clearing', 5)", (e,))
            con.commit()
        finally:
            con.close()
        r = self.call(self.auditor, 'GET', '/api/v1/ledger/check', None, 200)
        self.assertFalse(r.json['ok'])
        self.assertIn('does not balance', r.json['violation'])
        self.assertEqual(r.json['invariant'], 1)  # every entry balances
        r = harness.run_cli('ledger', 'check', '--db', self.server.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn('does not balance', r.stderr.decode())


class PaymentsWithoutAccounts(harness.ServerTest):
    """Without the bank-account module every due entitlement waits: no_bank_account."""
    login_as = ('office', 'office_reviewer')

    def test_lines_without_account_wait(self):
        ids = seed_pending(self.server.db, [('no-account', 1, '2026', 100)])
        r = self.post('/api/v1/entitlements/confirm', {'ids': ids},
                      headers={'Idempotency-Key': 'noacct-1'})
        self.assertEqual(r.status, 200, r.body)
        r = self.post('/api/v1/payment-runs', {'period': '2026-12'},
                      headers={'Idempotency-Key': 'noacct-2'})
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual((r.json['lines'], r.json['waiting'], r.json['waiting_fen']), (0, 1, 100))
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            self.assertEqual(con.execute('SELECT reason FROM payment_waits').fetchall(),
                             [('no_bank_account',)])
        finally:
            con.close()


if __name__ == '__main__':
    unittest.main()
