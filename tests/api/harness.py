"""Test harness: starts the real `talentport serve` on a free port with a fresh database.

    class MyTest(harness.ServerTest):
        def test_x(self):
            r = self.get('/api/v1/health')
            self.assertEqual(r.status, 200)

One server per test class (setUpClass), a fresh temporary database each time.  When the
server writes a sanitizer report to its log, the class fails in tearDownClass.
"""
import base64
import hashlib
import hmac
import http.client
import json
import struct
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get('TALENTPORT_BIN') or os.path.join(
    os.path.dirname(__file__), '..', '..', 'build', 'talentport')
PACK = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'policies',
                                    'jinjiang'))   # the default policy pack
SAN_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')
PASSWORD = 'Harness-pass-2026!'   # what test accounts change their one-time password to


def totp(secret_b32, t=None, digits=6, step=30):
    """RFC 6238 TOTP (HMAC-SHA-1) of a base32 secret at unix time t."""
    key = base64.b32decode(secret_b32 + '=' * (-len(secret_b32) % 8))
    counter = int((time.time() if t is None else t) // step)
    mac = hmac.new(key, struct.pack('>Q', counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0f
    code = (struct.unpack('>I', mac[off:off + 4])[0] & 0x7fffffff) % (10 ** digits)
    return str(code).zfill(digits)


class Session:
    """A logged-in browser-like client: the session cookie and its CSRF token."""

    def __init__(self, server, cookie, csrf, body):
        self.server = server
        self.cookie = cookie
        self.csrf = csrf
        self.body = body

    def headers(self, unsafe=True, extra=None):
        h = {'Cookie': self.cookie, 'Authorization': None}
        if unsafe:
            h['X-CSRF-Token'] = self.csrf
            h['Origin'] = f'http://127.0.0.1:{self.server.port}'
        h.update(extra or {})
        return h

    def request(self, method, path, body=None, headers=None, raw=None):
        unsafe = method not in ('GET', 'HEAD')
        return self.server.request(method, path, body=body, raw=raw,
                                   headers=self.headers(unsafe, headers))


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body.decode('utf-8'))

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


class Server:
    """A running talentport serve on a fresh database (or a given one)."""

    def __init__(self, db=None, args=(), env=None):
        self.dir = tempfile.mkdtemp(prefix='tp-api-')
        self.db = db or os.path.join(self.dir, 'test.db')
        self.port = free_port()
        self.log_path = os.path.join(self.dir, 'server.log')
        self.log = open(self.log_path, 'wb')
        e = dict(os.environ)
        e.update(env or {})
        if '--pack' not in args:   # whatever the working folder, serve the default pack
            args = ('--pack', PACK, *args)
        self.proc = subprocess.Popen(
            [BIN, 'serve', '--db', self.db, '--listen', f'127.0.0.1:{self.port}',
             '--log-level', 'warn', *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=e)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError('server exited early:\n' + self.read_log())
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError('server did not start:\n' + self.read_log())

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    token = None   # default bearer token sent with every request (see ServerTest)

    def request(self, method, path, body=None, headers=None, raw=None):
        h = {}
        if self.token:
            h['Authorization'] = 'Bearer ' + self.token
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}   # None removes a default
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode('utf-8')
            h.setdefault('Content-Type', 'application/json')
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def stop(self):
        """Stops the server; returns the sanitizer report from its log, if any."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        text = self.read_log()
        shutil.rmtree(self.dir, ignore_errors=True)
        bad = [m for m in SAN_MARKS if m in text]
        return text if bad else None


    # ---- accounts ----

    def add_user(self, username, role, *opts):
        """Creates an account with the CLI; returns its one-time password."""
        r = run_cli('user', 'add', '--db', self.db, '--username', username, '--role', role,
                    *opts)
        if r.returncode != 0:
            raise RuntimeError('user add failed: ' + r.stderr.decode('utf-8', 'replace'))
        out = r.stdout.decode('utf-8')
        return out.split('一次性密码: ')[1].split()[0]

    def login(self, username, password, code=None, expect=201):
        body = {'username': username, 'password': password}
        if code:
            body['totp'] = code
        r = self.request('POST', '/api/v1/session', body, headers={'Authorization': None})
        if r.status != expect:
            raise AssertionError(f'login {username}: {r.status} {r.body[:300]!r}')
        if r.status != 201:
            return r
        cookie = r.header('Set-Cookie').split(';')[0]
        return Session(self, cookie, r.json['csrf_token'], r.json)

    def account(self, username, role, *opts):
        """A ready account: created, password changed, TOTP enrolled when the role needs
        it.  Returns (session, password, totp secret or None)."""
        pw = self.add_user(username, role, *opts)
        s = self.login(username, pw)
        r = s.request('POST', '/api/v1/session/password',
                      {'current_password': pw, 'new_password': PASSWORD})
        if r.status != 200:
            raise AssertionError(f'password change: {r.status} {r.body[:300]!r}')
        s = Session(self, r.header('Set-Cookie').split(';')[0], r.json['csrf_token'], r.json)
        secret = None
        if r.json['restricted']:   # the role must use a second factor
            r = s.request('POST', '/api/v1/session/totp', {})
            secret = r.json['secret']
            r = s.request('POST', '/api/v1/session/totp/confirm', {'code': totp(secret)})
            if r.status != 204:
                raise AssertionError(f'totp confirm: {r.status} {r.body[:300]!r}')
        return s, PASSWORD, secret

    def bearer(self, session, name='tests'):
        r = session.request('POST', '/api/v1/tokens', {'name': name, 'expires_in_days': 30})
        if r.status != 201:
            raise AssertionError(f'token: {r.status} {r.body[:300]!r}')
        return r.json['token']

    def staff_token(self, username='office', role='office_reviewer', *opts):
        s, _, _ = self.account(username, role, *opts)
        return self.bearer(s)


def run_cli(*args, env=None, input_bytes=None, timeout=600):
    """Runs `talentport ARGS…`; returns CompletedProcess with bytes stdout/stderr."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, env=e, input=input_bytes,
                          timeout=timeout)


class ServerTest(unittest.TestCase):
    server_args = ()

    login_as = ('office', 'office_reviewer')   # None: requests go out anonymous

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=cls.server_args)
        if cls.login_as:
            cls.server.token = cls.server.staff_token(*cls.login_as)

    @classmethod
    def tearDownClass(cls):
        report = cls.server.stop()
        if report:
            raise AssertionError('sanitizer report from the server:\n' + report[-6000:])

    def get(self, path, **kw):
        return self.server.request('GET', path, **kw)

    def post(self, path, body=None, **kw):
        return self.server.request('POST', path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.server.request('PATCH', path, body=body, **kw)

    def assertProblem(self, r, status, code=None, field=None):
        """The response is an RFC 9457 problem with this status (and code, and a field error)."""
        self.assertEqual(r.status, status, r.body[:500])
        self.assertTrue((r.header('Content-Type') or '').startswith('application/problem+json'),
                        r.header('Content-Type'))
        p = r.json
        self.assertEqual(p['status'], status)
        self.assertIn('detail', p)
        self.assertIn('request_id', p)
        if code:
            self.assertEqual(p['code'], code, p)
        if field:
            fields = [e.get('field') for e in p.get('errors', [])]
            self.assertIn(field, fields, p)
        return p


# ---- appended helpers: requests from other loopback addresses, a fake clock ----

def request_from(server, source_ip, method, path, body=None, headers=None, raw=None):
    """Server.request sent from another loopback address (Linux routes all of 127.0.0.0/8
    to lo), so the per-address token bucket of the login and registration routes sees a
    different client.  Same arguments and answer as Server.request."""
    h = {}
    if server.token:
        h['Authorization'] = 'Bearer ' + server.token
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not None}
    data = raw
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode('utf-8')
        h.setdefault('Content-Type', 'application/json')
    conn = http.client.HTTPConnection('127.0.0.1', server.port, timeout=60,
                                      source_address=(source_ip, 0))
    try:
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


class FakeClock:
    """The server's clock under test: $TALENTPORT_TEST_CLOCK names a file whose integer
    content is the current unix time (src/core/clock.c reads it on every call).

        clock = FakeClock()
        server = Server(env=clock.env)
        clock.advance(15 * 60)
    """

    def __init__(self, start=None):
        self.dir = tempfile.mkdtemp(prefix='tp-clock-')
        self.path = os.path.join(self.dir, 'now')
        self.env = {'TALENTPORT_TEST_CLOCK': self.path}
        self.set(int(time.time()) if start is None else start)

    def set(self, t):
        """Moves the clock to unix time t (written whole, then renamed into place)."""
        self.now = int(t)
        tmp = self.path + '.tmp'
        with open(tmp, 'w') as f:
            f.write(str(self.now))
        os.replace(tmp, self.path)

    def advance(self, secs):
        self.set(self.now + secs)
        return self.now

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)
