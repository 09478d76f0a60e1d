#!/usr/bin/env python3
"""Applications through the whole identification chain over HTTP (a benchmark, not a test).

    bench/applications.py [BIN]      env: APPS (default 10000), CONC (default 16), PORT

Makes a demo database (APPS talents, APPS/200 enterprises), starts `talentport serve` on it
with a fixed clock (a Monday, via $TALENTPORT_TEST_CLOCK, so deadlines do not depend on the
day it runs), and drives APPS identification applications through the chain of
workflows/identification.yaml with CONC clients at once, phase by phase:

  submit          each enterprise's employer account applies for its staff (POST /applications)
  town approve    the town reviewer of the talent's town            (POST /applications/{id}/actions)
  office approve  an office reviewer, setting the claimed tier     (… "approve")
  (the clock moves 10 days on: the announcement period is over)
  close           an office reviewer closes the announcement; the talent is certified

An employer applying for its staff skips the separate employer confirmation (the chain the
workflow defines for that case).  Prints one RESULT line per action: requests per second over
the phase, and p50 / p99 latency in milliseconds.  docs/performance.md records them.
"""
import concurrent.futures
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else 'build/talentport'
APPS = int(os.environ.get('APPS', '10000'))
CONC = int(os.environ.get('CONC', '16'))
PORT = int(os.environ.get('PORT', '18191'))
PW = 'Bench-apps-2026!'
MONDAY = 1789956000            # 2026-09-21 10:00 in China


def cli(*args, stdin=None):
    r = subprocess.run([BIN, *args], input=stdin, capture_output=True)
    if r.returncode != 0:
        sys.exit('bench: talentport %s failed: %s' % (args[0], r.stderr.decode()))
    return r.stdout.decode()


class Client:
    def __init__(self, token=None):
        self.conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=120)
        self.token = token

    def call(self, method, path, body=None):
        h = {'Content-Type': 'application/json'}
        if self.token:
            h['Authorization'] = 'Bearer ' + self.token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=120)
        raise RuntimeError('connection failed')


def token_for(db, username, role, *opts):
    """A bearer token of a new account (created at the command line, password changed at
    first login as every account must)."""
    cli('user', 'add', '--db', db, '--username', username, '--role', role, '--password-stdin',
        *opts, stdin=PW.encode())
    # each account logs in from its own loopback address: the per-address token bucket of
    # the login route would refuse a burst of logins from one
    token_for.n = getattr(token_for, 'n', 0) + 1
    src = f'127.0.{2 + token_for.n // 250}.{1 + token_for.n % 250}'
    conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=60, source_address=(src, 0))

    def post(path, body, cookie=None, csrf=None):
        h = {'Content-Type': 'application/json', 'Origin': f'http://127.0.0.1:{PORT}'}
        if cookie:
            h.update({'Cookie': cookie, 'X-CSRF-Token': csrf})
        conn.request('POST', path, body=json.dumps(body), headers=h)
        r = conn.getresponse()
        data = r.read()
        if r.status not in (200, 201):
            sys.exit(f'bench: {path} for {username}: {r.status} {data[:200]!r}')
        c = r.getheader('Set-Cookie')
        return (c.split(';')[0] if c else cookie), json.loads(data)

    cookie, j = post('/api/v1/session', {'username': username, 'password': PW})
    cookie, j = post('/api/v1/session/password', {'current_password': PW, 'new_password': PW + 'x'},
                     cookie, j['csrf_token'])
    _, j = post('/api/v1/tokens', {'name': 'bench', 'expires_in_days': 30}, cookie, j['csrf_token'])
    conn.close()
    return j['token']


def phase(name, jobs):
    """jobs: [(token, method, path, body, want_status)]; runs them CONC at once."""
    clients = {}
    lat = []

    def run(job):
        tok, method, path, body, want = job
        import threading
        key = (threading.get_ident(), tok)
        c = clients.get(key)
        if c is None:
            c = clients[key] = Client(tok)
        t = time.perf_counter()
        st, resp = c.call(method, path, body)
        dt = time.perf_counter() - t
        if st != want:
            raise RuntimeError(f'{name}: {method} {path}: {st} {resp[:300]!r}')
        return dt, resp

    t0 = time.perf_counter()
    out = []
    with concurrent.futures.ThreadPoolExecutor(CONC) as ex:
        for dt, resp in ex.map(run, jobs):
            lat.append(dt)
            out.append(resp)
    wall = time.perf_counter() - t0
    lat.sort()
    p50 = lat[len(lat) // 2] * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    print(f'RESULT applications {name}: n={len(lat)} conc={CONC} {len(lat) / wall:.0f} req/s '
          f'p50={p50:.1f}ms p99={p99:.1f}ms wall={wall:.1f}s', flush=True)
    return out


def main():
    work = tempfile.mkdtemp(prefix='tp-bench-apps-')
    db = os.path.join(work, 'bench.db')
    clock = os.path.join(work, 'clock')
    with open(clock, 'w') as f:
        f.write(str(MONDAY))
    ents = max(1, APPS // 200)
    print(f'bench: machine: {os.cpu_count()} cores; demo with {APPS} talents, {ents} enterprises',
          flush=True)
    cli('demo', '--db', db, '--talents', str(APPS), '--enterprises', str(ents), '--seed', '7')
    env = dict(os.environ, TALENTPORT_TEST_CLOCK=clock)
    srv = subprocess.Popen([BIN, 'serve', '--db', db, '--listen', f'127.0.0.1:{PORT}',
                            '--log-level', 'error'], env=env)
    try:
        for _ in range(200):
            try:
                if Client().call('GET', '/api/v1/health')[0] == 200:
                    break
            except RuntimeError:
                pass
            time.sleep(0.05)
        q = sqlite3.connect(db)
        talents = q.execute('SELECT id, enterprise_id, town FROM talents WHERE enterprise_id '
                            'IS NOT NULL AND town IS NOT NULL ORDER BY id').fetchall()
        q.close()
        talents = talents[:APPS]
        emp_tok = {}
        for eid in sorted({t[1] for t in talents}):
            emp_tok[eid] = token_for(db, f'bench-hr-{eid}', 'employer', '--enterprise-id', str(eid))
        town_tok = {}
        for town in sorted({t[2] for t in talents}):
            town_tok[town] = token_for(db, f'bench-town-{town}', 'town_reviewer', '--town', town)
        office = [token_for(db, f'bench-office-{i}', 'office_reviewer') for i in range(2)]
        print(f'bench: {len(talents)} applications, {len(emp_tok)} employers, '
              f'{len(town_tok)} town reviewers', flush=True)

        subs = phase('submit', [(emp_tok[e], 'POST', '/api/v1/applications',
                                 {'kind': 'identification', 'talent_id': tid, 'claimed_tier': 6,
                                  'form': {'claims': [], 'statement': '基准测试'}},
                                 201) for tid, e, _town in talents])
        ids = [json.loads(b)['id'] for b in subs]
        towns = [t[2] for t in talents]
        phase('town approve', [(town_tok[tw], 'POST', f'/api/v1/applications/{i}/actions',
                                {'action': 'approve', 'comment': '同意'}, 200)
                               for i, tw in zip(ids, towns)])
        phase('office approve', [(office[k % 2], 'POST', f'/api/v1/applications/{i}/actions',
                                  {'action': 'approve', 'comment': '同意', 'tier': 6}, 200)
                                 for k, i in enumerate(ids)])
        with open(clock + '.tmp', 'w') as f:
            f.write(str(MONDAY + 10 * 86400))
        os.replace(clock + '.tmp', clock)
        phase('close', [(office[k % 2], 'POST', f'/api/v1/applications/{i}/actions',
                         {'action': 'close', 'comment': '公示期满'}, 200)
                        for k, i in enumerate(ids)])
        phase('get', [(office[k % 2], 'GET', f'/api/v1/applications/{i}', None, 200)
                      for k, i in enumerate(ids)])
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
