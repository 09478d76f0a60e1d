"""The hand-worked case table of the identification standard (issue 5 item 2):
`talentport standard propose` against tests/policy/standard/*.json.

Each file holds a facts document of the standard (policies/jinjiang/standard/pack.yaml), the day,
and either the proposal worked out by hand from the table of `shared/reference/default-pack.md`
("The identification standard"), or the field a bad fact must be named by:

    case: {"about", "on", "facts", "expected": {"tier", "matched", "direct", "direct_tier",
                                                "direct_matched"}}
    bad:  {"about", "on", "facts", "bad_field"}   -> exit 2, nothing on stdout, stderr names it

Readings of unclear points carry the word AMBIGUOUS in `about`.  Besides the five fields, every
proposal's explanation must list the tiers 1 .. max(tier, direct_tier) (all seven when nothing
holds), each criterion with a source, and its results must agree with `matched`.
"""
import datetime
import glob
import json
import os
import re
import shutil
import sqlite3
import tempfile
import unittest

import harness

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TABLE = os.path.join(ROOT, 'tests', 'policy', 'standard')
PACK = os.path.join(ROOT, 'policies', 'jinjiang', 'standard')
BENEFITS = os.path.join(ROOT, 'policies', 'jinjiang')
FIELDS = ('tier', 'matched', 'direct', 'direct_tier', 'direct_matched')
MIN_CASES = 25
# The criteria of default-pack.md's table (plus the direct recordings of Quanzhou 4 and 5), by tier.
CRITERIA = {
    1: ['national-honour', 'academician', 'national-science-award'],
    2: ['national-talent-programme', 'provincial-first-prize'],
    3: ['provincial-a', 'quanzhou-1'],
    4: ['senior-title', 'phd-4341', 'provincial-b', 'quanzhou-2'],
    5: ['phd', 'deputy-senior-title', 'senior-technician-4341', 'provincial-c', 'quanzhou-3'],
    6: ['master', 'intermediate-title', 'technician', 'salary-4341-high', 'quanzhou-4'],
    7: ['double-first-class-bachelor', 'senior-worker-4341', 'salary-4341', 'quanzhou-5'],
}
DIRECT = {'provincial-a': 3, 'quanzhou-1': 3, 'provincial-b': 4, 'quanzhou-2': 4,
          'provincial-c': 5, 'quanzhou-3': 5, 'quanzhou-4': 6, 'quanzhou-5': 7}


def load():
    out = []
    for path in sorted(glob.glob(os.path.join(TABLE, '*.json'))):
        with open(path, encoding='utf-8') as f:
            out.append((os.path.basename(path), json.load(f)))
    return out


ALL = load()
CASES = [(n, c) for n, c in ALL if 'expected' in c]
BAD = [(n, c) for n, c in ALL if 'bad_field' in c]


class StandardCaseTableTest(unittest.TestCase):
    """The table itself: big enough, well formed, every tier and direct mapping covered."""

    def test_table(self):
        self.assertGreaterEqual(len(CASES), MIN_CASES)
        self.assertGreaterEqual(len(BAD), 3)
        tiers = {c['expected']['tier'] for _, c in CASES}
        self.assertEqual(tiers, {None, 1, 2, 3, 4, 5, 6, 7})
        direct = {m for _, c in CASES if c['expected']['direct'] for m in c['expected']['matched']
                  if m in DIRECT}
        self.assertEqual(direct, set(DIRECT), 'every direct recording mapping has a case')
        for name, c in CASES:
            with self.subTest(case=name):
                self.assertEqual(set(c), {'about', 'on', 'facts', 'expected'})
                self.assertRegex(c['on'], r'^\d{4}-\d{2}-\d{2}$')
                e = c['expected']
                self.assertEqual(set(e), set(FIELDS))
                if e['tier'] is None:
                    self.assertEqual(e['matched'], [])
                    self.assertFalse(e['direct'])
                else:
                    self.assertTrue(set(e['matched']) <= set(CRITERIA[e['tier']]))
                    self.assertEqual(e['matched'], [m for m in CRITERIA[e['tier']] if m in e['matched']],
                                     'matched in file order')
                self.assertEqual(e['direct'], e['tier'] is not None and e['direct_tier'] == e['tier'])
                for m in e['direct_matched']:
                    self.assertEqual(DIRECT[m], e['direct_tier'])


class StandardProposeTest(unittest.TestCase):
    """`talentport standard propose --pack policies/jinjiang/standard` against every case."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(harness.BIN):
            raise unittest.SkipTest(f'{harness.BIN} is not built')
        cls.dir = tempfile.mkdtemp(prefix='tp-standard-cases-')

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def propose(self, name, facts, on, *extra):
        path = os.path.join(self.dir, name)
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(facts, f, ensure_ascii=False)
        args = ['standard', 'propose', '--pack', PACK, '--facts', path, '--on', on, *extra]
        r = harness.run_cli(*args, timeout=60)
        r.cmd = 'talentport ' + ' '.join(args)
        r.out = r.stdout.decode('utf-8', 'replace')
        r.err = r.stderr.decode('utf-8', 'replace')
        return r

    def test_cases(self):
        for name, c in CASES:
            with self.subTest(case=name):
                r = self.propose(name, c['facts'], c['on'])
                where = f'\n{name}: {c["about"]}\n$ {r.cmd}\n'
                self.assertEqual(r.returncode, 0, where + r.err[-2000:])
                doc = json.loads(r.out)
                got = {k: doc.get(k) for k in FIELDS}
                self.assertEqual(got, c['expected'], where)
                self.assertEqual(doc['on'], c['on'])
                self.check_explanation(doc, where)

    def check_explanation(self, doc, where):
        upto = max(doc['tier'] or 0, doc['direct_tier'] or 0) or 7
        tiers = doc['explanation']['tiers']
        self.assertEqual([t['tier'] for t in tiers], list(range(1, upto + 1)), where)
        for t in tiers:
            self.assertEqual([c['id'] for c in t['criteria']], CRITERIA[t['tier']], where)
            held = [c['id'] for c in t['criteria'] if c['result']]
            self.assertEqual(t['result'], bool(held), where)
            self.assertEqual(t['matched'], held, where)
            if t['tier'] == doc['tier']:
                self.assertEqual(held, doc['matched'], where)
            if doc['tier'] and t['tier'] < doc['tier']:
                self.assertEqual(held, [], where + f'tier {t["tier"]} holds above the proposal')
            for c in t['criteria']:
                self.assertRegex(c['source'], r'\[(design|public|article)\]', where + c['id'])
                self.assertEqual(c['direct'], c['id'] in DIRECT, where + c['id'])
                self.assertTrue(c['title']['zh'] and c['title']['en'], where + c['id'])
                for cond in c['conditions']:
                    self.assertIsInstance(cond['values'], dict)
                    if cond.get('missing'):
                        self.assertFalse(cond['result'])

    def test_missing_facts_named(self):
        r = self.propose('missing.json', {'person': {'id': 'p1', 'degree': 'phd'}}, '2026-11-27')
        doc = json.loads(r.out)
        self.assertIn('person.years_in_4341', doc['missing'])
        t4 = doc['explanation']['tiers'][3]
        phd = [c for c in t4['criteria'] if c['id'] == 'phd-4341'][0]
        self.assertEqual(phd['missing'], ['person.years_in_4341'])
        self.assertEqual(phd['parameters'][0]['name'], 'phd_years_4341')
        self.assertEqual(phd['parameters'][0]['value'], 3)

    def test_bad_facts(self):
        for name, b in BAD:
            with self.subTest(bad=name):
                r = self.propose(name, b['facts'], b['on'])
                where = f'\n{name}: {b["about"]}\n$ {r.cmd}\n'
                self.assertEqual(r.returncode, 2, where + r.out[:300] + r.err[:300])
                self.assertEqual(r.out, '', where)
                self.assertIn(b['bad_field'], r.err, where)

    def test_text(self):
        facts = {'person': {'id': 'p1', 'title': 'senior', 'quanzhou_level': 3}}
        r = self.propose('text.json', facts, '2026-11-27', '--lang', 'zh')
        self.assertEqual(r.returncode, 0, r.err)
        self.assertIn('建议层次：第 4 层次', r.out)
        self.assertIn('可直接认定为第 5 层次', r.out)
        r = self.propose('text.json', facts, '2026-11-27', '--lang', 'en')
        self.assertIn('Proposed tier: 4', r.out)
        self.assertIn('senior-title', r.out)

    def test_usage(self):
        r = self.propose('u.json', {'person': {'id': 'p1'}}, '2026-02-30')
        self.assertEqual(r.returncode, 2)
        self.assertIn('--on', r.err)
        r = harness.run_cli('standard', 'propose', '--pack', PACK, timeout=60)
        self.assertEqual(r.returncode, 2)
        r = harness.run_cli('standard', 'propose', '--pack', BENEFITS, '--facts', '/dev/null', timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'kind: standard', r.stderr)

    def test_packs_side_by_side(self):
        """The subfolder does not change the benefit pack; both check."""
        r = harness.run_cli('policy', 'check', '--pack', BENEFITS, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'jinjiang, 12 policies', r.stdout)
        r = harness.run_cli('policy', 'check', '--pack', PACK, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(b'jinjiang-standard, 7 policies', r.stdout)
        r = harness.run_cli('standard', 'check', '--pack', PACK, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(re.search(rb'7 tiers, no errors', r.stdout))


def expected_facts(db, tid, on, claims=None):
    """The standard facts of stored talent tid on day `on`, worked out from the tables by the
    rules of src/domain/standard_facts.h (not by the program)."""
    con = sqlite3.connect(db)
    try:
        (degree, dfc, title, skill, ent, pl, psel, ql, qsel) = con.execute(
            'SELECT degree, double_first_class, title, skill_level, enterprise_id, provincial_level,'
            ' provincial_selected_on, quanzhou_level, quanzhou_selected_on FROM talents WHERE id = ?',
            (tid,)).fetchone()
        jobs = con.execute(
            'SELECT e.enterprise_id, e.started_on, e.ended_on, e.annual_salary_fen, i.is_4341 '
            'FROM employments e JOIN enterprises n ON n.id = e.enterprise_id '
            'LEFT JOIN industries i ON i.code = n.industry WHERE e.talent_id = ?', (tid,)).fetchall()
        cur = con.execute('SELECT i.is_4341 FROM enterprises n LEFT JOIN industries i '
                          'ON i.code = n.industry WHERE n.id = ?', (ent,)).fetchone() if ent else None
    finally:
        con.close()
    day = datetime.date.fromisoformat(on)
    p = {'id': str(tid)}
    if claims is not None:
        p['claims'] = claims
    if degree is not None:
        p['degree'] = degree
    if dfc in (0, 1):
        p['double_first_class'] = bool(dfc)
    if title is not None:
        p['title'] = title
    if skill:
        p['skill_level'] = skill
    if jobs:
        spans = []
        for _, start, end, _, is4341 in jobs:
            a = datetime.date.fromisoformat(start)
            b = min(datetime.date.fromisoformat(end) if end else day, day)
            if is4341 == 1 and a <= b:
                spans.append((a, b))
        covered = set()
        for a, b in spans:
            covered.update(a + datetime.timedelta(days=k) for k in range((b - a).days + 1))
        p['years_in_4341'] = len(covered) // 365
    if cur is not None and cur[0] in (0, 1):
        p['employer_4341'] = bool(cur[0])
    running = [(datetime.date.fromisoformat(s_), fen) for e, s_, end, fen, _ in jobs
               if e == ent and datetime.date.fromisoformat(s_) <= day
               and (end is None or datetime.date.fromisoformat(end) >= day)]
    if running:
        fen = max(running, key=lambda r: r[0])[1]
        if fen is not None and fen >= 0:
            p['annual_salary'] = fen
    for key, level, sel in (('provincial_level', pl, psel), ('quanzhou_level', ql, qsel)):
        if level and not (sel and datetime.date.fromisoformat(sel) > day):
            p[key] = level
    return {'person': p}


class StandardStoredTalentTest(unittest.TestCase):
    """`talentport standard facts|propose --talent ID`: the facts of stored talents (a demo
    database, a few rows changed to reach the edges) against the tables read independently."""

    TALENTS = 40
    ON = '2026-11-27'

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(harness.BIN):
            raise unittest.SkipTest(f'{harness.BIN} is not built')
        cls.dir = tempfile.mkdtemp(prefix='tp-standard-stored-')
        cls.db = os.path.join(cls.dir, 'demo.db')
        r = harness.run_cli('demo', '--db', cls.db, '--talents', str(cls.TALENTS), timeout=300)
        if r.returncode != 0:
            raise RuntimeError('demo failed: ' + r.stderr.decode('utf-8', 'replace'))
        con = sqlite3.connect(cls.db)
        with con:
            # talent 1: Quanzhou 4 selected later than the day (absent), provincial B before it
            con.execute("UPDATE talents SET quanzhou_level = 4, quanzhou_selected_on = '2027-01-01',"
                        " provincial_level = 2, provincial_selected_on = '2025-01-01' WHERE id = 1")
            # talent 2's current employer moves to a non-4341 industry; talent 3's to none
            con.execute("UPDATE enterprises SET industry = 'OTHER' WHERE id = "
                        "(SELECT enterprise_id FROM talents WHERE id = 2)")
            con.execute("UPDATE enterprises SET industry = NULL WHERE id = "
                        "(SELECT enterprise_id FROM talents WHERE id = 3) AND id <> "
                        "(SELECT enterprise_id FROM talents WHERE id = 2)")
        con.close()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def facts(self, tid, *extra):
        r = harness.run_cli('standard', 'facts', '--db', self.db, '--talent', str(tid),
                            '--on', self.ON, *extra, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_facts_match_the_tables(self):
        kinds = set()
        for tid in range(1, self.TALENTS + 1):
            with self.subTest(talent=tid):
                want = expected_facts(self.db, tid, self.ON)
                self.assertEqual(self.facts(tid), want)
                kinds.update(k for k in want['person'])
        self.assertTrue({'years_in_4341', 'employer_4341', 'annual_salary', 'provincial_level'} <= kinds)
        self.assertNotIn('quanzhou_level', self.facts(1)['person'])
        self.assertEqual(self.facts(1)['person']['provincial_level'], 2)
        self.assertIs(self.facts(2)['person'].get('employer_4341'), False)

    def test_claims_and_propose(self):
        claims = ['academician', 'provincial_first_prize']
        got = self.facts(5, '--claims', json.dumps(claims))
        self.assertEqual(got, expected_facts(self.db, 5, self.ON, claims))
        path = os.path.join(self.dir, 'f5.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(got, f)
        a = harness.run_cli('standard', 'propose', '--pack', PACK, '--db', self.db, '--talent', '5',
                            '--claims', json.dumps(claims), '--on', self.ON, timeout=60)
        b = harness.run_cli('standard', 'propose', '--pack', PACK, '--facts', path, '--on', self.ON,
                            timeout=60)
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, b.stdout)
        self.assertEqual(json.loads(a.stdout)['tier'], 1)
        # talent 1: provincial B on the day -> tier 4 at least, recorded directly unless higher
        doc = json.loads(harness.run_cli('standard', 'propose', '--pack', PACK, '--db', self.db,
                                         '--talent', '1', '--on', self.ON, timeout=60).stdout)
        self.assertLessEqual(doc['tier'], 4)
        self.assertEqual(doc['direct_tier'], 4)
        self.assertIn('provincial-b', doc['direct_matched'])

    def test_errors(self):
        r = harness.run_cli('standard', 'facts', '--db', self.db, '--talent', '99999', timeout=60)
        self.assertEqual(r.returncode, 1)
        r = harness.run_cli('standard', 'propose', '--pack', PACK, '--db', self.db, '--talent', '2',
                            '--claims', '["nobel"]', timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b'person.claims', r.stderr)
        r = harness.run_cli('standard', 'facts', '--db', self.db, '--talent', '2',
                            '--claims', '"academician"', timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b'claims', r.stderr)


if __name__ == '__main__':
    unittest.main()
