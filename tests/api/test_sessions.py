"""Sessions, CSRF, brute force and TOTP (issue: "Tests for: session fixation (token changes
at login), logout and password change revoke, idle and absolute expiry (with an injectable
clock, not sleeps), lockout timing, CSRF without token and with a cross-site Origin, 415 on
form posts, TOTP with the RFC 6238 test vectors").

The rules come from src/domain/accounts.h and OWASP ASVS 4.0.3 (reliability.md): a new token
at login (3.2.1), server-side logout (3.3.1), idle 15 min for staff / 30 min for talents and
employers and 12 h absolute (3.3.2), other sessions and tokens ended on a password change
(3.3.3), cookie attributes (3.4.x), login slowed from the 5th failure and locked for 15
minutes at the 10th (2.2.1), MFA for administrators (4.3.1), CSRF (4.2.2), 415 (13.2.5).

Time is moved with $TALENTPORT_TEST_CLOCK (harness.FakeClock), never by sleeping.  Login
attempts are sent from their own loopback addresses (harness.request_from) where a test makes
many, so the per-address token bucket (a burst of 30, then one per 2 s) is not what answers.
"""
import base64
import os
import statistics
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_enterprises  # noqa: E402
import test_talents  # noqa: E402

WRONG = 'Wrong-password-2026!'
STAFF_IDLE, USER_IDLE, ABSOLUTE = 15 * 60, 30 * 60, 12 * 60 * 60


def login(server, username, password, code=None, ip='127.0.0.1', headers=None):
    body = {'username': username, 'password': password}
    if code is not None:
        body['totp'] = code
    h = {'Authorization': None}
    h.update(headers or {})
    return harness.request_from(server, ip, 'POST', '/api/v1/session', body, headers=h)


def set_cookie(r):
    """(name, value, [attributes]) of the Set-Cookie header."""
    parts = [p.strip() for p in r.header('Set-Cookie').split(';')]
    name, _, value = parts[0].partition('=')
    return name, value, parts[1:]


def session_of(server, r):
    name, value, _ = set_cookie(r)
    return harness.Session(server, f'{name}={value}', r.json['csrf_token'], r.json)


def code_of(r):
    try:
        return r.json.get('code')
    except ValueError:
        return None


def other_code(secret, t):
    """A 6-digit code valid in none of the steps around t."""
    valid = {harness.totp(secret, t + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in ('000000', '111111', '222222', '333333') if c not in valid)


class TotpHelper(unittest.TestCase):
    """harness.totp() against RFC 6238 appendix B (SHA-1, secret "12345678901234567890"),
    so the codes the other tests compute can be trusted.  The C implementation has the
    whole table in tests/unit/test_totp.c."""
    SECRET = base64.b32encode(b'12345678901234567890').decode().rstrip('=')

    def test_rfc6238_sha1_vectors(self):
        for t, want in ((59, '94287082'), (1111111109, '07081804'), (1111111111, '14050471'),
                        (1234567890, '89005924'), (2000000000, '69279037')):
            with self.subTest(t=t):
                self.assertEqual(harness.totp(self.SECRET, t, digits=8), want)

    def test_six_digit_truncation(self):
        self.assertEqual(harness.totp(self.SECRET, 59), '287082')
        self.assertEqual(harness.totp(self.SECRET, 1111111109), '081804')


class SessionLifecycle(harness.ServerTest):
    """Real clock: fixation, logout, password change, cookies, first login, CSRF, 415,
    and the cost of a login for unknown users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request('POST', '/api/v1/enterprises',
                               test_enterprises.enterprise_body(8101))
        assert r.status == 201, r.body
        cls.eid = r.json['id']

    def session_get(self, cookie, headers=None):
        h = {'Cookie': cookie, 'Authorization': None}
        h.update(headers or {})
        return self.server.request('GET', '/api/v1/session', headers=h)

    def test_cookie_attributes(self):
        s, pw, _ = self.server.account('cookies', 'office_reviewer')
        r = login(self.server, 'cookies', pw)
        self.assertEqual(r.status, 201, r.body[:300])
        name, value, attrs = set_cookie(r)
        self.assertEqual(name, 'sid')   # loopback test server: no Secure, no __Host-
        self.assertRegex(value, r'^[A-Za-z0-9_-]{43}$')   # 256 bits (ASVS: >= 128)
        self.assertIn('HttpOnly', attrs)
        self.assertIn('SameSite=Strict', attrs)
        self.assertIn('Path=/', attrs)
        self.assertNotIn('Secure', attrs)
        self.assertFalse([a for a in attrs if a.lower().startswith('domain')], attrs)
        self.assertNotEqual(r.json['csrf_token'], value)
        self.assertEqual(self.session_get(f'sid={value}').status, 200)

        # behind a TLS proxy: __Host- prefix and Secure
        r = login(self.server, 'cookies', pw, headers={'X-Forwarded-Proto': 'https'})
        self.assertEqual(r.status, 201, r.body[:300])
        name, value, attrs = set_cookie(r)
        self.assertEqual(name, '__Host-sid')
        self.assertIn('Secure', attrs)
        self.assertIn('HttpOnly', attrs)
        self.assertIn('SameSite=Strict', attrs)
        self.assertIn('Path=/', attrs)
        self.assertFalse([a for a in attrs if a.lower().startswith('domain')], attrs)
        https = {'X-Forwarded-Proto': 'https'}
        self.assertEqual(self.session_get(f'__Host-sid={value}', https).status, 200)

    def test_session_fixation_planted_cookie(self):
        """A cookie the client had before login (planted by an attacker) is never adopted."""
        _, pw, _ = self.server.account('fixation1', 'office_reviewer')
        planted = 'sid=' + 'Fx' * 21 + 'F'
        r = login(self.server, 'fixation1', pw, headers={'Cookie': planted})
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertNotEqual(set_cookie(r)[1], planted[4:])
        self.assertProblem(self.session_get(planted), 401, 'session_expired')
        self.assertEqual(self.session_get(session_of(self.server, r).cookie).status, 200)

    def test_session_fixation_second_login(self):
        """Logging in again from the same client (sending its current cookie) issues a new
        token and ends the old one."""
        _, pw, _ = self.server.account('fixation2', 'office_reviewer')
        r1 = login(self.server, 'fixation2', pw)
        self.assertEqual(r1.status, 201, r1.body[:300])
        s1 = session_of(self.server, r1)
        r2 = self.server.request('POST', '/api/v1/session',
                                 {'username': 'fixation2', 'password': pw},
                                 headers=s1.headers(unsafe=True))
        self.assertEqual(r2.status, 201, r2.body[:300])
        s2 = session_of(self.server, r2)
        self.assertNotEqual(s1.cookie, s2.cookie)
        self.assertNotEqual(s1.csrf, s2.csrf)
        self.assertProblem(self.session_get(s1.cookie), 401, 'session_expired')
        self.assertEqual(self.session_get(s2.cookie).status, 200)

    def test_logout_revokes(self):
        _, pw, _ = self.server.account('logout', 'office_reviewer')
        a = session_of(self.server, login(self.server, 'logout', pw))
        b = session_of(self.server, login(self.server, 'logout', pw))
        r = a.request('DELETE', '/api/v1/session')
        self.assertEqual(r.status, 204, r.body[:300])
        name, value, attrs = set_cookie(r)
        self.assertEqual((name, value), ('sid', ''))
        self.assertIn('Max-Age=0', attrs)
        self.assertProblem(self.session_get(a.cookie), 401, 'session_expired')
        self.assertProblem(a.request('GET', '/api/v1/talents'), 401, 'session_expired')
        # only that session ended: the same account's other session goes on
        self.assertEqual(self.session_get(b.cookie).status, 200)

    def test_password_change_revokes_other_sessions_and_tokens(self):
        s1, pw, _ = self.server.account('pwchange', 'office_reviewer')
        token = self.server.bearer(s1, 'before the change')
        s2 = session_of(self.server, login(self.server, 'pwchange', pw))
        bearer = {'Authorization': 'Bearer ' + token}
        self.assertEqual(self.get('/api/v1/talents', headers=bearer).status, 200)
        self.assertEqual(self.session_get(s2.cookie).status, 200)

        new_pw = 'Changed-pass-2026!x'
        r = s1.request('POST', '/api/v1/session/password',
                       {'current_password': pw, 'new_password': new_pw})
        self.assertEqual(r.status, 200, r.body[:300])
        s3 = session_of(self.server, r)
        self.assertNotEqual(s3.cookie, s1.cookie)
        self.assertProblem(self.session_get(s2.cookie), 401, 'session_expired')
        self.assertProblem(self.get('/api/v1/talents', headers=bearer), 401, 'session_expired')
        self.assertProblem(self.session_get(s1.cookie), 401, 'session_expired')
        self.assertEqual(self.session_get(s3.cookie).status, 200)
        self.assertEqual(s3.request('GET', '/api/v1/talents').status, 200)
        self.assertProblem(login(self.server, 'pwchange', pw), 401, 'invalid_credentials')
        self.assertEqual(login(self.server, 'pwchange', new_pw).status, 201)

    def test_admin_reset_and_disable_end_sessions(self):
        """accounts.h: every session and token of an account ends when an admin resets its
        password or disables it."""
        admin_s, _, _ = self.server.account('resetter', 'admin')
        admin = {'Authorization': 'Bearer ' + self.server.bearer(admin_s)}
        for what in ('reset', 'disable'):
            with self.subTest(what):
                s, pw, _ = self.server.account('victim-' + what, 'office_reviewer')
                uid = s.body['user']['id']
                bearer = {'Authorization': 'Bearer ' + self.server.bearer(s)}
                self.assertEqual(self.get('/api/v1/session', headers=bearer).status, 200)
                if what == 'reset':
                    r = self.post(f'/api/v1/users/{uid}/password-reset', {}, headers=admin)
                    self.assertEqual(r.status, 200, r.body[:300])
                    one_time = r.json['password']
                else:
                    r = self.patch(f'/api/v1/users/{uid}', {'disabled': True}, headers=admin)
                    self.assertEqual(r.status, 200, r.body[:300])
                self.assertProblem(self.session_get(s.cookie), 401, 'session_expired')
                self.assertProblem(self.get('/api/v1/session', headers=bearer), 401,
                                   'session_expired')
                self.assertProblem(login(self.server, 'victim-' + what, pw), 401,
                                   'invalid_credentials')
                if what == 'reset':
                    r = login(self.server, 'victim-reset', one_time)
                    self.assertEqual(r.status, 201, r.body[:300])
                    self.assertTrue(r.json['restricted'])

    def test_operator_disable_from_another_process(self):
        """`talentport user disable` run beside the server (another process, another
        connection) ends the account's access at the next request: the server's auth
        cache notices the commit, nothing is served from a stale copy."""
        s, _, _ = self.server.account('cli-victim', 'office_reviewer')
        bearer = {'Authorization': 'Bearer ' + self.server.bearer(s)}
        for _ in range(3):   # warm every worker's cache
            self.assertEqual(self.get('/api/v1/talents?per_page=1', headers=bearer).status, 200)
            self.assertEqual(self.session_get(s.cookie).status, 200)
        r = harness.run_cli('user', 'disable', '--db', self.server.db, '--username', 'cli-victim')
        self.assertEqual(r.returncode, 0, r.stderr)
        for _ in range(3):
            self.assertProblem(self.get('/api/v1/talents?per_page=1', headers=bearer), 401,
                               'session_expired')
            self.assertProblem(self.session_get(s.cookie), 401, 'session_expired')
        r = harness.run_cli('user', 'enable', '--db', self.server.db, '--username', 'cli-victim')
        self.assertEqual(r.returncode, 0, r.stderr)
        # disabling ended the sessions and tokens for good: enabling does not revive them
        self.assertProblem(self.get('/api/v1/session', headers=bearer), 401, 'session_expired')

    def test_first_login_must_change_password(self):
        pw = self.server.add_user('firstlogin', 'office_reviewer')
        r = login(self.server, 'firstlogin', pw)
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertTrue(r.json['restricted'])
        s = session_of(self.server, r)
        self.assertProblem(s.request('GET', '/api/v1/talents'), 403, 'password_change_required')
        # no way around it through an API token
        self.assertProblem(s.request('POST', '/api/v1/tokens', {'name': 'escape'}), 403,
                           'password_change_required')
        me = s.request('GET', '/api/v1/session')
        self.assertEqual(me.status, 200)
        self.assertTrue(me.json['must_change_password'])
        r = s.request('POST', '/api/v1/session/password',
                      {'current_password': pw, 'new_password': harness.PASSWORD})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertFalse(r.json['restricted'])
        s = session_of(self.server, r)
        self.assertEqual(s.request('GET', '/api/v1/talents').status, 200)

    def test_csrf(self):
        s, _, _ = self.server.account('csrf', 'office_reviewer')
        path = f'/api/v1/enterprises/{self.eid}'
        before = self.get(path).json
        same = f'http://127.0.0.1:{self.server.port}'
        body = {'contact_name': '跨站'}
        cases = [
            ('no X-CSRF-Token', {'X-CSRF-Token': None}, 'csrf_token'),
            ('wrong X-CSRF-Token', {'X-CSRF-Token': 'A' * 43}, 'csrf_token'),
            ('empty X-CSRF-Token', {'X-CSRF-Token': ''}, 'csrf_token'),
            ('no Origin', {'Origin': None}, 'csrf_origin'),
            ('cross-site Origin', {'Origin': 'http://evil.example'}, 'csrf_origin'),
            ('cross-site Origin, same host other port',
             {'Origin': 'http://127.0.0.1:1'}, 'csrf_origin'),
            ('Origin null', {'Origin': 'null'}, 'csrf_origin'),
        ]
        # another session's CSRF token (the same account's second login) does not fit
        other = session_of(self.server, login(self.server, 'csrf', harness.PASSWORD))
        cases.append(('another session\'s X-CSRF-Token', {'X-CSRF-Token': other.csrf},
                      'csrf_token'))
        for what, extra, code in cases:
            with self.subTest(what):
                self.assertProblem(s.request('PATCH', path, body, headers=extra), 403, code)
                self.assertProblem(s.request('POST', '/api/v1/tokens', {'name': 'csrf'},
                                             headers=extra), 403, code)
        self.assertEqual(self.get(path).json['version'], before['version'],
                         'a refused request changed the record')
        # the same requests with the session's token and a same-site Origin go through
        self.assertEqual(s.request('PATCH', path, body, headers={'Origin': same}).status, 200)
        self.assertEqual(s.request('POST', '/api/v1/tokens', {'name': 'csrf'}).status, 201)
        # safe methods need no token
        self.assertEqual(s.request('GET', path, headers={'X-CSRF-Token': None}).status, 200)
        # bearer requests carry no ambient credential: no token, no Origin needed
        r = self.patch(path, {'contact_name': '令牌'})
        self.assertEqual(r.status, 200, r.body[:300])
        # login CSRF: a cross-site login form is refused, whatever the credentials
        r = login(self.server, 'csrf', harness.PASSWORD,
                  headers={'Origin': 'http://evil.example'})
        self.assertProblem(r, 403, 'csrf_origin')
        self.assertIsNone(r.header('Set-Cookie'))

    def test_form_posts_are_415(self):
        """HTML forms can post cross-site without a preflight; JSON endpoints refuse them."""
        form = b'username=x&password=y'
        for ctype in ('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
                      'text/plain'):
            with self.subTest(ctype):
                r = self.server.request('POST', '/api/v1/session', raw=form,
                                        headers={'Content-Type': ctype,
                                                 'Authorization': None})
                self.assertProblem(r, 415, 'unsupported_media_type')
                r = self.patch(f'/api/v1/enterprises/{self.eid}', raw=b'contact_name=x',
                               headers={'Content-Type': ctype})
                self.assertProblem(r, 415, 'unsupported_media_type')
                r = self.post('/api/v1/registrations', raw=form,
                              headers={'Content-Type': ctype, 'Authorization': None})
                self.assertProblem(r, 415, 'unsupported_media_type')

    def test_unknown_user_costs_the_same(self):
        """An unknown username costs one argon2id verify like a wrong password does, and
        gets the same answer: the login cannot tell which usernames exist."""
        known = ('timing-a', 'timing-b')
        for u in known:
            self.server.add_user(u, 'office_reviewer')
        ip = '127.0.3.1'
        unknown_t, known_t, answers = [], [], set()
        for i in range(10):   # interleaved; 5 failures per known account: never throttled
            for kind in ('unknown', 'known'):
                user = f'nobody-{i}' if kind == 'unknown' else known[i % 2]
                t0 = time.perf_counter()
                r = login(self.server, user, WRONG, ip=ip)
                (unknown_t if kind == 'unknown' else known_t).append(time.perf_counter() - t0)
                self.assertProblem(r, 401, 'invalid_credentials')
                p = dict(r.json)
                p.pop('request_id', None)
                p.pop('instance', None)
                answers.add(repr(sorted(p.items())))
        self.assertEqual(len(answers), 1, answers)
        mu, mk = statistics.median(unknown_t), statistics.median(known_t)
        if os.environ.get('TP_TEST_VERBOSE'):
            print(f'\n  login medians: unknown {mu * 1000:.1f} ms, known {mk * 1000:.1f} ms')
        self.assertLess(max(mu, mk) / min(mu, mk), 2.0,
                        f'median login time unknown {mu * 1000:.1f} ms, known {mk * 1000:.1f} ms')


class SecureCookies(unittest.TestCase):
    """serve --secure-cookies: the cookie is __Host-sid with Secure even on loopback."""

    def test_secure_cookie_flag(self):
        server = harness.Server(args=('--secure-cookies',))
        try:
            pw = server.add_user('secure', 'auditor')
            r = login(server, 'secure', pw)
            self.assertEqual(r.status, 201, r.body[:300])
            name, value, attrs = set_cookie(r)
            self.assertEqual(name, '__Host-sid')
            for a in ('Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/'):
                self.assertIn(a, attrs)
            h = {'Authorization': None, 'Cookie': f'__Host-sid={value}'}
            self.assertEqual(server.request('GET', '/api/v1/session', headers=h).status, 200)
        finally:
            report = server.stop()
        self.assertIsNone(report)


class Registrations(harness.ServerTest):
    """Self-registration: the same answer whether or not the registry matched; staff see
    the match and can approve only a matched request."""
    PW = 'Registered-pass-2026!'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.idn = test_talents.make_id(501, birth='19860402')
        r = cls.server.request('POST', '/api/v1/talents',
                               {'name': '注册人甲', 'id_number': cls.idn})
        assert r.status == 201, r.body
        cls.tid = r.json['id']
        r = cls.server.request('POST', '/api/v1/talents',
                               test_talents.talent_body(502, name='注册人乙'))
        assert r.status == 201, r.body
        cls.tid2 = r.json['id']

    def submit(self, username, name, idn, ip):
        r = harness.request_from(self.server, ip, 'POST', '/api/v1/registrations',
                                 {'kind': 'talent', 'username': username, 'password': self.PW,
                                  'name': name, 'id_number': idn},
                                 headers={'Authorization': None})
        self.assertEqual(r.status, 202, r.body[:300])
        return r

    def test_registration_flow(self):
        matched = self.submit('reg-match', '注册人甲', self.idn, '127.0.5.1')
        wrong_name = self.submit('reg-wrongname', '冒名者', self.idn, '127.0.5.2')
        unknown = self.submit('reg-unknown', '无档案',
                              test_talents.make_id(503, birth='19860402'), '127.0.5.3')
        # no enumeration: the same status, the same members, the same words
        shapes = {(tuple(sorted(r.json)), r.json['status'], r.json['detail'])
                  for r in (matched, wrong_name, unknown)}
        self.assertEqual(len(shapes), 1, shapes)
        self.assertEqual(matched.json['status'], 'pending')

        r = self.get('/api/v1/registrations?status=pending&per_page=200')
        self.assertEqual(r.status, 200, r.body[:300])
        by_id = {x['id']: x for x in r.json['items']}
        self.assertTrue(by_id[matched.json['id']]['matched'])
        self.assertEqual(by_id[matched.json['id']]['talent_id'], self.tid)
        self.assertFalse(by_id[wrong_name.json['id']]['matched'])
        self.assertFalse(by_id[unknown.json['id']]['matched'])

        base = '/api/v1/registrations/'
        self.assertProblem(self.post(f'{base}{wrong_name.json["id"]}/approve', {}), 422)
        self.assertProblem(self.post(f'{base}{wrong_name.json["id"]}/reject', {}), 422,
                           field='reason')
        self.assertProblem(self.post(f'{base}{wrong_name.json["id"]}/reject', {'reason': ''}),
                           422)
        r = self.post(f'{base}{wrong_name.json["id"]}/reject', {'reason': '姓名与档案不符'})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['status'], 'rejected')
        self.assertEqual(r.json['reason'], '姓名与档案不符')

        r = self.post(f'{base}{matched.json["id"]}/approve', {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['status'], 'approved')
        self.assertTrue(r.json['user_id'])
        self.assertProblem(self.post(f'{base}{matched.json["id"]}/approve', {}), 409)

        # the approved talent logs in with the password they chose: no forced change
        r = login(self.server, 'reg-match', self.PW, ip='127.0.5.4')
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertFalse(r.json['restricted'])
        self.assertFalse(r.json['user']['must_change_password'])
        self.assertEqual(r.json['user']['role'], 'talent')
        s = session_of(self.server, r)
        self.assertEqual(s.request('GET', f'/api/v1/talents/{self.tid}').status, 200)
        self.assertProblem(s.request('GET', f'/api/v1/talents/{self.tid2}'), 404)
        self.assertProblem(s.request('GET', '/api/v1/talents'), 403)
        # the rejected and the never-decided requests made no account
        for u in ('reg-wrongname', 'reg-unknown'):
            self.assertProblem(login(self.server, u, self.PW, ip='127.0.5.5'), 401,
                               'invalid_credentials')


class ClockedSessions(unittest.TestCase):
    """Expiry, lockout and TOTP with the server's clock under the test's control."""

    @classmethod
    def setUpClass(cls):
        cls.clock = harness.FakeClock()
        cls.server = harness.Server(env=cls.clock.env)
        cls.ip = 0
        try:
            cls.office = cls.server.staff_token('clock-office')
            r = cls.server.request('POST', '/api/v1/enterprises',
                                   test_enterprises.enterprise_body(8201),
                                   headers={'Authorization': 'Bearer ' + cls.office})
            assert r.status == 201, r.body
            cls.eid = r.json['id']
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

    def next_ip(self):
        type(self).ip += 1
        return f'127.0.6.{type(self).ip % 250 + 1}'

    def login(self, username, password, code=None):
        return login(self.server, username, password, code, ip=self.next_ip())

    def test_concurrent_guesses_are_each_counted(self):
        """A burst of wrong passwords sent at once from many addresses, the clock standing
        still: every attempt is counted before its (slow) check, so exactly the 4 free
        attempts and the one that starts the throttle are evaluated; the other 11 are
        refused 429 without a check, and so is the right password until the wait passes."""
        import concurrent.futures
        self.server.account('burst', 'office_reviewer')
        def guess(i):
            return self.login('burst', f'wrong-{i}').status
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            codes = list(pool.map(guess, range(16)))
        self.assertEqual(codes.count(401), 5, codes)
        self.assertEqual(codes.count(429), 11, codes)
        r = self.login('burst', harness.PASSWORD)
        self.assertEqual((r.status, r.json['code']), (429, 'login_throttled'))
        self.clock.advance(1)
        self.assertEqual(self.login('burst', harness.PASSWORD).status, 201)

    def alive(self, s):
        """The status of GET /api/v1/session with session s at the fake time."""
        return s.request('GET', '/api/v1/session').status

    def assertExpired(self, s):
        r = s.request('GET', '/api/v1/session')
        self.assertEqual(r.status, 401, r.body[:300])
        self.assertEqual(code_of(r), 'session_expired')

    def test_idle_expiry(self):
        staff, _, _ = self.server.account('idle-staff', 'office_reviewer')
        user, _, _ = self.server.account('idle-employer', 'employer',
                                         '--enterprise-id', str(self.eid))
        self.clock.advance(14 * 60)
        self.assertEqual((self.alive(staff), self.alive(user)), (200, 200))
        self.clock.advance(14 * 60)   # 14 min since the last request: still fine
        self.assertEqual((self.alive(staff), self.alive(user)), (200, 200))
        self.clock.advance(STAFF_IDLE + 1)   # more than 15 min idle
        self.assertExpired(staff)
        self.assertEqual(self.alive(user), 200)   # talents and employers have 30 min
        self.clock.advance(29 * 60)
        self.assertEqual(self.alive(user), 200)
        self.clock.advance(USER_IDLE + 1)
        self.assertExpired(user)
        # an expired session stays expired
        self.assertExpired(staff)

    def test_absolute_expiry(self):
        s, pw, _ = self.server.account('absolute', 'office_reviewer')
        start = self.clock.now
        r = self.login('absolute', pw)
        self.assertEqual(r.status, 201, r.body[:300])
        s = session_of(self.server, r)
        want = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(start + ABSOLUTE))
        self.assertEqual(r.json['expires_at'], want)
        for k in range(1, ABSOLUTE // 600):   # a request every 10 minutes for 11 h 50 min
            self.clock.advance(600)
            self.assertEqual(self.alive(s), 200, f'at +{k * 10} min')
        self.clock.set(start + ABSOLUTE)
        self.assertExpired(s)

    def test_token_expiry(self):
        s, _, _ = self.server.account('tokens', 'office_reviewer')
        start = self.clock.now
        r = s.request('POST', '/api/v1/tokens', {'name': 'one day', 'expires_in_days': 1})
        self.assertEqual(r.status, 201, r.body[:300])
        bearer = {'Authorization': 'Bearer ' + r.json['token']}
        self.clock.set(start + 86400 - 1)   # bearer tokens have no idle limit
        self.assertEqual(self.server.request('GET', '/api/v1/session', headers=bearer).status,
                         200)
        self.clock.set(start + 86400)
        r = self.server.request('GET', '/api/v1/session', headers=bearer)
        self.assertEqual((r.status, code_of(r)), (401, 'session_expired'))

    def test_lockout(self):
        pw = self.server.add_user('bruteforce', 'auditor')

        def attempt(password):
            return self.login('bruteforce', password)   # a new address each time

        for n in range(1, 5):   # failures 1-4: answered at once, never slowed
            r = attempt(WRONG)
            self.assertEqual((r.status, code_of(r)), (401, 'invalid_credentials'), f'#{n}')
            self.assertIsNone(r.header('Retry-After'))
        r = attempt(WRONG)   # the 5th failure is answered too ...
        self.assertEqual((r.status, code_of(r)), (401, 'invalid_credentials'))
        for n in range(5, 10):   # ... and from then on the account waits 2^(n-5) s
            wait = 2 ** (n - 5)
            for password in (WRONG, pw):   # even the right password is refused meanwhile
                r = attempt(password)
                self.assertEqual((r.status, code_of(r)), (429, 'login_throttled'), f'after #{n}')
                self.assertEqual(r.header('Retry-After'), str(wait), f'after #{n}')
            if wait > 1:
                self.clock.advance(wait - 1)
                r = attempt(WRONG)
                self.assertEqual(r.status, 429, f'1 s early after #{n}')
                self.clock.advance(1)
            else:
                self.clock.advance(wait)
            r = attempt(WRONG)   # failure n+1
            if n + 1 < 10:
                self.assertEqual((r.status, code_of(r)), (401, 'invalid_credentials'),
                                 f'#{n + 1}')
        # the 10th failure locks the account for 15 minutes
        self.assertEqual((r.status, code_of(r)), (429, 'account_locked'), r.body[:300])
        self.assertEqual(r.header('Retry-After'), '900')
        r = attempt(pw)
        self.assertEqual((r.status, code_of(r)), (429, 'account_locked'))
        self.assertEqual(r.header('Retry-After'), '900')
        self.clock.advance(14 * 60)
        r = attempt(pw)
        self.assertEqual((r.status, code_of(r)), (429, 'account_locked'))
        self.assertEqual(r.header('Retry-After'), '60')
        self.clock.advance(60)
        r = attempt(pw)
        self.assertEqual(r.status, 201, r.body[:300])
        # a success clears the count: the next failure is an ordinary one
        r = attempt(WRONG)
        self.assertEqual((r.status, code_of(r)), (401, 'invalid_credentials'))

    def test_admin_password_change_then_totp(self):
        pw = self.server.add_user('root', 'admin')
        r = self.login('root', pw)
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertTrue(r.json['restricted'])
        s = session_of(self.server, r)
        r = s.request('GET', '/api/v1/users')
        self.assertEqual((r.status, code_of(r)), (403, 'password_change_required'))
        r = s.request('POST', '/api/v1/session/password',
                      {'current_password': pw, 'new_password': harness.PASSWORD})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertTrue(r.json['restricted'])   # the second factor is still missing
        s = session_of(self.server, r)
        for method, path, body in (('GET', '/api/v1/users', None),
                                   ('GET', '/api/v1/settings/security', None),
                                   ('POST', '/api/v1/tokens', {'name': 'around mfa'})):
            r = s.request(method, path, body)
            self.assertEqual((r.status, code_of(r)), (403, 'mfa_enrolment_required'), path)
        me = s.request('GET', '/api/v1/session').json
        self.assertTrue(me['mfa_enrolment_required'])

        r = s.request('POST', '/api/v1/session/totp', {})
        self.assertEqual(r.status, 201, r.body[:300])
        secret = r.json['secret']
        self.assertIn('secret=' + secret, r.json['otpauth_uri'])
        r = s.request('POST', '/api/v1/session/totp/confirm',
                      {'code': other_code(secret, self.clock.now)})
        self.assertEqual(r.status, 422, r.body[:300])
        r = s.request('POST', '/api/v1/session/totp/confirm',
                      {'code': harness.totp(secret, self.clock.now)})
        self.assertEqual(r.status, 204, r.body[:300])
        self.assertEqual(s.request('GET', '/api/v1/users').status, 200)

        self.clock.advance(30)   # the enrolment used this step's code
        r = self.login('root', harness.PASSWORD)
        self.assertEqual((r.status, code_of(r)), (401, 'mfa_required'))
        self.assertIsNone(r.header('Set-Cookie'))
        r = self.login('root', harness.PASSWORD, other_code(secret, self.clock.now))
        self.assertEqual((r.status, code_of(r)), (401, 'mfa_invalid'))
        # a right code does not rescue a wrong password, and says nothing about the code
        r = self.login('root', WRONG, harness.totp(secret, self.clock.now))
        self.assertEqual((r.status, code_of(r)), (401, 'invalid_credentials'))
        code = harness.totp(secret, self.clock.now)
        r = self.login('root', harness.PASSWORD, code)
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertFalse(r.json['restricted'])
        self.assertEqual(session_of(self.server, r).request('GET', '/api/v1/users').status, 200)
        r = self.login('root', harness.PASSWORD, code)   # the same code again: a replay
        self.assertEqual((r.status, code_of(r)), (401, 'mfa_invalid'))
        self.clock.advance(30)
        r = self.login('root', harness.PASSWORD, harness.totp(secret, self.clock.now))
        self.assertEqual(r.status, 201, r.body[:300])


if __name__ == '__main__':
    unittest.main()


class TrustedProxy(unittest.TestCase):
    """Behind the TLS proxy (`serve --trusted-proxy ADDR`) the client is the address the
    proxy appended to X-Forwarded-For: the audit log and the rate limit see it.  From any
    other peer the header is ignored (a client cannot choose its own address)."""

    def failed_login_ips(self, server):
        p = subprocess.run(['sqlite3', server.db, "SELECT ip FROM audit_log WHERE action = "
                            "'auth.login_failed' ORDER BY id"], capture_output=True, timeout=30)
        return p.stdout.decode().split()

    def test_forwarded_for_only_from_the_proxy(self):
        for args, want in ((('--trusted-proxy', '127.0.0.1'), '203.0.113.7'), ((), '127.0.0.1')):
            server = harness.Server(args=args)
            try:
                r = server.request('POST', '/api/v1/session', {'username': 'nobody',
                                                               'password': 'x'},
                                   headers={'X-Forwarded-For': '198.51.100.1, 203.0.113.7'})
                self.assertEqual(r.status, 401)
                self.assertEqual(self.failed_login_ips(server), [want], args)
            finally:
                report = server.stop()
            self.assertIsNone(report, report)
