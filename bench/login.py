#!/usr/bin/env python3
"""Login throughput over HTTP (a benchmark, not a test): POST /api/v1/session with the right
password, CONC at once, each from its own loopback address (the per-address token bucket
would otherwise answer 429 after 30), against a running server.
    bench/login.py BIN DB PORT [LOGINS] [CONC]
Prints one RESULT line; docs/performance.md records it."""
import concurrent.futures
import json
import socket
import statistics
import subprocess
import sys
import time
import http.client

BIN, DB, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
N = int(sys.argv[4]) if len(sys.argv) > 4 else 80
CONC = int(sys.argv[5]) if len(sys.argv) > 5 else 4
USER, PW = f'login-bench-{int(time.time())}', 'Bench-login-2026!'
r = subprocess.run([BIN, 'user', 'add', '--db', DB, '--username', USER, '--role', 'finance',
                    '--password-stdin'], input=PW.encode(), capture_output=True)
assert r.returncode == 0, r.stderr


class SourceConnection(http.client.HTTPConnection):
    def __init__(self, src, *a, **kw):
        super().__init__(*a, **kw)
        self.src = src

    def connect(self):
        self.sock = socket.create_connection((self.host, self.port), self.timeout,
                                             (self.src, 0))


def login(i):
    c = SourceConnection(f'127.0.{40 + i // 250}.{i % 250 + 1}', '127.0.0.1', PORT, timeout=60)
    t0 = time.monotonic()
    c.request('POST', '/api/v1/session', json.dumps({'username': USER, 'password': PW}),
              {'Content-Type': 'application/json'})
    status = c.getresponse().status
    c.close()
    return status, time.monotonic() - t0


t0 = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(CONC) as pool:
    res = list(pool.map(login, range(N)))
dt = time.monotonic() - t0
ok = sum(1 for s, _ in res if s == 201)
lat = sorted(x for _, x in res)
print(f'RESULT logins={N} conc={CONC} ok={ok} per_s={N / dt:.1f} '
      f'p50_ms={statistics.median(lat) * 1000:.0f} p99_ms={lat[int(len(lat) * 0.99) - 1] * 1000:.0f}')
