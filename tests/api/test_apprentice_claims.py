"""Enterprise training-subsidy claims (企业新型学徒制培训补贴, policy apprentice-training;
issue 7 item 4): a benefit application whose beneficiary is the enterprise, over the real
server (migrations 0021, 0022; docs/payments.md "Enterprise claims").

Amounts worked out by hand from /work/shared/reference/default-pack.md (row
apprentice-training: enterprise, per apprentice, apply; every apprentice with an enrolment
date; intermediate 5000, advanced 6000 元; instalment 1 = 50 % due in the enrolment year;
instalment 2 = the rest, due in the completion year, only once completed_on is set):
  apprentice A1, intermediate, enrolled 2026-03-01:
    2026: instalment 1 = floor(500000 / 2) = 250000 fen;
    completed 2027-06-30 → 2027: instalment 2 = 500000 - 250000 = 250000 fen.
  apprentice A2, advanced, enrolled 2026-09-01: 2026 instalment 1 = 300000 fen.
  apprentice A3, no enrolment date: nothing due; a claim is refused naming enrolled_on.
Rules from the brief: the employer (or the office for it) claims; the office reviews — no
employer-confirmation step when the employer is the applicant; approval confirms the
entitlement; the payment run pays the enterprise's account; another enterprise's claim or
apprentice is 404; a claim of the same key twice is 409.
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402
import test_talents  # noqa: E402

POLICY = 'apprentice-training'
CORP_A = '350016510000525004321'


class ApprenticeClaims(harness.ServerTest):
    login_as = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.office = s.staff_token('office', 'office_reviewer')
        cls.fin = s.staff_token('fin', 'finance')
        cls.ents = []
        for k in (1, 2):
            body = {'name': f'学徒补贴测试企业{k}', 'credit_code': test_talents.uscc(840 + k),
                    'town': test_talents.TOWN_CHENDAI}
            r = s.request('POST', '/api/v1/enterprises', body, headers=cls.h(cls.office))
            assert r.status == 201, r.body
            cls.ents.append((r.json['id'], body))
        cls.eid = cls.ents[0][0]
        cls.emp = s.staff_token('hr-claim', 'employer', '--enterprise-id', str(cls.eid))
        cls.emp2 = s.staff_token('hr-claim2', 'employer', '--enterprise-id', str(cls.ents[1][0]))
        # the enterprise's verified corporate account, as the office loads them
        pay_seed.import_accounts(harness.BIN, s.db, [
            (None, cls.ents[0][1]['credit_code'], cls.ents[0][1]['name'], CORP_A)])

        def apprentice(seq, level, enrolled):
            r = s.request('POST', f'/api/v1/enterprises/{cls.eid}/apprentices', {
                'name': f'学徒{seq}', 'id_number': test_talents.make_id(seq, birth='20050101'),
                'level': level, 'enrolled_on': enrolled}, headers=cls.h(cls.emp))
            assert r.status == 201, r.body
            return r.json
        cls.a1 = apprentice(861, 'intermediate', '2026-03-01')
        cls.a2 = apprentice(862, 'advanced', '2026-09-01')
        cls.a3 = apprentice(863, 'advanced', None)

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
            ApprenticeClaims.seq += 1
            key = f'claim-{ApprenticeClaims.seq}'
        r = self.server.request(method, path, body=body, headers=self.h(token, key))
        if status is not None:
            self.assertEqual(r.status, status, r.body[:800])
        return r

    def claim(self, token, item, period='2026', eid=None, policy=POLICY):
        return self.call(token, 'POST', '/api/v1/applications', {
            'kind': 'benefit', 'policy': policy, 'period': period, 'item': str(item),
            'enterprise_id': eid or self.eid})

    def prefill(self, token, item, period, eid=None):
        return self.call(token, 'GET', f'/api/v1/benefits/prefill?policy={POLICY}&period={period}'
                         f'&item={item}&enterprise_id={eid or self.eid}')

    def entitlement(self, item, period, instalment):
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            return con.execute(
                'SELECT id, status, amount_fen, application_id FROM entitlements WHERE '
                "policy = ? AND beneficiary_kind = 'enterprise' AND beneficiary_id = ? AND "
                'item = ? AND period_key = ? AND instalment = ?',
                (POLICY, self.eid, str(item), period, instalment)).fetchone()
        finally:
            con.close()

    def codes(self, r, field):
        return [e['code'] for e in r.json.get('errors', []) if e.get('field') == field]

    # ------------------------------------------------------------------

    def test_1_prefill_claim_approve_pay(self):
        a1 = self.a1['id']
        r = self.prefill(self.emp, a1, '2026')
        self.assertEqual(r.status, 200, r.body)
        pre = r.json
        self.assertEqual(pre['facts']['enterprise']['id'], str(self.eid))
        mine = [x for x in pre['facts']['enterprise']['apprentices'] if x['id'] == str(a1)]
        self.assertEqual(mine, [{'id': str(a1), 'level': 'intermediate',
                                 'enrolled_on': '2026-03-01'}])
        self.assertEqual([(e['period'], e['item'], e['instalment'], e['amount_fen'])
                          for e in pre['entitlements']], [('2026', str(a1), 1, 250000)])
        self.assertEqual(pre['total_fen'], 250000)
        # nothing due in 2027 before completion
        r = self.prefill(self.emp, a1, '2027')
        self.assertProblem(r, 422, field='period')

        # `policy run` writes the pending row, with the same explanation hash
        p = harness.run_cli('policy', 'run', '--db', self.server.db, '--period', '2026',
                            '--pack', harness.PACK)
        self.assertEqual(p.returncode, 0, p.stderr)
        row = self.entitlement(a1, '2026', 1)
        self.assertEqual(row[1:3], ('pending', 250000))
        self.assertEqual(self.entitlement(self.a2['id'], '2026', 1)[1:3], ('pending', 300000))
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            (run_hash,) = con.execute('SELECT explanation_hash FROM entitlements WHERE id = ?',
                                      (row[0],)).fetchone()
        finally:
            con.close()
        self.assertEqual(pre['entitlements'][0]['explanation_hash'], run_hash)

        # the employer claims: straight to the office (the employer is the applicant)
        r = self.claim(self.emp, a1)
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual((app['kind'], app['state'], app['policy'], app['period'], app['item'],
                          app['beneficiary_kind'], app['talent_id'], app['enterprise_id']),
                         ('benefit', 'office_review', POLICY, '2026', str(a1), 'enterprise',
                          None, self.eid))
        self.assertEqual(app['proposal']['entitlements'][0]['amount_fen'], 250000)
        # the same key twice while open: 409
        r = self.claim(self.emp, a1)
        self.assertProblem(r, 409, 'open_application')
        # the employer sees it in its list; the other employer does not, nor can open it
        r = self.call(self.emp, 'GET', '/api/v1/applications?kind=benefit', status=200)
        self.assertIn(app['id'], [x['id'] for x in r.json['items']])
        r = self.call(self.emp, 'GET', '/api/v1/applications?beneficiary=enterprise', status=200)
        self.assertIn(app['id'], [x['id'] for x in r.json['items']])
        self.assertTrue(all(x['talent_id'] is None for x in r.json['items']))
        r = self.call(self.emp, 'GET', '/api/v1/applications?beneficiary=talent', status=200)
        self.assertNotIn(app['id'], [x['id'] for x in r.json['items']])
        r = self.call(self.emp, 'GET', '/api/v1/applications?beneficiary=company')
        self.assertProblem(r, 422, field='beneficiary')
        r = self.call(self.emp2, 'GET', '/api/v1/applications?kind=benefit', status=200)
        self.assertNotIn(app['id'], [x['id'] for x in r.json['items']])
        self.assertEqual(self.call(self.emp2, 'GET', f'/api/v1/applications/{app["id"]}').status,
                         404)
        # the employer may not approve its own claim
        r = self.call(self.emp, 'POST', f'/api/v1/applications/{app["id"]}/actions',
                      {'action': 'approve'})
        self.assertProblem(r, 409, 'not_your_step')

        # the office approves: the entitlement is confirmed for the application
        r = self.call(self.office, 'POST', f'/api/v1/applications/{app["id"]}/actions',
                      {'action': 'approve', 'comment': '材料齐全'}, 200)
        self.assertEqual(r.json['state'], 'approved')
        self.assertEqual(self.entitlement(a1, '2026', 1), (row[0], 'confirmed', 250000, app['id']))
        # claimed again after approval: 409
        r = self.claim(self.emp, a1)
        self.assertProblem(r, 409, 'already_claimed')
        # the enterprise is told
        r = self.call(self.emp, 'GET', '/api/v1/notices', status=200)
        self.assertTrue(any(n['entitlement_id'] == row[0] and '2500.00' in n['text_zh']
                            for n in r.json['items']), r.json)

        # the payment run pays the enterprise's account
        r = self.call(self.office, 'POST', '/api/v1/payment-runs', {'period': '2026-12'}, 201)
        rid = r.json['id']
        r = self.call(self.fin, 'GET', f'/api/v1/payment-runs/{rid}/lines?limit=1000', status=200)
        lines = [x for x in r.json['items'] if x['entitlement_id'] == row[0]]
        self.assertEqual(len(lines), 1, r.json)
        self.assertEqual((lines[0]['beneficiary_kind'], lines[0]['beneficiary_id'],
                          lines[0]['amount_fen']), ('enterprise', self.eid, 250000))
        # the unclaimed apprentice's pending row is not paid (apply channel)
        p2 = self.entitlement(self.a2['id'], '2026', 1)[0]
        self.assertNotIn(p2, [x['entitlement_id'] for x in r.json['items']])
        self.call(self.office, 'POST', f'/api/v1/payment-runs/{rid}/cancel',
                  {'reason': '测试结束'}, 200)

        # completion recorded → instalment 2 due in 2027: the rest, 250000 fen
        r = self.call(self.emp, 'PATCH', f'/api/v1/enterprises/{self.eid}/apprentices/{a1}',
                      {'completed_on': '2027-06-30'})
        self.assertEqual(r.status, 200, r.body)
        r = self.prefill(self.emp, a1, '2027')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual([(e['period'], e['instalment'], e['amount_fen'])
                          for e in r.json['entitlements']], [('2027', 2, 250000)])

    def test_2_office_claims_for_the_enterprise(self):
        r = self.claim(self.office, self.a2['id'])
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual(app['state'], 'office_review')
        self.assertEqual(app['proposal']['entitlements'][0]['amount_fen'], 300000)
        # the employer is the applicant: it may withdraw
        r = self.call(self.emp, 'GET', f'/api/v1/applications/{app["id"]}', status=200)
        self.assertIn('withdraw', r.json['actions'])
        r = self.call(self.emp, 'POST', f'/api/v1/applications/{app["id"]}/actions',
                      {'action': 'withdraw'}, 200)
        self.assertEqual(r.json['state'], 'withdrawn')

    def test_2b_returned_claim_is_fixed_and_resubmitted(self):
        # claimed with the wrong level; the office returns it naming the facts; the employer
        # corrects the register and resubmits: the proposal is made again from the register
        r = self.call(self.emp, 'POST', f'/api/v1/enterprises/{self.eid}/apprentices', {
            'name': '学徒返', 'id_number': test_talents.make_id(864, birth='20050101'),
            'level': 'intermediate', 'enrolled_on': '2026-04-01'})
        self.assertEqual(r.status, 201, r.body)
        a = r.json
        r = self.claim(self.emp, a['id'])
        self.assertEqual(r.status, 201, r.body)
        app = r.json
        self.assertEqual(app['proposal']['entitlements'][0]['amount_fen'], 250000)
        r = self.call(self.office, 'POST', f'/api/v1/applications/{app["id"]}/actions',
                      {'action': 'return', 'comment': '学徒实为高级工班，请更正登记', 'fields': ['facts']},
                      200)
        self.assertEqual(r.json['state'], 'returned')
        r = self.call(self.emp, 'PATCH', f'/api/v1/enterprises/{self.eid}/apprentices/{a["id"]}',
                      {'level': 'advanced'})
        self.assertEqual(r.status, 200, r.body)
        r = self.call(self.emp, 'POST', f'/api/v1/applications/{app["id"]}/actions',
                      {'action': 'resubmit'}, 200)
        self.assertEqual(r.json['state'], 'office_review')
        r = self.call(self.office, 'GET', f'/api/v1/applications/{app["id"]}', status=200)
        # advanced: 6000 元, half in 2026
        self.assertEqual(r.json['application']['proposal']['entitlements'][0]['amount_fen'], 300000)

    def test_3_refusals(self):
        # no enrolment date: 422 naming enrolled_on
        r = self.claim(self.emp, self.a3['id'])
        self.assertProblem(r, 422, field='enrolled_on')
        r = self.prefill(self.emp, self.a3['id'], '2026')
        self.assertProblem(r, 422, field='enrolled_on')
        # another enterprise: its employer cannot claim for (nor look into) this one
        r = self.claim(self.emp2, self.a1['id'])
        self.assertEqual(r.status, 404, r.body)
        r = self.prefill(self.emp2, self.a1['id'], '2026')
        self.assertEqual(r.status, 404, r.body)
        # ... nor claim this enterprise's apprentice as its own
        r = self.claim(self.emp2, self.a1['id'], eid=self.ents[1][0])
        self.assertProblem(r, 422, field='item')
        self.assertEqual(self.codes(r, 'item'), ['unknown_item'])
        # the item is required for a per-apprentice policy
        r = self.call(self.emp, 'POST', '/api/v1/applications', {
            'kind': 'benefit', 'policy': POLICY, 'period': '2026', 'enterprise_id': self.eid})
        self.assertProblem(r, 422, field='item')
        # a person's policy is not an enterprise's
        r = self.claim(self.emp, self.a1['id'], policy='graduate-housing')
        self.assertProblem(r, 422, field='policy')
        self.assertEqual(self.codes(r, 'policy'), ['person_policy'])
        # enterprise_id with a talent, or on another kind: 422
        r = self.call(self.emp, 'POST', '/api/v1/applications', {
            'kind': 'identification', 'enterprise_id': self.eid})
        self.assertProblem(r, 422, field='enterprise_id')
        # nothing was written by the refusals
        con = sqlite3.connect(self.server.db, timeout=10)
        try:
            n = con.execute("SELECT count(*) FROM applications WHERE talent_id IS NULL AND "
                            "item = ?", (str(self.a3['id']),)).fetchone()[0]
        finally:
            con.close()
        self.assertEqual(n, 0)


if __name__ == '__main__':
    import unittest
    unittest.main()
