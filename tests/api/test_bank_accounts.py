"""Bank accounts of talents and enterprises: where the money goes (issue 6 item 2,
docs/payments-accounts.md).

Expectations come from the issue and the brief, not from the program's answers:
  - a talent's account is a personal card: 16-19 digits passing the Luhn check (vectors
    from published test cards); an enterprise's is corporate: 8-30 digits, no check digit;
  - the account name equals the registered name of the talent / enterprise, else 422
    naming account_name;
  - a PUT needs the caller's current password (422 when missing, 403 when wrong) and the
    TOTP code when the caller has TOTP; an office reviewer gives a reason;
  - numbers are masked ("6222 **** **** 0128") unless ?unmask=true, which is audited;
  - nothing is overwritten: the history keeps the replaced account;
  - a change within 30 days holds the next payment until an office reviewer or finance
    (not the one who made the change) confirms it;
  - other people's accounts are 404.
The server runs on a fake clock (TOTP codes are spent once per 30 s step; the 30-day rule).
"""
import os
import urllib.parse
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_enterprises  # noqa: E402
import test_talents  # noqa: E402

CARD = '6222021234567890128'          # Luhn-valid, 19 digits (check digit worked out by hand)
CARD2 = '6200000000000005'            # UnionPay test card (Stripe), 16 digits
CARD3 = '6205500000000000004'         # UnionPay test card (Stripe), 19 digits
CARD4 = '4111111111111111'            # Visa test card
BAD_LUHN = '6222021234567890129'      # CARD with the last digit changed
CORP = '350016510000525001234'        # 21 digits, not Luhn-valid: fine for a corporate account
DAY = 86400


class BankAccounts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clock = harness.FakeClock()
        cls.server = harness.Server(env=cls.clock.env)
        cls.n = 0
        try:
            cls._setup()
        except Exception:
            cls.server.stop()
            cls.clock.close()
            raise

    @classmethod
    def tearDownClass(cls):
        report = cls.server.stop()
        cls.clock.close()
        if report:
            raise AssertionError('sanitizer report from the server:\n' + report[-6000:])

    @classmethod
    def token(cls, username, role, *opts):
        s, _, secret = cls.server.account(username, role, *opts)
        r = s.request('POST', '/api/v1/tokens', {'name': 't', 'expires_in_days': 365})
        assert r.status == 201, r.body
        return {'token': r.json['token'], 'secret': secret, 'session': s,
                'id': s.body['user']['id']}

    @classmethod
    def call(cls, who, method, path, body=None, headers=None):
        h = {'Authorization': 'Bearer ' + who['token']}
        h.update(headers or {})
        return cls.server.request(method, path, body, headers=h)

    @classmethod
    def new_talent(cls, name, enterprise_id):
        cls.n += 1
        idn = test_talents.make_id(cls.n, birth='19880808')
        r = cls.call(cls.office, 'POST', '/api/v1/talents',
                     {'name': name, 'id_number': idn, 'town': cls.town,
                      'enterprise_id': enterprise_id})
        assert r.status == 201, r.body
        return r.json['id']

    @classmethod
    def _setup(cls):
        cls.office = cls.token('ba-office', 'office_reviewer', '--unmask')
        cls.office2 = cls.token('ba-office2', 'office_reviewer')
        cls.finance = cls.token('ba-finance', 'finance')
        cls.auditor = cls.token('ba-auditor', 'auditor')
        cls.town = cls.call(cls.office, 'GET', '/api/v1/reference/towns').json['items'][0]['code']
        r = cls.call(cls.office, 'POST', '/api/v1/enterprises',
                     test_enterprises.enterprise_body(8101, town=cls.town))
        assert r.status == 201, r.body
        cls.ent, cls.ent_name = r.json['id'], r.json['name']
        r = cls.call(cls.office, 'POST', '/api/v1/enterprises',
                     test_enterprises.enterprise_body(8102, town=cls.town))
        cls.ent2 = r.json['id']
        cls.a = cls.new_talent('银行测试甲', cls.ent)
        cls.b = cls.new_talent('银行测试乙', cls.ent2)
        cls.c = cls.new_talent('银行测试丙', cls.ent)
        cls.d = cls.new_talent('银行测试丁', cls.ent)
        cls.ta = cls.token('ba-talent-a', 'talent', '--talent-id', str(cls.a))
        cls.tb = cls.token('ba-talent-b', 'talent', '--talent-id', str(cls.b))
        cls.tc = cls.token('ba-talent-c', 'talent', '--talent-id', str(cls.c))
        cls.employer = cls.token('ba-employer', 'employer', '--enterprise-id', str(cls.ent))
        # talent C enrols TOTP
        s = cls.tc['session']
        r = s.request('POST', '/api/v1/session/totp', {})
        cls.tc['secret'] = r.json['secret']
        r = s.request('POST', '/api/v1/session/totp/confirm',
                      {'code': harness.totp(cls.tc['secret'], t=cls.clock.now)})
        assert r.status == 204, r.body
        cls.clock.advance(31)

    # ---- helpers ----

    def put(self, who, kind, bid, body, key=None, password=harness.PASSWORD, lang=None):
        b = dict(body)
        if password is not None:
            b.setdefault('current_password', password)
        h = {'Idempotency-Key': key or str(uuid.uuid4())}
        if lang:
            h['Accept-Language'] = lang
        return self.call(who, 'PUT', f'/api/v1/{kind}/{bid}/bank-account', b, headers=h)

    def card(self, name, number=CARD, **extra):
        b = {'bank': '中国工商银行', 'branch': '晋江支行', 'account_name': name,
             'account_number': number}
        b.update(extra)
        return b

    def assertProblem(self, r, status, code=None, field=None):
        self.assertEqual(r.status, status, r.body[:600])
        self.assertTrue(r.header('Content-Type').startswith('application/problem+json'))
        p = r.json
        if code:
            self.assertEqual(p['code'], code, p)
        if field:
            self.assertIn(field, [e['field'] for e in p.get('errors', [])], p)
        return p

    def field_error(self, r, field):
        return [e for e in r.json.get('errors', []) if e['field'] == field][0]

    # ---- the number ----

    def test_luhn_failures(self):
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试甲', BAD_LUHN))
        e = self.field_error(self.assertProblem(r, 422) and r, 'account_number')
        self.assertEqual(e['code'], 'account_number_luhn')
        for number, code in (('378282246310005', 'account_number_length'),   # Amex: 15
                             ('62220212345678901280', 'account_number_length'),  # 20
                             ('6222-0212-3456-7890', 'account_number_digits'),
                             ('4111111111111112', 'account_number_luhn')):
            r = self.put(self.ta, 'talents', self.a, self.card('银行测试甲', number))
            self.assertEqual(r.status, 422, (number, r.body))
            self.assertEqual(self.field_error(r, 'account_number')['code'], code, number)
        # spaces group digits and are accepted
        r = self.put(self.tb, 'talents', self.b, self.card('银行测试乙', '6200 0000 0000 0005'))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['account_number_masked'], '6200 **** **** 0005')

    def test_name_must_match_registered_name(self):
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试乙'), lang='en')
        e = self.field_error(self.assertProblem(r, 422) and r, 'account_name')
        self.assertEqual(e['code'], 'account_name_mismatch')
        self.assertIn('account_name', e['detail'])
        self.assertIn('registered name', e['detail'])
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试乙'), lang='zh-CN')
        self.assertIn('account_name', self.field_error(r, 'account_name')['detail'])
        self.assertIn('姓名', self.field_error(r, 'account_name')['detail'])

    def test_password_required_and_checked(self):
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试甲'), password=None)
        self.assertProblem(r, 422, field='current_password')
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试甲'), password='not-it-2026!')
        self.assertProblem(r, 403, 'wrong_password', field='current_password')
        # the failure counts like a failed login (audited)
        r = self.call(self.auditor, 'GET', '/api/v1/audit?action=auth.login_failed&limit=500')
        self.assertTrue(any(x['actor'] == 'ba-talent-a' for x in r.json['items']), r.json)

    def test_totp_required_when_enrolled(self):
        body = self.card('银行测试丙', CARD3)
        r = self.put(self.tc, 'talents', self.c, body)
        self.assertProblem(r, 403, 'totp_required', field='totp')
        self.clock.advance(31)
        wrong = '%06d' % ((int(harness.totp(self.tc['secret'], t=self.clock.now)) + 1) % 10 ** 6)
        r = self.put(self.tc, 'talents', self.c, dict(body, totp=wrong))
        self.assertProblem(r, 403, 'totp_invalid', field='totp')
        self.clock.advance(31)
        r = self.put(self.tc, 'talents', self.c,
                     dict(body, totp=harness.totp(self.tc['secret'], t=self.clock.now)))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['account_number_masked'], '6205 **** **** 0004')

    # ---- masking, unmask ----

    def test_masked_and_unmask_audited(self):
        r = self.put(self.ta, 'talents', self.a, self.card('银行测试甲', CARD))
        self.assertEqual(r.status, 200, r.body)
        self.assertNotIn(CARD.encode(), r.body)
        r = self.call(self.ta, 'GET', f'/api/v1/talents/{self.a}/bank-account')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['account_number_masked'], '6222 **** **** 0128')
        self.assertNotIn('account_number', r.json)
        self.assertNotIn(CARD.encode(), r.body)
        self.assertEqual(r.json['account_type'], 'personal_card')
        self.assertEqual(r.json['account_name'], '银行测试甲')
        # a talent may not unmask; the office (with the unmask permission) may, with a reason
        r = self.call(self.ta, 'GET', f'/api/v1/talents/{self.a}/bank-account?unmask=true',
                      headers={'X-Unmask-Reason': 'verify the card number'})
        self.assertProblem(r, 403, 'unmask_forbidden')
        r = self.call(self.office, 'GET', f'/api/v1/talents/{self.a}/bank-account?unmask=true')
        self.assertProblem(r, 422, field='X-Unmask-Reason')
        r = self.call(self.office, 'GET', f'/api/v1/talents/{self.a}/bank-account?unmask=true',
                      headers={'X-Unmask-Reason': 'verify the card number'})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['account_number'], CARD)
        acct = r.json['id']
        r = self.call(self.auditor, 'GET',
                      f'/api/v1/audit?action=pii.unmask&object_type=bank_account&object_id={acct}')
        self.assertEqual(r.status, 200, r.body)
        self.assertTrue(any(x['actor'] == 'ba-office' and x['reason'] == 'verify the card number'
                            for x in r.json['items']), r.json)
        # a reason beyond ASCII comes percent-encoded (a browser cannot put UTF-8 in a header)
        # and is audited decoded; a malformed one (not UTF-8 once decoded) is refused
        why = '核对银行卡号'
        r = self.call(self.office, 'GET', f'/api/v1/talents/{self.a}/bank-account?unmask=true',
                      headers={'X-Unmask-Reason': urllib.parse.quote(why)})
        self.assertEqual(r.status, 200, r.body)
        r = self.call(self.auditor, 'GET',
                      f'/api/v1/audit?action=pii.unmask&object_type=bank_account&object_id={acct}')
        self.assertIn(why, [x['reason'] for x in r.json['items']])
        r = self.call(self.office, 'GET', f'/api/v1/talents/{self.a}/bank-account?unmask=true',
                      headers={'X-Unmask-Reason': '%E6%A0%B8%FF%0Aabc'})
        self.assertProblem(r, 422, field='X-Unmask-Reason')
        # the number is sealed at rest: not in the database file in clear
        with open(self.server.db, 'rb') as f:
            self.assertNotIn(CARD.encode(), f.read())

    # ---- history, hold, confirmation ----

    def test_history_hold_and_confirmation(self):
        d = self.new_talent('银行测试戊', self.ent)
        r = self.put(self.office, 'talents', d, self.card('银行测试戊', CARD2, reason='本人临柜申请'))
        self.assertEqual(r.status, 200, r.body)
        first = r.json
        self.assertFalse(first['is_change'])
        self.assertFalse(first['payment_hold'])   # a first account holds nothing
        r = self.call(self.office, 'POST', f'/api/v1/talents/{d}/bank-account/confirm-change', {})
        self.assertProblem(r, 409, 'nothing_to_confirm')
        r = self.put(self.office, 'talents', d, self.card('银行测试戊', CARD4, reason='本人更换银行卡'))
        self.assertEqual(r.status, 200, r.body)
        second = r.json
        self.assertTrue(second['is_change'])
        self.assertTrue(second['payment_hold'])
        self.assertEqual(second['previous_id'], first['id'])
        # history: both, newest first; the old one is replaced, not overwritten
        r = self.call(self.finance, 'GET', f'/api/v1/talents/{d}/bank-account/history')
        self.assertEqual(r.status, 200, r.body)
        items = r.json['items']
        self.assertEqual([x['id'] for x in items], [second['id'], first['id']])
        self.assertEqual(items[1]['status'], 'replaced')
        self.assertEqual(items[1]['replaced_by'], second['id'])
        self.assertEqual(items[1]['account_number_masked'], '6200 **** **** 0005')
        self.assertEqual(items[0]['status'], 'current')
        # four eyes: the office reviewer who changed it may not confirm it
        r = self.call(self.office, 'POST', f'/api/v1/talents/{d}/bank-account/confirm-change', {})
        self.assertProblem(r, 409, 'same_person')
        r = self.call(self.finance, 'POST', f'/api/v1/talents/{d}/bank-account/confirm-change',
                      {'note': '电话核实'})
        self.assertEqual(r.status, 200, r.body)
        self.assertFalse(r.json['payment_hold'])
        self.assertEqual(r.json['confirmed_by'], 'ba-finance')
        r = self.call(self.finance, 'POST', f'/api/v1/talents/{d}/bank-account/confirm-change', {})
        self.assertProblem(r, 409, 'nothing_to_confirm')
        # audited: add, change, confirm
        r = self.call(self.auditor, 'GET', '/api/v1/audit?object_type=bank_account&limit=500')
        acts = [(x['action'], x['object_id']) for x in r.json['items']]
        self.assertIn(('bank_account.add', str(first['id'])), acts)
        self.assertIn(('bank_account.change', str(second['id'])), acts)
        self.assertIn(('bank_account.confirm_change', str(second['id'])), acts)

    def test_office_gives_a_reason(self):
        r = self.put(self.office, 'talents', self.b, self.card('银行测试乙', CARD4))
        self.assertProblem(r, 422, field='reason')

    def test_talent_history_is_staff_only(self):
        r = self.call(self.ta, 'GET', f'/api/v1/talents/{self.a}/bank-account/history')
        self.assertEqual(r.status, 403, r.body)

    def test_zz_hold_lapses_after_30_days(self):
        d = self.new_talent('银行测试己', self.ent)
        self.assertEqual(self.put(self.office2, 'talents', d,
                                  self.card('银行测试己', CARD2, reason='首次登记')).status, 200)
        r = self.put(self.office2, 'talents', d, self.card('银行测试己', CARD, reason='更换银行卡'))
        self.assertTrue(r.json['payment_hold'])
        self.clock.advance(29 * DAY)
        r = self.call(self.finance, 'GET', f'/api/v1/talents/{d}/bank-account')
        self.assertTrue(r.json['payment_hold'], r.json)
        self.clock.advance(DAY + 60)
        r = self.call(self.finance, 'GET', f'/api/v1/talents/{d}/bank-account')
        self.assertFalse(r.json['payment_hold'], r.json)

    # ---- who ----

    def test_other_peoples_accounts_are_404(self):
        self.put(self.tb, 'talents', self.b, self.card('银行测试乙', CARD2))
        r = self.call(self.ta, 'GET', f'/api/v1/talents/{self.b}/bank-account')
        self.assertProblem(r, 404)
        r = self.put(self.ta, 'talents', self.b, self.card('银行测试乙', CARD4))
        self.assertProblem(r, 404)
        r = self.call(self.employer, 'GET', f'/api/v1/enterprises/{self.ent2}/bank-account')
        self.assertProblem(r, 404)
        r = self.put(self.employer, 'enterprises', self.ent2, self.card('x', CORP))
        self.assertProblem(r, 404)
        # an employer does not manage its staff's accounts (role not listed)
        r = self.call(self.employer, 'GET', f'/api/v1/talents/{self.a}/bank-account')
        self.assertEqual(r.status, 403, r.body)
        # an unknown talent is the same 404
        r = self.call(self.office, 'GET', '/api/v1/talents/999999/bank-account')
        self.assertProblem(r, 404)

    def test_enterprise_corporate_account(self):
        r = self.put(self.employer, 'enterprises', self.ent,
                     self.card(self.ent_name, CORP, account_type='personal_card'))
        self.assertEqual(self.field_error(r, 'account_type')['code'], 'account_type_mismatch')
        r = self.put(self.employer, 'enterprises', self.ent, self.card('别的公司', CORP))
        self.assertEqual(self.field_error(r, 'account_name')['code'], 'account_name_mismatch')
        r = self.put(self.employer, 'enterprises', self.ent, self.card(self.ent_name, '1234567'))
        self.assertEqual(self.field_error(r, 'account_number')['code'], 'account_number_length')
        r = self.put(self.employer, 'enterprises', self.ent, self.card(self.ent_name, CORP))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['account_type'], 'corporate')
        self.assertEqual(r.json['account_number_masked'], '3500 **** **** 1234')
        r = self.call(self.employer, 'GET', f'/api/v1/enterprises/{self.ent}/bank-account')
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['beneficiary_kind'], 'enterprise')

    def test_no_account_yet(self):
        r = self.call(self.finance, 'GET', f'/api/v1/talents/{self.d}/bank-account')
        self.assertProblem(r, 404, 'bank_account_not_found')


if __name__ == '__main__':
    unittest.main()
