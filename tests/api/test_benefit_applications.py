"""Applied benefits (快申快享, issue 6 item 1; docs/payments.md "Applied benefits"):
workflows/benefit.yaml over the real server.

Expected amounts worked out by hand from /work/shared/reference/default-pack.md:
  graduate-housing (高校毕业生购房补贴, person, once, apply): degree ≥ bachelor, graduated_on ≤
  contract date ≤ graduated_on + 5 years, age on the contract date ≤ 35, home in Jinjiang,
  first home in Jinjiang → master 100000 元 = 10000000 fen, one instalment due in the
  contract year.
  Talent Lin: born 1995-04-02 (ID number), master, graduated 2024-07-01, contract
  2026-03-01, 89.5 m², in Jinjiang, first home → age 30 on 2026-03-01 → eligible:
  10000000 fen for period 2026, instalment 1.
  Talent Wu: the same but born 1990-01-01 → 36 on 2026-03-01 → the condition
  age_on(person.birth_date, contract_date) <= 35 fails.
  talent-allowance is proactive (免申即享): nothing to apply for.
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_talents  # noqa: E402

POLICY = 'graduate-housing'
AMOUNT = 10000000  # 100000 元, master (default-pack.md)
AGE_RULE = 'age_on(person.birth_date, contract_date) <= 35'


def home():
    return {'contract_date': '2026-03-01', 'area_m2': 89.5, 'in_jinjiang': True,
            'first_home_in_jinjiang': True}


def graduate(seq, birth, **extra):
    b = test_talents.talent_body(seq, id_number=test_talents.make_id(seq, birth=birth),
                                 degree='master', graduated_on='2024-07-01',
                                 home_purchase=home(), town=test_talents.TOWN_CHENDAI)
    b.update(extra)
    return b


def field_codes(problem, field):
    return [e['code'] for e in problem.get('errors', []) if e.get('field') == field]


class BenefitApplications(harness.ServerTest):
    login_as = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        s = cls.server
        cls.office = s.staff_token('office', 'office_reviewer')
        cls.office2 = s.staff_token('office2', 'office_reviewer')
        cls.fin = s.staff_token('fin', 'finance')
        r = s.request('POST', '/api/v1/enterprises', {
            'name': '快申快享测试有限公司', 'credit_code': test_talents.uscc(801),
            'town': test_talents.TOWN_CHENDAI}, headers=cls.h(cls.office))
        assert r.status == 201, r.body
        cls.eid = r.json['id']
        cls.employer = s.staff_token('hr-benefit', 'employer', '--enterprise-id', str(cls.eid))

        def talent(seq, body, user):
            r = s.request('POST', '/api/v1/talents', body, headers=cls.h(cls.office))
            assert r.status == 201, r.body
            tid = r.json['id']
            return tid, s.staff_token(user, 'talent', '--talent-id', str(tid))

        cls.lin, cls.lin_tok = talent(801, graduate(801, '19950402'), 'lin-talent')
        # Lin is paid by a run: a verified account, as the office loads them
        lin = graduate(801, '19950402')
        pay_seed.import_accounts(harness.BIN, s.db, [
            (lin['id_number'], None, lin['name'], pay_seed.card(801))])
        cls.wu, cls.wu_tok = talent(802, graduate(802, '19900101'), 'wu-talent')
        # Zhao works for the enterprise: the employer confirms before the office reviews
        cls.zhao, cls.zhao_tok = talent(803, graduate(803, '19960510', enterprise_id=cls.eid),
                                        'zhao-talent')
        # Qian works there too; the employer's HR applies for her
        cls.qian, cls.qian_tok = talent(804, graduate(804, '19970101', enterprise_id=cls.eid),
                                        'qian-talent')

    @staticmethod
    def h(token, key=None):
        h = {'Authorization': 'Bearer ' + token}
        if key:
            h['Idempotency-Key'] = key
        return h

    seq = 0

    def call(self, token, method, path, body=None, status=None):
        key = None
        if method == 'POST':
            BenefitApplications.seq += 1
            key = f'benefit-{BenefitApplications.seq}'
        r = self.server.request(method, path, body=body, headers=self.h(token, key))
        if status is not None:
            self.assertEqual(r.status, status, r.body[:800])
        return r

    def apply(self, token, policy=POLICY, period='2026', **extra):
        body = {'kind': 'benefit', 'policy': policy, 'period': period}
        body.update(extra)
        return self.call(token, 'POST', '/api/v1/applications', body)

    def act(self, token, app_id, action, status=None, **body):
        body['action'] = action
        return self.call(token, 'POST', f'/api/v1/applications/{app_id}/actions', body, status)

    def db(self):
        return sqlite3.connect(self.server.db, timeout=10)

    def entitlement(self, tid, policy=POLICY, period='2026'):
        con = self.db()
        try:
            return con.execute(
                'SELECT id, status, amount_fen, needs_application, application_id FROM '
                "entitlements WHERE policy = ? AND beneficiary_kind = 'talent' AND "
                "beneficiary_id = ? AND period_key = ? AND instalment = 1 AND item = ''",
                (policy, tid, period)).fetchone()
        finally:
            con.close()

    # ------------------------------------------------------------------

    def test_1_prefill_apply_approve_pay(self):
        # what would be submitted: the facts the platform holds, the amount, the explanation
        r = self.call(self.lin_tok, 'GET', f'/api/v1/benefits/prefill?policy={POLICY}&period=2026',
                      status=200)
        pre = r.json
        self.assertEqual(pre['policy'], POLICY)
        self.assertEqual(pre['channel'], 'apply')
        self.assertEqual(pre['facts']['person']['degree'], 'master')
        self.assertEqual(pre['facts']['person']['graduated_on'], '2024-07-01')
        self.assertEqual(pre['facts']['person']['home_purchase']['contract_date'], '2026-03-01')
        self.assertEqual(len(pre['entitlements']), 1)
        e = pre['entitlements'][0]
        self.assertEqual((e['period'], e['instalment'], e['kind'], e['amount_fen']),
                         ('2026', 1, 'cash', AMOUNT))
        self.assertEqual(pre['total_fen'], AMOUNT)
        self.assertEqual(len(e['explanation_hash']), 64)
        self.assertTrue(all(c['result'] for c in e['explanation']['conditions']))

        # `policy run` writes the pending row; bulk confirmation leaves it to the application
        r = harness.run_cli('policy', 'run', '--db', self.server.db, '--period', '2026',
                            '--pack', harness.PACK)
        self.assertEqual(r.returncode, 0, r.stderr)
        row = self.entitlement(self.lin)
        self.assertIsNotNone(row)
        pending_id = row[0]
        self.assertEqual((row[1], row[2], row[3]), ('pending', AMOUNT, 1))
        r = self.call(self.office, 'POST', '/api/v1/entitlements/confirm',
                      {'policy': POLICY, 'period': '2026'}, 200)
        self.assertEqual(r.json['confirmed'], 0)
        self.assertGreaterEqual(r.json['skipped_needs_application'], 1)
        r = self.call(self.office, 'POST', '/api/v1/entitlements/confirm', {'ids': [pending_id]})
        self.assertProblem(r, 409, 'application_required')
        self.assertEqual(self.entitlement(self.lin)[1], 'pending')
        # nor does auto-confirmation, even when the setting lists the policy
        con = self.db()
        try:
            con.execute("INSERT INTO settings (key, value) VALUES ('payments.auto_confirm', ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (POLICY,))
            con.commit()
        finally:
            con.close()
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2026-12'}, 201)
        self.assertEqual(self.entitlement(self.lin)[1], 'pending')
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{r.json["id"]}/cancel',
                  {'reason': '自动确认检查'}, 200)

        # she applies: no employer → straight to the office
        r = self.apply(self.lin_tok, form={'statement': '首套房，2026年3月签约'})
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual((app['kind'], app['state'], app['policy'], app['period'], app['item']),
                         ('benefit', 'office_review', POLICY, '2026', ''))
        self.assertEqual(app['proposal']['entitlements'][0]['amount_fen'], AMOUNT)
        self.assertEqual(app['proposal']['facts']['person']['degree'], 'master')
        self.assertIn('explanation', app['proposal']['entitlements'][0])
        # the prefill evaluated the same facts as the policy run: the same explanation hash
        con = self.db()
        try:
            (run_hash,) = con.execute('SELECT explanation_hash FROM entitlements WHERE id = ?',
                                      (pending_id,)).fetchone()
        finally:
            con.close()
        self.assertEqual(app['proposal']['entitlements'][0]['explanation_hash'], run_hash)
        # listed by kind for the office
        r = self.call(self.office, 'GET', '/api/v1/applications?kind=benefit', status=200)
        self.assertIn(app['id'], [x['id'] for x in r.json['items']])

        # the same key again while open: 409
        r = self.apply(self.lin_tok)
        self.assertProblem(r, 409, 'open_application')

        # another talent neither sees nor acts: 404
        r = self.call(self.wu_tok, 'GET', f'/api/v1/applications/{app["id"]}')
        self.assertEqual(r.status, 404, r.body)
        r = self.act(self.wu_tok, app['id'], 'withdraw')
        self.assertEqual(r.status, 404, r.body)
        # nor may the employer of no one here (Lin has no employer)
        r = self.call(self.employer, 'GET', f'/api/v1/applications/{app["id"]}')
        self.assertEqual(r.status, 404, r.body)
        # the talent cannot approve her own
        r = self.act(self.lin_tok, app['id'], 'approve')
        self.assertProblem(r, 409, 'not_your_step')

        # the office approves: the entitlement is confirmed (the policy run's row), noticed
        r = self.act(self.office, app['id'], 'approve', comment='材料齐全', status=200)
        self.assertEqual(r.json['state'], 'approved')
        row = self.entitlement(self.lin)
        self.assertEqual(row, (pending_id, 'confirmed', AMOUNT, 1, app['id']))
        r = self.call(self.lin_tok, 'GET', '/api/v1/notices', status=200)
        mine = [n for n in r.json['items'] if n['entitlement_id'] == pending_id]
        self.assertEqual(len(mine), 1)
        self.assertIn('100000.00', mine[0]['text_zh'])
        # audited in the same transaction as the approval
        con = self.db()
        try:
            acts = [a for (a,) in con.execute(
                "SELECT action FROM audit_log WHERE action IN ('application.approve', "
                "'entitlement.confirm_application')")]
        finally:
            con.close()
        self.assertIn('entitlement.confirm_application', acts)
        self.assertIn('application.approve', acts)
        # approved is final; a new application of the same key is refused at approval
        r = self.act(self.office, app['id'], 'approve')
        self.assertProblem(r, 409, 'action_not_allowed')

        # the next payment run pays it
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2026-12'}, 201)
        rid = r.json['id']
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines?limit=1000', status=200)
        lines = [x for x in r.json['items'] if x['entitlement_id'] == pending_id]
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]['amount_fen'], AMOUNT)
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/cancel',
                  {'reason': '测试结束'}, 200)

    def test_2_refusals(self):
        # ineligible: the failed condition is named
        r = self.apply(self.wu_tok)
        self.assertProblem(r, 422, field='policy')
        self.assertEqual(field_codes(r.json, 'policy'), ['ineligible'])
        self.assertIn(AGE_RULE, r.body.decode('utf-8'))
        r = self.call(self.wu_tok, 'GET', f'/api/v1/benefits/prefill?policy={POLICY}&period=2026')
        self.assertProblem(r, 422, field='policy')
        self.assertIn(AGE_RULE, r.body.decode('utf-8'))
        # proactive: paid without applying
        r = self.apply(self.lin_tok, policy='talent-allowance')
        self.assertProblem(r, 422, field='policy')
        self.assertEqual(field_codes(r.json, 'policy'), ['proactive_policy'])
        # unknown policy, bad period, nothing due in 2025 (the contract is 2026)
        r = self.apply(self.lin_tok, policy='no-such-policy')
        self.assertEqual(field_codes(r.json, 'policy'), ['unknown_policy'])
        r = self.apply(self.lin_tok, period='26')
        self.assertEqual(r.status, 422, r.body)
        self.assertIn('period', [e['field'] for e in r.json['errors']])
        r = self.apply(self.lin_tok, period='2025')
        self.assertEqual(field_codes(r.json, 'period'), ['not_due'])
        # a talent applies only for themself; a tier is no part of a benefit
        r = self.apply(self.lin_tok, talent_id=self.wu)
        self.assertEqual(r.status, 422, r.body)
        r = self.apply(self.lin_tok, claimed_tier=5)
        self.assertEqual(field_codes(r.json, 'claimed_tier'), ['not_allowed'])
        # the employer cannot prefill for someone it does not employ
        r = self.call(self.employer, 'GET',
                      f'/api/v1/benefits/prefill?policy={POLICY}&period=2026&talent_id={self.lin}')
        self.assertEqual(r.status, 404, r.body)

    def test_3_employer_confirms_office_returns_resubmitted(self):
        r = self.apply(self.zhao_tok)
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual(app['state'], 'employer_review')
        # the office cannot skip the employer
        r = self.act(self.office, app['id'], 'approve')
        self.assertProblem(r, 409, 'not_your_step')
        self.act(self.employer, app['id'], 'approve', comment='在职', status=200)
        # the office returns it: the facts must be corrected
        r = self.act(self.office, app['id'], 'return', comment='请更正购房面积', fields=['facts'],
                     status=200)
        self.assertEqual(r.json['state'], 'returned')
        self.assertEqual(r.json['returned_fields'], ['facts'])
        r = self.act(self.office, app['id'], 'return', comment='x', fields=['claims'])
        self.assertEqual(r.status, 409, r.body)   # returned already: not allowed now
        # resubmitted: prefilled again, through the employer again
        r = self.act(self.zhao_tok, app['id'], 'resubmit', form={'statement': '已更正'}, status=200)
        self.assertEqual(r.json['state'], 'employer_review')
        self.assertEqual(r.json['proposal']['entitlements'][0]['amount_fen'], AMOUNT)
        self.act(self.employer, app['id'], 'approve', status=200)
        r = self.act(self.office2, app['id'], 'approve', status=200)
        self.assertEqual(r.json['state'], 'approved')
        row = self.entitlement(self.zhao)
        self.assertEqual((row[1], row[2], row[4]), ('confirmed', AMOUNT, app['id']))

    def test_4_employer_applies_for_staff_and_reject(self):
        # the employer's HR applies for Qian: its application is its confirmation
        r = self.apply(self.employer, talent_id=self.qian)
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual(app['state'], 'office_review')
        # and for someone it does not employ: 404
        r = self.apply(self.employer, talent_id=self.lin)
        self.assertEqual(r.status, 404, r.body)
        # Qian sees it; the office rejects it with a reason
        self.call(self.qian_tok, 'GET', f'/api/v1/applications/{app["id"]}', status=200)
        r = self.act(self.office, app['id'], 'reject')
        self.assertEqual(r.status, 422, r.body)   # a rejection needs its reason
        r = self.act(self.office, app['id'], 'reject', comment='合同日期有疑问', status=200)
        self.assertEqual(r.json['state'], 'rejected')
        row = self.entitlement(self.qian)   # the policy run's pending row, at most
        self.assertTrue(row is None or row[1] == 'pending', row)
        # closed: the key may be applied for again
        r = self.apply(self.qian_tok)
        self.assertEqual(r.status, 201, r.body)
        self.act(self.qian_tok, r.json['id'], 'withdraw', status=200)

    def test_5_per_item_policy(self):
        """child-schooling (人才子女就学, person, per child, year, apply; kind service): tier
        1..6 valid on Sep 1 of Y, child's age on Sep 1 of Y in 6..14 → one school place.
        Sun: tier 5 from 2024-01-01 to 2028-12-31; c1 born 2016-05-01 (10 on 2026-09-01),
        c2 born 2018-03-01 (8) → both granted for 2026; the item is part of the key."""
        body = test_talents.talent_body(
            805, town=test_talents.TOWN_CHENDAI,
            tier={'level': 5, 'from': '2024-01-01', 'to': '2028-12-31'},
            children=[{'name': '孙一', 'birth_date': '2016-05-01'},
                      {'name': '孙二', 'birth_date': '2018-03-01'}])
        r = self.call(self.office, 'POST', '/api/v1/talents', body, 201)
        tid = r.json['id']
        tok = self.server.staff_token('sun-talent', 'talent', '--talent-id', str(tid))
        r = self.apply(tok, policy='child-schooling')
        self.assertProblem(r, 422, field='item')
        self.assertIn('c1, c2', r.json['errors'][0]['detail'])
        r = self.apply(tok, policy='child-schooling', item='c2')
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        e = app['proposal']['entitlements']
        self.assertEqual([(x['item'], x['kind'], x['quantity']) for x in e], [('c2', 'service', 1)])
        # an item on a policy that has none
        r = self.apply(tok, policy=POLICY, item='c1')
        self.assertEqual(field_codes(r.json, 'item'), ['not_allowed'])
        # returned: the wrong child; resubmitted for the other one
        self.act(self.office, app['id'], 'return', comment='请选择长子', fields=['item'], status=200)
        r = self.act(tok, app['id'], 'resubmit', item='c1', status=200)
        self.assertEqual(r.json['item'], 'c1')
        self.assertEqual(r.json['proposal']['entitlements'][0]['item'], 'c1')
        # the item cannot change outside a resubmission
        r = self.act(self.office, app['id'], 'approve', item='c2')
        self.assertEqual(r.status, 422, r.body)
        self.act(self.office, app['id'], 'approve', status=200)
        con = self.db()
        try:
            rows = con.execute(
                "SELECT item, status, kind, quantity, application_id FROM entitlements WHERE "
                "policy = 'child-schooling' AND beneficiary_id = ? AND period_key = '2026' "
                "AND status = 'confirmed'", (tid,)).fetchall()
        finally:
            con.close()
        self.assertEqual(rows, [('c1', 'confirmed', 'service', 1, app['id'])])
        # Sun was registered after the policy run: the approval wrote the row, hanging off a
        # one-talent run that names the application
        con = self.db()
        try:
            run = con.execute(
                "SELECT r.pack_hash, r.talents, r.entitlements FROM entitlements e JOIN "
                "policy_runs r ON r.id = e.run_id WHERE e.policy = 'child-schooling' AND "
                "e.beneficiary_id = ? AND e.item = 'c1'", (tid,)).fetchone()
        finally:
            con.close()
        self.assertEqual(run, (f'application:{app["id"]}', 1, 1))


if __name__ == '__main__':
    import unittest
    unittest.main()
