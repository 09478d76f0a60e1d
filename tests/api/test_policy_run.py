"""`talentport policy run --period Y`: the whole population evaluated and its entitlements
stored (src/domain/policy_run.h).

- deterministic: the same database and pack give the same rows, run after run and whatever
  the number of threads;
- the re-run rule: a period's 'pending' and 'excluded' rows are replaced, a row whose status
  has moved on is kept, other periods are untouched; each run has its row and audit record;
- the single-person path agrees: for a sample of talents, `talentport policy eval` on the
  talent's facts document (built here from the database by the rules of
  src/domain/policy_facts.h) lists the stored rows with the same amounts, and the stored
  explanation_hash is the BLAKE2b-256 of each "explanation" exactly as `policy eval` prints it;
- no progress output when stderr is not a terminal; a bad pack changes nothing.
"""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest

import harness

PACK = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'policies',
                                    'jinjiang'))
TALENTS = 2000
DUMP = ('SELECT policy, beneficiary_id, item, period_key, instalment, kind, amount_fen, '
        'quantity, status, excluded_by, explanation_hash FROM entitlements ORDER BY 1,2,3,4,5')
SUMMARY = re.compile(
    r'^policy run (\d+): period (\d{4}), pack jinjiang, (\d+) talents, (\d+) enterprises, '
    r'(\d+) skipped; (\d+) entitlements \((\d+) pending, (\d+) excluded, (\d+) kept\); '
    r'total (\d+) fen; (\d+) threads, [0-9.]+ s \(load [0-9.]+, evaluate [0-9.]+, '
    r'write [0-9.]+\)$')


def run(db, *args):
    p = harness.run_cli('policy', 'run', '--db', db, '--pack', PACK, *args)
    p.out = p.stdout.decode('utf-8')
    p.err = p.stderr.decode('utf-8')
    return p


def query(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def execute(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def facts_of(db, tid):
    """The talent's facts document, by the rules of src/domain/policy_facts.h."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        t = con.execute('SELECT * FROM talents WHERE id = ?', (tid,)).fetchone()
        years = con.execute('SELECT year, insured_months, days_in_jinjiang FROM talent_years '
                            'WHERE talent_id = ? ORDER BY year', (tid,)).fetchall()
        kids = con.execute('SELECT birth_date FROM talent_children WHERE talent_id = ? '
                           'ORDER BY seq', (tid,)).fetchall()
    finally:
        con.close()

    def tri(v):
        return v in (0, 1)

    p = {'id': str(tid), 'birth_date': t['birth_date']}
    for k in ('degree', 'graduated_on', 'quanzhou_selected_on', 'provincial_selected_on'):
        if t[k] is not None:
            p[k] = t[k]
    for k in ('double_first_class', 'short_term'):
        if tri(t[k]):
            p[k] = bool(t[k])
    for k in ('quanzhou_level', 'provincial_level'):
        if t[k] is not None and t[k] > 0:
            p[k] = t[k]
    if t['tier'] is not None and t['tier'] > 0:
        tier = {'level': t['tier']}
        for k, col in (('from', 'tier_from'), ('to', 'tier_to')):
            if t[col] is not None:
                tier[k] = t[col]
        p['tier'] = tier
    days = {str(y['year']): y['days_in_jinjiang'] for y in years
            if y['days_in_jinjiang'] is not None and y['days_in_jinjiang'] >= 0}
    ins = {str(y['year']): [m for m in range(1, 13) if y['insured_months'] & (1 << (m - 1))]
           for y in years if y['insured_months'] & 0xfff}
    if days:
        p['days_in_jinjiang'] = days
    if ins:
        p['insured_months'] = ins
    home = {}
    if t['home_contract_date'] is not None:
        home['contract_date'] = t['home_contract_date']
    if t['home_area_cm2'] is not None and t['home_area_cm2'] >= 0:
        a = t['home_area_cm2']
        home['area_m2'] = a // 100 if a % 100 == 0 else a / 100
    if tri(t['home_in_jinjiang']):
        home['in_jinjiang'] = bool(t['home_in_jinjiang'])
    if tri(t['home_first']):
        home['first_home_in_jinjiang'] = bool(t['home_first'])
    if home:
        p['home_purchase'] = home
    startup = {}
    if t['startup_registered_on'] is not None:
        startup['registered_on'] = t['startup_registered_on']
    if tri(t['startup_in_jinjiang']):
        startup['in_jinjiang'] = bool(t['startup_in_jinjiang'])
    if startup:
        p['startup'] = startup
    if kids:
        p['children'] = [{'id': f'c{i + 1}', 'birth_date': k['birth_date']}
                         for i, k in enumerate(kids)]
    doc = {'person': p}
    if t['enterprise_id'] is not None and t['enterprise_id'] > 0:
        doc['enterprise'] = {'id': str(t['enterprise_id'])}
    return doc


def entitlements_with_spans(text):
    """The entitlements of an eval document, each with the exact text of its explanation."""
    dec = json.JSONDecoder()
    start = '"entitlements":['
    i = text.index(start) + len(start)
    out = []
    while text[i] == '{':
        j, ent, span = i + 1, {}, None
        while text[j] != '}':
            key, j = dec.raw_decode(text, j)
            assert text[j] == ':'
            v0 = j + 1
            ent[key], j = dec.raw_decode(text, v0)
            if key == 'explanation':
                span = text[v0:j]
            if text[j] == ',':
                j += 1
        out.append((ent, span))
        i = j + 1
        if text[i] == ',':
            i += 1
    return out


class PolicyRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='tp-policy-run-')
        cls.orig = os.path.join(cls.dir, 'orig.db')
        r = harness.run_cli('demo', '--db', cls.orig, '--talents', str(TALENTS))
        if r.returncode != 0:
            raise RuntimeError('demo failed: ' + r.stderr.decode('utf-8', 'replace'))
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def copy(self):
        """A fresh copy of the demo database (with its key file)."""
        type(self).n += 1
        db = os.path.join(self.dir, f'copy{self.n}.db')
        shutil.copyfile(self.orig, db)
        shutil.copyfile(self.orig + '.key', db + '.key')
        os.chmod(db + '.key', 0o600)
        return db

    def run_ok(self, db, *args):
        p = run(db, *args)
        self.assertEqual(p.returncode, 0, p.err)
        lines = p.out.splitlines()
        self.assertEqual(len(lines), 1, p.out)
        m = SUMMARY.match(lines[0])
        self.assertIsNotNone(m, lines[0])
        keys = ('id', 'period', 'talents', 'enterprises', 'skipped', 'entitlements', 'pending',
                'excluded', 'kept', 'total_fen', 'threads')
        return dict(zip(keys, map(int, m.groups()))), p

    def test_deterministic_runs_and_threads(self):
        a, b = self.copy(), self.copy()
        s1, _ = self.run_ok(a, '--period', '2026')
        dump1 = query(a, DUMP)
        self.assertEqual(s1['talents'], TALENTS)
        self.assertEqual(s1['skipped'], 0)
        self.assertGreater(s1['pending'], 200)
        self.assertEqual(s1['entitlements'], len(dump1))
        self.assertEqual(s1['entitlements'], s1['pending'] + s1['excluded'])
        cash = query(a, "SELECT sum(amount_fen) FROM entitlements WHERE status = 'pending' "
                        "AND kind = 'cash'")[0][0]
        self.assertEqual(s1['total_fen'], cash)
        # again on the same database: every row replaced by an identical one
        s2, _ = self.run_ok(a, '--period', '2026')
        self.assertEqual(s2['kept'], 0)
        self.assertEqual(query(a, DUMP), dump1)
        self.assertEqual(query(a, 'SELECT DISTINCT run_id FROM entitlements'), [(s2['id'],)])
        # another copy, one thread then four
        s3, _ = self.run_ok(b, '--period', '2026', '--threads', '1')
        self.assertEqual(s3['threads'], 1)
        self.assertEqual(query(b, DUMP), dump1)
        s4, _ = self.run_ok(b, '--period', '2026', '--threads', '4')
        self.assertEqual(s4['threads'], 4)
        self.assertEqual(query(b, DUMP), dump1)
        # the runs and their audit records
        runs = query(a, 'SELECT id, period, pack_id, length(pack_hash), status, talents, '
                        'entitlements, total_fen FROM policy_runs ORDER BY id')
        self.assertEqual(runs, [(s['id'], 2026, 'jinjiang', 64, 'done', TALENTS,
                                 s['entitlements'], s['total_fen']) for s in (s1, s2)])
        self.assertEqual(query(a, "SELECT pack_hash FROM policy_runs")[0],
                         query(b, "SELECT pack_hash FROM policy_runs")[0])
        audit = query(a, "SELECT object_type, object_id, result FROM audit_log "
                         "WHERE action = 'policy.run' ORDER BY id")
        self.assertEqual(audit, [('policy_run', str(s1['id']), 'ok'),
                                 ('policy_run', str(s2['id']), 'ok')])

    def test_rerun_replaces_only_pending_and_excluded(self):
        db = self.copy()
        s25, _ = self.run_ok(db, '--period', '2025')
        rows25 = query(db, "SELECT * FROM entitlements WHERE period_key LIKE '2025%' ORDER BY id")
        self.assertEqual(len(rows25), s25['entitlements'])
        s1, _ = self.run_ok(db, '--period', '2026')
        # the payments issue moves one row on
        moved = query(db, "SELECT id FROM entitlements WHERE period_key = '2026' AND "
                          "status = 'pending' AND kind = 'cash' ORDER BY id LIMIT 1")[0][0]
        execute(db, "UPDATE entitlements SET status = 'paid' WHERE id = ?", moved)
        before = query(db, 'SELECT * FROM entitlements WHERE id = ?', moved)
        s2, _ = self.run_ok(db, '--period', '2026')
        self.assertEqual(s2['kept'], 1)
        self.assertEqual(s2['entitlements'], s1['entitlements'] - 1)
        self.assertEqual(query(db, 'SELECT * FROM entitlements WHERE id = ?', moved), before)
        self.assertEqual(query(db, "SELECT * FROM entitlements WHERE period_key LIKE '2025%' "
                                   "ORDER BY id"), rows25)
        self.assertEqual(query(db, "SELECT run_id, count(*) FROM entitlements WHERE "
                                   "period_key LIKE '2026%' GROUP BY 1 ORDER BY 1"),
                         [(s1['id'], 1), (s2['id'], s2['entitlements'])])
        kept = query(db, 'SELECT kept FROM policy_runs WHERE id = ?', s2['id'])
        self.assertEqual(kept, [(1,)])

    def test_agrees_with_policy_eval(self):
        db = self.copy()
        self.run_ok(db, '--period', '2026')
        with_rows = [r[0] for r in query(
            db, "SELECT DISTINCT beneficiary_id FROM entitlements ORDER BY beneficiary_id")]
        self.assertGreater(len(with_rows), 100)
        # every policy that has rows, an excluded row, children, and talents without rows
        sample = set(with_rows[::max(1, len(with_rows) // 25)])
        for q in ("SELECT beneficiary_id FROM entitlements WHERE status = 'excluded' LIMIT 2",
                  "SELECT beneficiary_id FROM entitlements WHERE item <> '' LIMIT 2",
                  "SELECT beneficiary_id FROM entitlements GROUP BY policy"):
            sample.update(r[0] for r in query(db, q))
        without = query(db, 'SELECT id FROM talents WHERE id NOT IN (SELECT beneficiary_id '
                            'FROM entitlements) ORDER BY id LIMIT 5')
        sample.update(r[0] for r in without)
        path = os.path.join(self.dir, 'facts.json')
        compared = 0
        for tid in sorted(sample):
            with open(path, 'w') as f:
                json.dump(facts_of(db, tid), f, ensure_ascii=False)
            p = harness.run_cli('policy', 'eval', '--pack', PACK, '--facts', path,
                                '--period', '2026')
            self.assertEqual(p.returncode, 0, p.stderr)
            want = []
            for e, span in entitlements_with_spans(p.stdout.decode('utf-8')):
                money = e['kind'] in ('cash', 'loan')
                want.append((e['policy'], e.get('item', ''), e['period'], e['instalment'],
                             e['kind'], e['amount_fen'] if money else None,
                             None if money else e['quantity'],
                             'pending' if e['status'] == 'granted' else e['status'],
                             e.get('excluded_by'),
                             hashlib.blake2b(span.encode('utf-8'), digest_size=32).hexdigest()))
            got = query(db, 'SELECT policy, item, period_key, instalment, kind, amount_fen, '
                            'quantity, status, excluded_by, explanation_hash FROM entitlements '
                            "WHERE beneficiary_kind = 'talent' AND beneficiary_id = ? ORDER BY id",
                        tid)
            self.assertEqual(got, want, f'talent {tid}')
            compared += len(want)
        self.assertGreater(compared, 40)

    def test_quiet_when_piped_and_usage(self):
        db = self.copy()
        s, p = self.run_ok(db, '--period', '2026')
        self.assertEqual(p.err, '')   # stderr is a pipe: no progress
        self.assertEqual(s['kept'], 0)
        for args in ((), ('--period', '26'), ('--period', '2026-03'),
                     ('--period', '2026', '--threads', '0'), ('--period', '2026', '--bogus')):
            p = run(db, *args)
            self.assertEqual(p.returncode, 2, args)
            self.assertEqual(p.out, '')

    def test_bad_pack_changes_nothing(self):
        db = self.copy()
        self.run_ok(db, '--period', '2026')
        dump = query(db, DUMP)
        bad = os.path.join(self.dir, 'badpack')
        shutil.copytree(PACK, bad, dirs_exist_ok=True)
        with open(os.path.join(bad, 'talent-allowance.yaml'), 'a') as f:
            f.write('\nbogus_key: 1\n')
        p = harness.run_cli('policy', 'run', '--db', db, '--pack', bad, '--period', '2026')
        self.assertEqual(p.returncode, 1)
        self.assertIn('talent-allowance.yaml', p.stderr.decode('utf-8'))
        self.assertEqual(p.stdout, b'')
        self.assertEqual(query(db, DUMP), dump)
        self.assertEqual(query(db, 'SELECT count(*) FROM policy_runs'), [(1,)])
        # a pack that loads but reads a fact with another type than the registry's: the run
        # fails after it started, is recorded as failed, and replaces nothing
        odd = os.path.join(self.dir, 'oddpack')
        os.makedirs(odd, exist_ok=True)
        with open(os.path.join(odd, 'pack.yaml'), 'w') as f:
            f.write('id: odd\ntitle: {zh: 怪, en: Odd}\neffective: 2022-01-01\norder: [p]\n'
                    'facts:\n  person:\n    id: {type: string, required: true}\n'
                    '    birth_date: string\n')
        with open(os.path.join(odd, 'p.yaml'), 'w') as f:
            f.write('id: p\ntitle: {zh: 测, en: P}\nbasis: test\nbeneficiary: person\n'
                    'channel: apply\nperiod: year\nkind: points\namount: 1\n')
        p = harness.run_cli('policy', 'run', '--db', db, '--pack', odd, '--period', '2026')
        self.assertEqual(p.returncode, 1)
        self.assertIn('person.birth_date', p.stderr.decode('utf-8'))
        self.assertEqual(query(db, DUMP), dump)
        self.assertEqual(query(db, 'SELECT pack_id, status, entitlements FROM policy_runs '
                                   'ORDER BY id'), [('jinjiang', 'done', len(dump)),
                                                    ('odd', 'failed', 0)])
        self.assertEqual(query(db, "SELECT result, reason FROM audit_log WHERE action = "
                                   "'policy.run' ORDER BY id"),
                         [('ok', ''), ('failed', 'invalid')])


if __name__ == '__main__':
    unittest.main()
