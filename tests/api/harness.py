"""Test harness: starts the real `talentport serve` on a free port with a fresh database.

    class MyTest(harness.ServerTest):
        def test_x(self):
            r = self.get('/api/v1/health')
            self.assertEqual(r.status, 200)

One server per test class (setUpClass), a fresh temporary database each time.  When the
server writes a sanitizer report to its log, the class fails in tearDownClass.
"""
import http.client
import json
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
SAN_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')


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

    def request(self, method, path, body=None, headers=None, raw=None):
        h = dict(headers or {})
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


def run_cli(*args, env=None, input_bytes=None, timeout=600):
    """Runs `talentport ARGS…`; returns CompletedProcess with bytes stdout/stderr."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, env=e, input=input_bytes,
                          timeout=timeout)


class ServerTest(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(args=cls.server_args)

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
