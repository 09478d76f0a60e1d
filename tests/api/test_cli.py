"""The `talentport` command-line contract: commands, --help, exit status (0 ok, 1 failure,
2 usage error), configuration precedence (flag > environment > default), demo data,
request logs and shutdown.  Outside checks use these flags: keep them stable.
"""
import json
import os
import re
import shutil
import sqlite3
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import harness

COMMANDS = ('serve', 'migrate', 'demo', 'import', 'export', 'version', 'help')
TP_ENV = ('TALENTPORT_DB', 'TALENTPORT_LISTEN', 'TALENTPORT_LOG_LEVEL')
ID_NUMBER = '11010519491231002X'


def clean_env(**kw):
    """An environment without any TALENTPORT_* setting from outside, plus kw."""
    e = {k: v for k, v in os.environ.items() if k not in TP_ENV}
    e.update(kw)
    return e


def cli(*args, env=None, timeout=60):
    """Runs talentport ARGS with a clean environment (plus env); stdout/stderr as text."""
    p = subprocess.run([harness.BIN, *args], capture_output=True, env=clean_env(**(env or {})),
                       timeout=timeout)
    p.out = p.stdout.decode('utf-8', 'replace')
    p.err = p.stderr.decode('utf-8', 'replace')
    return p


def listening(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=0.2):
            return True
    except OSError:
        return False


class Serve:
    """`talentport serve ARGS` started by hand (no --listen/--db/--log-level added)."""

    def __init__(self, args, env=None, cwd=None):
        self.dir = tempfile.mkdtemp(prefix='tp-cli-')
        self.err_path = os.path.join(self.dir, 'stderr.log')
        self.err = open(self.err_path, 'wb')
        self.proc = subprocess.Popen([harness.BIN, 'serve', *args], stdout=subprocess.DEVNULL,
                                     stderr=self.err, env=clean_env(**(env or {})),
                                     cwd=cwd or self.dir)

    def wait_port(self, port, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f'serve exited early ({self.proc.returncode}):\n' +
                                     self.log())
            if listening(port):
                return
            time.sleep(0.03)
        raise AssertionError(f'serve did not listen on {port}:\n' + self.log())

    def log(self):
        self.err.flush()
        with open(self.err_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    def stop(self, timeout=5):
        """SIGTERM; returns (exit status, seconds taken, stderr text)."""
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f'serve did not stop within {timeout} s of SIGTERM:\n' +
                                     self.log())
        dt = time.monotonic() - t0
        text = self.log()
        self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode, dt, text

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.err.closed:
            self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def get(port, path, headers=None):
    import http.client
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        conn.request('GET', path, headers=headers or {})
        r = conn.getresponse()
        return harness.Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='tp-cli-')
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertUsageError(self, p, what=''):
        self.assertEqual(p.returncode, 2, f'{what}: stdout={p.out!r} stderr={p.err!r}')
        self.assertTrue(p.err.strip(), f'{what}: no message on stderr')
        self.assertNotIn('runtime error:', p.err)
        self.assertNotIn('Sanitizer', p.err)

    def assertOk(self, p, what=''):
        self.assertEqual(p.returncode, 0, f'{what}: stdout={p.out!r} stderr={p.err!r}')

    def serve_and_stop(self, srv, port):
        """Waits for srv on port, checks health, stops it; returns the stderr text."""
        try:
            srv.wait_port(port)
            r = get(port, '/api/v1/health')
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.json['status'], 'ok')
        except BaseException:
            srv.kill()
            raise
        rc, _, log = srv.stop()
        self.assertEqual(rc, 0, log)
        self.assertFalse([m for m in harness.SAN_MARKS if m in log], log)
        return log


class HelpTest(TempDirTest):
    def test_help_lists_every_command(self):
        for args in (('help',), ('--help',), ('-h',)):
            p = cli(*args)
            self.assertOk(p, args)
            for c in COMMANDS:
                self.assertRegex(p.out, rf'(?m)^\s+{c}\s', f'{args} does not list {c}')

    def test_every_command_has_help(self):
        for c in COMMANDS:
            for args in ((c, '--help'), ('help', c)):
                p = cli(*args)
                self.assertOk(p, args)
                m = re.search(r'(?m)^usage: talentport (\S+)', p.out)
                self.assertTrue(m, f'{args}: no usage line in {p.out!r}')
                self.assertEqual(m.group(1), c, f'{args}: usage names {m.group(1)}')

    def test_help_for_each_command_matches_its_own_help(self):
        for c in COMMANDS:
            self.assertEqual(cli('help', c).out, cli(c, '--help').out, c)

    def test_unknown_command(self):
        for args in (('help', 'nope'), ('nope',), ('--nope',)):
            p = cli(*args)
            self.assertUsageError(p, args)
            self.assertIn('nope', p.err)

    def test_no_arguments_is_a_usage_error_with_the_command_list(self):
        p = cli()
        self.assertEqual(p.returncode, 2, p.err)
        text = p.out + p.err
        for c in COMMANDS:
            self.assertIn(c, text)

    def test_version(self):
        for args in (('version',), ('--version',)):
            p = cli(*args)
            self.assertOk(p, args)
            self.assertRegex(p.out, r'^talentport \d+\.\d+\.\d+')
        self.assertUsageError(cli('version', 'extra'), 'version extra')

    def test_version_matches_health(self):
        p = cli('version')
        self.assertOk(p)
        version = re.match(r'talentport (\S+)', p.out).group(1)
        srv = harness.Server()
        try:
            r = srv.request('GET', '/api/v1/health')
        finally:
            report = srv.stop()
        self.assertIsNone(report, report)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json['version'], version)


class MigrateTest(TempDirTest):
    def applied(self, p):
        m = re.search(r'(\d+) applied, schema version (\d+)', p.out)
        self.assertTrue(m, p.out)
        return int(m.group(1)), int(m.group(2))

    def test_creates_and_is_idempotent(self):
        db = self.path('m.db')
        p = cli('migrate', '--db', db)
        self.assertOk(p)
        self.assertTrue(os.path.exists(db))
        n, version = self.applied(p)
        self.assertGreater(n, 0)
        self.assertGreater(version, 0)
        for _ in range(2):
            p = cli('migrate', '--db', db)
            self.assertOk(p)
            self.assertEqual(self.applied(p), (0, version))

    def test_db_equals_form(self):
        db = self.path('eq.db')
        p = cli('migrate', f'--db={db}')
        self.assertOk(p)
        self.assertTrue(os.path.exists(db))
        self.assertGreater(self.applied(p)[0], 0)

    def test_usage_errors(self):
        db = self.path('never.db')
        for args in (('--bogus',), ('--db', db, '--bogus'), ('extra',), ('--db',),
                     ('--dbx', db)):
            self.assertUsageError(cli('migrate', *args), args)
        self.assertFalse(os.path.exists(db))

    def test_environment_gives_the_database(self):
        db = self.path('env.db')
        p = cli('migrate', env={'TALENTPORT_DB': db})
        self.assertOk(p)
        self.assertTrue(os.path.exists(db))

    def test_flag_beats_environment(self):
        env_db, flag_db = self.path('env.db'), self.path('flag.db')
        p = cli('migrate', '--db', flag_db, env={'TALENTPORT_DB': env_db})
        self.assertOk(p)
        self.assertTrue(os.path.exists(flag_db))
        self.assertFalse(os.path.exists(env_db))


class ServeConfigTest(TempDirTest):
    def test_environment_gives_the_address(self):
        port = harness.free_port()
        srv = Serve(['--db', self.path('s.db')],
                    env={'TALENTPORT_LISTEN': f'127.0.0.1:{port}'})
        self.serve_and_stop(srv, port)

    def test_environment_gives_the_database(self):
        port, db = harness.free_port(), self.path('envdb.db')
        srv = Serve(['--listen', f'127.0.0.1:{port}'], env={'TALENTPORT_DB': db})
        self.serve_and_stop(srv, port)
        self.assertTrue(os.path.exists(db))

    def test_listen_flag_beats_environment(self):
        env_port, flag_port = harness.free_port(), harness.free_port()
        while flag_port == env_port:
            flag_port = harness.free_port()
        srv = Serve(['--db', self.path('s.db'), f'--listen=127.0.0.1:{flag_port}'],
                    env={'TALENTPORT_LISTEN': f'127.0.0.1:{env_port}'})
        try:
            srv.wait_port(flag_port)
            self.assertFalse(listening(env_port), 'also listening on the environment port')
        except BaseException:
            srv.kill()
            raise
        self.serve_and_stop(srv, flag_port)

    def test_log_level_flag_beats_environment(self):
        port = harness.free_port()
        srv = Serve(['--db', self.path('s.db'), '--listen', f'127.0.0.1:{port}',
                     '--log-level', 'info'], env={'TALENTPORT_LOG_LEVEL': 'off'})
        log = self.serve_and_stop(srv, port)
        self.assertIn('"request_id"', log)

    def test_environment_gives_the_log_level(self):
        port = harness.free_port()
        srv = Serve(['--db', self.path('s.db'), '--listen', f'127.0.0.1:{port}'],
                    env={'TALENTPORT_LOG_LEVEL': 'error'})
        log = self.serve_and_stop(srv, port)
        self.assertNotIn('"request_id"', log)

    def test_per_connection_model(self):
        port = harness.free_port()
        srv = Serve(['--db', self.path('s.db'), '--listen', f'127.0.0.1:{port}',
                     '--thread-model', 'per-connection'])
        self.serve_and_stop(srv, port)

    def test_usage_errors(self):
        db = self.path('never.db')
        port = harness.free_port()
        ok_listen = f'127.0.0.1:{port}'
        cases = [
            ('--listen', 'nonsense'), ('--listen', '127.0.0.1:99999'), ('--listen', '127.0.0.1:'),
            ('--listen', ':8080'), ('--listen', '127.0.0.1:abc'), ('--listen', '127.0.0.1:-1'),
            ('--listen', 'nonsense:8080'),
            ('--listen', ok_listen, '--log-level', 'loud'),
            ('--listen', ok_listen, '--thread-model', 'fibers'),
            ('--listen', ok_listen, '--threads', '0'),
            ('--listen', ok_listen, '--threads', 'many'),
            ('--listen', ok_listen, '--bogus'),
            ('--listen',),
        ]
        for args in cases:
            self.assertUsageError(cli('serve', '--db', db, *args, timeout=15), args)
        for name, value in (('TALENTPORT_LISTEN', 'nonsense'),
                            ('TALENTPORT_LISTEN', '127.0.0.1:99999'),
                            ('TALENTPORT_LOG_LEVEL', 'loud')):
            env = {'TALENTPORT_LISTEN': ok_listen, name: value}
            self.assertUsageError(cli('serve', '--db', db, env=env, timeout=15), (name, value))
        self.assertFalse(os.path.exists(db))
        self.assertFalse(listening(port))


class ServeLogTest(TempDirTest):
    def test_one_json_line_per_request_without_query_string(self):
        port = harness.free_port()
        srv = Serve(['--db', self.path('log.db'), '--listen', f'127.0.0.1:{port}',
                     '--log-level', 'info'])
        try:
            srv.wait_port(port)
            health = get(port, '/api/v1/health')
            search = get(port, f'/api/v1/talents?q={ID_NUMBER}')
            missing = get(port, f'/api/v1/nope?id_number={ID_NUMBER}')
        except BaseException:
            srv.kill()
            raise
        rc, _, log = srv.stop()
        self.assertEqual(rc, 0, log)
        self.assertEqual(health.status, 200)
        self.assertEqual(search.status, 401, search.body)  # no credentials: refused, still logged

        lines = [ln for ln in log.splitlines() if ln.strip()]
        objs = []
        for ln in lines:
            try:
                objs.append(json.loads(ln))
            except ValueError:
                self.fail(f'a log line is not JSON: {ln!r}')
        self.assertTrue(all(isinstance(o, dict) for o in objs), log)
        self.assertNotIn(ID_NUMBER, log)
        self.assertNotIn(ID_NUMBER[:6] + ID_NUMBER[6:14], log)

        expect = ((health, '/api/v1/health'), (search, '/api/v1/talents'), (missing, '/api/v1/nope'))
        for r, path in expect:
            rid = r.header('X-Request-Id')
            self.assertTrue(rid, r.headers)
            mine = [o for o in objs if o.get('request_id') == rid]
            self.assertEqual(len(mine), 1, f'request {rid}: {mine!r}\n{log}')
            o = mine[0]
            self.assertEqual(o.get('status'), r.status, o)
            self.assertIn('path', o)
            self.assertEqual(o['path'], path)
        self.assertEqual(len({r.header('X-Request-Id') for r, _ in expect}), 3)


class ShutdownTest(TempDirTest):
    def test_sigterm_with_an_idle_connection(self):
        for model in ('pool', 'per-connection'):
            port = harness.free_port()
            srv = Serve(['--db', self.path(f'{model}.db'), '--listen', f'127.0.0.1:{port}',
                         '--thread-model', model, '--log-level', 'warn'])
            try:
                srv.wait_port(port)
                idle = socket.create_connection(('127.0.0.1', port))
            except BaseException:
                srv.kill()
                raise
            try:
                self.assertEqual(get(port, '/api/v1/health').status, 200)
                rc, dt, log = srv.stop(timeout=5)
            finally:
                idle.close()
            self.assertEqual(rc, 0, f'{model}: {log}')
            self.assertLess(dt, 5, model)
            self.assertFalse([m for m in harness.SAN_MARKS if m in log], log)


class DemoTest(TempDirTest):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='tp-demo-')
        cls.dbs = {}
        for name, seed in (('a', 5), ('b', 5), ('c', 6)):
            db = os.path.join(cls.dir, f'{name}.db')
            p = cli('demo', '--db', db, '--talents', '300', '--enterprises', '20',
                    '--seed', str(seed))
            if p.returncode != 0:
                raise AssertionError(f'demo {name}: {p.returncode} {p.out} {p.err}')
            cls.dbs[name] = db

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def fetch(self, db, *paths):
        srv = harness.Server(db=db)
        try:
            DemoTest.logins = getattr(DemoTest, 'logins', 0) + 1
            srv.token = srv.staff_token(f'office{DemoTest.logins}')
            out = [srv.request('GET', p) for p in paths]
        finally:
            report = srv.stop()
        self.assertIsNone(report, report)
        for r in out:
            self.assertEqual(r.status, 200, r.body[:300])
        return [r.json for r in out]

    def counts(self, db):
        t, e = self.fetch(db, '/api/v1/talents?per_page=1', '/api/v1/enterprises?per_page=1')
        return t['total'], e['total']

    def first_page(self, db):
        (page,) = self.fetch(db, '/api/v1/talents')
        self.assertTrue(page['items'])
        return [(t['name'], t['id_number']) for t in page['items']]

    def test_sizes_and_refusal_without_force(self):
        db = self.dbs['a']
        self.assertEqual(self.counts(db), (300, 20))
        p = cli('demo', '--db', db, '--talents', '10', '--enterprises', '2', '--seed', '5')
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn('--force', p.err)
        self.assertEqual(self.counts(db), (300, 20))

    def test_apprentices_give_the_training_subsidy(self):
        """The demo employer's enterprise trains three apprentices (src/cli/demo.c), and the
        2026 run grants what default-pack.md says: intermediate 5000 元 and advanced 6000 元,
        half in the enrolment year, the rest in the completion year — so 2026 holds the first
        halves of the two enrolled in 2026 (250000 fen each) and the second half of the
        advanced one enrolled in 2025 and completed in 2026 (300000 fen), each waiting for the
        enterprise's claim."""
        db = self.path('ap.db')
        self.assertOk(cli('demo', '--db', db, '--talents', '50', '--enterprises', '5'))
        self.assertOk(cli('policy', 'run', '--db', db, '--period', '2026', '--pack', harness.PACK))
        con = sqlite3.connect(db)
        try:
            aps = con.execute('SELECT enterprise_id, level, enrolled_on, completed_on FROM '
                              'apprentices ORDER BY id').fetchall()
            ents = con.execute("SELECT beneficiary_kind, beneficiary_id, instalment, amount_fen, "
                               "needs_application FROM entitlements WHERE policy = "
                               "'apprentice-training' AND period_key = '2026' ORDER BY item").fetchall()
            employer_ent = con.execute("SELECT enterprise_id FROM users WHERE username = "
                                       "'employer'").fetchone()[0]
        finally:
            con.close()
        self.assertEqual([a[1:] for a in aps], [('intermediate', '2026-03-01', None),
                                                ('advanced', '2025-09-01', '2026-07-15'),
                                                ('intermediate', '2026-09-01', None)])
        self.assertTrue(all(a[0] == employer_ent for a in aps))
        self.assertEqual(ents, [('enterprise', employer_ent, 1, 250000, 1),
                                ('enterprise', employer_ent, 2, 300000, 1),
                                ('enterprise', employer_ent, 1, 250000, 1)])

    def test_force_recreates(self):
        db = self.path('f.db')
        self.assertOk(cli('demo', '--db', db, '--talents', '300', '--enterprises', '20'))
        p = cli('demo', f'--db={db}', '--talents=40', '--enterprises=3', '--seed=9', '--force')
        self.assertOk(p)
        self.assertEqual(self.counts(db), (40, 3))

    def test_environment_gives_the_database(self):
        db = self.path('env.db')
        self.assertOk(cli('demo', '--talents', '5', '--enterprises', '2',
                          env={'TALENTPORT_DB': db}))
        self.assertEqual(self.counts(db), (5, 2))

    def test_same_seed_same_data(self):
        a, b, c = (self.first_page(self.dbs[k]) for k in 'abc')
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        for _, idn in a:
            self.assertIn('*', idn, 'ID numbers are masked in lists')

    def test_usage_errors(self):
        db = self.path('never.db')
        cases = [('--talents', '0'), ('--talents', 'abc'), ('--talents', '-5'),
                 ('--talents', '2000001'), ('--enterprises', '0'), ('--seed', '-1'),
                 ('--seed', 'abc'), ('--seed',), ('--bogus',), ('extra',), ('--db', '')]
        for args in cases:
            full = ('demo', '--db', db, *args) if args[0] != '--db' else ('demo', *args)
            self.assertUsageError(cli(*full), args)
        self.assertFalse(os.path.exists(db))


if __name__ == '__main__':
    unittest.main()
