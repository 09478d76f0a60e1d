"""SIGKILL during payment runs (issue 6, reliability.md: "SIGKILL during a payment run, 100
times, restart each time: 0 double payments, 0 approved lines lost, ledger balanced,
integrity_check ok, same totals as an uninterrupted run").

A database of LINES talents with their bank accounts (imported with the command line) and
LINES confirmed entitlements (pay_seed.py; a budget on policy p0 makes some wait) is copied: the copy goes through a whole cycle without interruption — run, submit,
approve, export, bank results with failures, a second run that pays the failures, submit,
approve, export, results — and the same cycle is done on the original with KILLS SIGKILLs at
random moments of the steps (each step's uninterrupted duration bounds its kill times).  After
each kill the test looks in the database whether the step's transition committed: if not, the
step is issued again, else `payments resume` finishes its job (and may be killed too).

Then: `ledger check` passes, integrity_check is ok, every line's result was applied once,
no entitlement key has two paid lines, and runs, lines, entitlements and the ledger's
account balances equal the uninterrupted cycle's.

TP_PAY_CRASH_LINES (20000) and TP_PAY_CRASH_KILLS (10) scale it; bench/payments_crash.sh
runs 100,000 lines × 100 kills.  Small batches (TALENTPORT_PAY_BATCH=500) make many
transactions for the kills to fall between and inside.
"""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import pay_seed  # noqa: E402

LINES = int(os.environ.get('TP_PAY_CRASH_LINES', '20000'))
KILLS = int(os.environ.get('TP_PAY_CRASH_KILLS', '10'))
SEED = int(os.environ.get('TP_PAY_CRASH_SEED', str(int(time.time()))))
PASSWORD = 'Treasury-Pass-2026!x'
ENV = {'TALENTPORT_PAY_BATCH': '500'}


def q(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def last_run(db):
    r = q(db, 'SELECT id, state FROM payment_runs ORDER BY id DESC LIMIT 1')
    return r[0] if r else (0, None)


def results_file(db, run_id, path, fail_every):
    """Every fail_every-th line (by entitlement id) fails with a closed account."""
    rows = q(db, 'SELECT id, entitlement_id FROM payment_lines WHERE run_id = ? ORDER BY id',
             run_id)
    res = []
    for line, ent in rows:
        if fail_every and ent % fail_every == 0:
            res.append({'line_id': line, 'paid': False, 'reason': '账户已销户 account closed'})
        else:
            res.append({'line_id': line, 'paid': True, 'bank_ref': f'B{ent}'})
    with open(path, 'w') as f:
        json.dump(res, f)


STATE_ORDER = ('building', 'draft', 'submitted', 'announced', 'approved', 'exported',
               'reconciled')


def past(state, target):
    return STATE_ORDER.index(state) >= STATE_ORDER.index(target)


class Cycle:
    """One whole cycle on db; kills > 0 spreads that many SIGKILLs over its steps."""

    def __init__(self, db, workdir, kills=0, durations=None, rng=None):
        self.db, self.dir, self.kills_left = db, workdir, kills
        self.durations = durations if durations is not None else {}
        self.rng = rng or random.Random(0)
        self.kills_done = 0
        self.nruns = 0
        self.steps_left = 10  # two cycles of five steps

    def cli(self, *args, stdin=None):
        return [harness.BIN, 'payments', *args, '--db', self.db], stdin

    def launch(self, argv, stdin, step, delay):
        """Runs argv; delay not None: SIGKILL it after delay seconds if still running
        (returns None then)."""
        env = dict(os.environ)
        env.update(ENV)
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
        if delay is None:
            out, err = p.communicate(stdin or b'', timeout=600)
            self.durations.setdefault(step, time.monotonic() - t0)
            return p.returncode, out, err
        try:
            p.stdin.write(stdin or b'')
            p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            p.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.kills_left -= 1
            self.kills_done += 1
            p.stdout.close()
            p.stderr.close()
            return None
        out, err = p.stdout.read(), p.stderr.read()
        p.stdout.close()
        p.stderr.close()
        return p.returncode, out, err

    def step(self, name, argv, stdin, committed):
        """Issues the step until its transition is committed and no job is left; after a
        kill, the step again when its transition did not commit, else `payments resume`.
        The step gets its share of the kills (what earlier steps left unspent carries
        over); each kill comes at a random moment of what is left of the step's time."""
        self.steps_left -= 1
        quota = self.kills_left if self.steps_left <= 0 else \
            -(-self.kills_left // (self.steps_left + 1))
        killed = attempts = 0
        spent = 0.0  # seconds of the step's work the killed processes had (about)
        while True:
            attempts += 1
            if committed():
                args, data = self.cli('resume')[0], None
            else:
                args, data = argv, stdin
            delay = None
            if killed < quota and self.kills_left > 0:
                # a random moment of what is left of the step (each kill left a batch
                # or two done; a `resume` with nothing left to do runs for milliseconds)
                span = max(self.durations.get(name, 0.5) - spent, 0.01)
                if committed() and not q(self.db, 'SELECT 1 FROM payment_runs '
                                                  'WHERE job IS NOT NULL'):
                    span = 0.02
                delay = self.rng.uniform(0, span)
            r = self.launch(args, data, name, delay)
            if r is None:
                killed += 1
                spent += delay
                continue  # killed: look again
            code, out, err = r
            if code != 0:
                raise AssertionError(f'{args[2]} failed ({code}): {err.decode()}')
            if committed() and not q(self.db, 'SELECT 1 FROM payment_runs WHERE job IS NOT NULL'):
                # done; kills of this step's share not spent yet go to the next processes
                # (a `payments resume` with nothing left is still killed at random moments)
                if killed >= quota or attempts > 4 * quota + 4 or self.kills_left <= 0:
                    return

    def run(self, period, fail_every):
        runs_before = self.nruns
        argv, _ = self.cli('run', '--period', period)
        self.step('run', argv, None, lambda: len(q(self.db, 'SELECT id FROM payment_runs')) >
                  runs_before)
        self.nruns += 1
        rid = last_run(self.db)[0]
        state = lambda: q(self.db, 'SELECT state FROM payment_runs WHERE id = ?', rid)[0][0]  # noqa
        rs = str(rid)
        self.step('submit', self.cli('submit', '--run', rs)[0], None,
                  lambda: past(state(), 'submitted'))
        self.step('approve', self.cli('approve', '--run', rs, '--as', 'fin')[0],
                  PASSWORD.encode() + b'\n', lambda: past(state(), 'approved'))
        self.step('export', self.cli('export', '--run', rs)[0], None,
                  lambda: past(state(), 'exported'))
        path = os.path.join(self.dir, f'results-{rid}.json')
        results_file(self.db, rid, path, fail_every)
        self.step('results', self.cli('results', '--run', rs, '--file', path)[0], None,
                  lambda: bool(q(self.db, 'SELECT 1 FROM payment_lines WHERE run_id = ? AND '
                                 'result IS NOT NULL LIMIT 1', rid)))
        return rid

    def whole(self):
        self.run('2026-10', 97)
        self.run('2026-11', 0)


def snapshot(db):
    return {
        'runs': q(db, 'SELECT id, period, state, job, lines, total_fen, waiting, waiting_fen, '
                      'paid, paid_fen, failed, failed_fen FROM payment_runs ORDER BY id'),
        'lines': q(db, 'SELECT id, run_id, entitlement_id, amount_fen, status, result, reason '
                       'FROM payment_lines ORDER BY id'),
        'entitlements': q(db, 'SELECT id, status, pay_note FROM entitlements ORDER BY id'),
        'waits': q(db, 'SELECT run_id, entitlement_id, reason FROM payment_waits '
                       'ORDER BY run_id, entitlement_id'),
        'balances': q(db, 'SELECT account, SUM(amount_fen) FROM ledger_postings '
                          'GROUP BY account ORDER BY account'),
        'by_kind': q(db, 'SELECT e.kind, COUNT(*), SUM(ABS(p.amount_fen)) FROM ledger_postings p '
                         'JOIN ledger_entries e ON e.id = p.entry_id GROUP BY e.kind ORDER BY 1'),
        'notices': q(db, 'SELECT beneficiary_id, kind, entitlement_id FROM notices ORDER BY id'),
    }


class PaymentRunCrash(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='tp-paycrash-')
        self.db = os.path.join(self.tmp, 'pay.db')
        r = harness.run_cli('migrate', '--db', self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = harness.run_cli('user', 'add', '--username', 'fin', '--role', 'finance',
                            '--password-stdin', '--db', self.db,
                            input_bytes=PASSWORD.encode() + b'\n')
        self.assertEqual(r.returncode, 0, r.stderr)
        # talents 1..LINES with a verified bank account each, as the office loads them
        # (`talentport import talents`, `talentport bank-accounts import`)
        pay_seed.beneficiaries(harness.BIN, self.db, LINES, self.tmp)
        pay_seed.seed(self.db, LINES)
        # p0's 2026 budget takes about half of its lines: the rest wait, in order
        p0 = q(self.db, "SELECT SUM(amount_fen) FROM entitlements WHERE policy = 'p0'")[0][0]
        con = sqlite3.connect(self.db)
        con.execute("INSERT INTO budgets VALUES ('p0', 2026, ?, 'test', 'now')", (p0 // 2,))
        con.commit()
        con.close()
        self.ref = os.path.join(self.tmp, 'ref.db')
        shutil.copy(self.db, self.ref)
        shutil.copy(self.db + '.key', self.ref + '.key')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_kill_9_anywhere_same_result_as_uninterrupted(self):
        # the uninterrupted cycle, timing each step
        durations = {}
        Cycle(self.ref, self.tmp, 0, durations).whole()
        expected = snapshot(self.ref)
        self.assertGreater(len(expected['lines']), LINES // 2)
        # the cycle again with kills
        rng = random.Random(SEED)
        c = Cycle(self.db, self.tmp, KILLS, durations, rng)
        c.whole()
        msg = f'seed {SEED}, kills done {c.kills_done}'
        got = snapshot(self.db)
        for k in expected:
            self.assertEqual(got[k], expected[k], f'{k} differ ({msg})')
        r = harness.run_cli('ledger', 'check', '--db', self.db)
        self.assertEqual(r.returncode, 0, r.stderr.decode() + msg)
        self.assertEqual(q(self.db, 'PRAGMA integrity_check')[0][0], 'ok')
        self.assertEqual(q(self.db, 'PRAGMA foreign_key_check'), [])
        # every line that got a result was applied exactly once; no key paid twice
        self.assertEqual(q(self.db, "SELECT COUNT(*) FROM payment_lines WHERE result IS NOT NULL "
                                    "AND status <> result"), [(0,)])
        self.assertEqual(q(self.db, "SELECT COUNT(*) FROM (SELECT entitlement_id FROM "
                                    "payment_lines WHERE status = 'paid' GROUP BY entitlement_id "
                                    "HAVING COUNT(*) > 1)"), [(0,)])
        # every entitlement not waiting for the budget was paid; the paid ones once in the ledger
        paid = q(self.db, "SELECT COUNT(*), SUM(amount_fen) FROM entitlements WHERE status = 'paid'")
        waiting = q(self.db, "SELECT COUNT(*) FROM entitlements WHERE status = 'confirmed'")[0][0]
        self.assertEqual(paid[0][0] + waiting, LINES)
        booked = q(self.db, "SELECT SUM(amount_fen) FROM ledger_postings WHERE account LIKE 'paid:%'")
        self.assertEqual(booked[0][0], paid[0][1])
        print(f'payments crash: {LINES} entitlements, {c.kills_done} SIGKILLs, '
              f'{paid[0][0]} paid, {waiting} waiting for the budget ({msg})', file=sys.stderr)
        self.assertGreaterEqual(c.kills_done, KILLS // 2, msg)


if __name__ == '__main__':
    unittest.main()
