"""Idempotency-Key (issue 6 item 5; src/http/idempotency.h, docs/payments-accounts.md).

"Every POST that creates or moves money takes an Idempotency-Key; the same key with the
same body replays the first response; with a different body is a 422."  No money route
exists yet, so the mechanism is exercised on PUT /talents/{id}/bank-account, which opts in
(it changes where money goes).  Expectations, from the issue and the brief:
  - no key → 428 (problem+json); a key outside 1–128 printable ASCII → 400;
  - the same key 1,000 times, 50 at once → one effect (one history row, one audit record),
    identical replies (status and body byte for byte), all but one marked
    Idempotent-Replayed: true;
  - the same key with another body → 422 idempotency_key_reused;
  - another account using the same key string is independent;
  - a 5xx is not stored: the retry runs afresh;
  - keys expire after 24 h.
"""
import concurrent.futures
import os
import sqlite3
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_talents  # noqa: E402

CARD = '6222021234567890128'
CARD2 = '6200000000000005'
CARD3 = '4111111111111111'


class Idempotency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clock = harness.FakeClock()
        cls.server = harness.Server(env=cls.clock.env)
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
        s, _, _ = cls.server.account(username, role, *opts)
        r = s.request('POST', '/api/v1/tokens', {'name': 't', 'expires_in_days': 365})
        assert r.status == 201, r.body
        return r.json['token']

    @classmethod
    def _setup(cls):
        cls.office = cls.token('idem-office', 'office_reviewer')
        cls.auditor = cls.token('idem-auditor', 'auditor')
        srv = cls.server
        town = srv.request('GET', '/api/v1/reference/towns').json['items'][0]['code']
        r = srv.request('POST', '/api/v1/talents',
                        {'name': '幂等测试', 'id_number': test_talents.make_id(7, '19900707'),
                         'town': town},
                        headers={'Authorization': 'Bearer ' + cls.office})
        assert r.status == 201, r.body
        cls.tid = r.json['id']
        cls.talent = cls.token('idem-talent', 'talent', '--talent-id', str(cls.tid))

    def put(self, token, key, number=CARD, **extra):
        body = {'bank': '中国银行', 'branch': '晋江支行', 'account_name': '幂等测试',
                'account_number': number, 'current_password': harness.PASSWORD}
        body.update(extra)
        h = {'Authorization': 'Bearer ' + token}
        if key is not None:
            h['Idempotency-Key'] = key
        return self.server.request('PUT', f'/api/v1/talents/{self.tid}/bank-account', body,
                                   headers=h)

    def history(self):
        r = self.server.request('GET', f'/api/v1/talents/{self.tid}/bank-account/history',
                                headers={'Authorization': 'Bearer ' + self.office})
        self.assertEqual(r.status, 200, r.body)
        return r.json['items']

    def audit_writes(self):
        n = 0
        for action in ('bank_account.add', 'bank_account.change'):
            r = self.server.request('GET', f'/api/v1/audit?action={action}&limit=500',
                                    headers={'Authorization': 'Bearer ' + self.auditor})
            self.assertEqual(r.status, 200, r.body)
            n += len(r.json['items'])
        return n

    def test_missing_key_is_428(self):
        r = self.put(self.talent, None)
        self.assertEqual(r.status, 428, r.body)
        self.assertTrue(r.header('Content-Type').startswith('application/problem+json'))
        self.assertEqual(r.json['code'], 'idempotency_key_required')
        self.assertIn('Idempotency-Key', r.json['detail'])

    def test_malformed_key_is_400(self):
        for key in ('x' * 129, 'tab\there', 'é'.encode('utf-8').decode('latin-1')):
            r = self.put(self.talent, key)
            self.assertEqual(r.status, 400, (key, r.body))
            self.assertEqual(r.json['code'], 'idempotency_key_invalid')
        self.assertEqual(self.put(self.talent, 'k' * 128, CARD3).status, 200)

    def test_same_key_1000_times_50_at_once_one_effect(self):
        rows0, audits0 = len(self.history()), self.audit_writes()
        key = 'thousand-' + str(uuid.uuid4())
        with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
            replies = list(pool.map(lambda _: self.put(self.talent, key, CARD2), range(1000)))
        statuses = {r.status for r in replies}
        self.assertEqual(statuses, {200}, [r.body[:200] for r in replies if r.status != 200][:3])
        bodies = {r.body for r in replies}
        self.assertEqual(len(bodies), 1, 'replies differ')
        replayed = [r for r in replies if r.header('Idempotent-Replayed') == 'true']
        self.assertEqual(len(replayed), 999)
        self.assertEqual(len(self.history()), rows0 + 1)
        self.assertEqual(self.audit_writes(), audits0 + 1)
        # a different body under the same key: refused, nothing written
        r = self.put(self.talent, key, CARD)
        self.assertEqual(r.status, 422, r.body)
        self.assertEqual(r.json['code'], 'idempotency_key_reused')
        self.assertEqual(len(self.history()), rows0 + 1)

    def test_4xx_is_kept_and_replayed(self):
        key = str(uuid.uuid4())
        r1 = self.put(self.talent, key, '6222021234567890129')   # Luhn fails: 422
        self.assertEqual(r1.status, 422)
        r2 = self.put(self.talent, key, '6222021234567890129')
        self.assertEqual((r2.status, r2.body), (r1.status, r1.body))
        self.assertEqual(r2.header('Idempotent-Replayed'), 'true')
        self.assertEqual(r2.header('Content-Type'), r1.header('Content-Type'))

    def test_another_account_same_key_is_independent(self):
        rows0 = len(self.history())
        key = 'shared-' + str(uuid.uuid4())
        r1 = self.put(self.talent, key, CARD)
        self.assertEqual(r1.status, 200, r1.body)
        r2 = self.put(self.office, key, CARD, reason='本人来电更换')
        self.assertEqual(r2.status, 200, r2.body)
        self.assertIsNone(r2.header('Idempotent-Replayed'))
        self.assertNotEqual(r1.json['id'], r2.json['id'])
        self.assertEqual(len(self.history()), rows0 + 2)

    def test_5xx_is_not_stored(self):
        rows0 = len(self.history())
        db = sqlite3.connect(self.server.db, timeout=30)
        # a trigger naming a table that does not exist: the insert fails inside the handler
        db.execute('CREATE TRIGGER test_break BEFORE INSERT ON bank_accounts '
                   'BEGIN INSERT INTO no_such_table VALUES (1); END')
        db.commit()
        key = str(uuid.uuid4())
        try:
            r = self.put(self.talent, key, CARD3)
            self.assertGreaterEqual(r.status, 500, r.body)
        finally:
            db.execute('DROP TRIGGER test_break')
            db.commit()
            db.close()
        self.assertEqual(len(self.history()), rows0)   # the failed attempt left nothing
        r = self.put(self.talent, key, CARD3)
        self.assertEqual(r.status, 200, r.body)
        self.assertIsNone(r.header('Idempotent-Replayed'))
        self.assertEqual(len(self.history()), rows0 + 1)

    def test_zz_keys_expire_after_24h(self):
        key = str(uuid.uuid4())
        r1 = self.put(self.talent, key, CARD2)
        self.assertEqual(r1.status, 200, r1.body)
        self.clock.advance(23 * 3600)
        self.assertEqual(self.put(self.talent, key, CARD2).header('Idempotent-Replayed'), 'true')
        self.clock.advance(3600 + 1)
        rows0 = len(self.history())
        r3 = self.put(self.talent, key, CARD2)
        self.assertEqual(r3.status, 200, r3.body)
        self.assertIsNone(r3.header('Idempotent-Replayed'))
        self.assertEqual(len(self.history()), rows0 + 1)


if __name__ == '__main__':
    unittest.main()
