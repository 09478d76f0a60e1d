"""The hand-worked case table of the default policy pack (issue 4): `talentport policy eval`
against tests/policy/cases/*.json and tests/policy/bad/*.json.

Each case file holds a facts document, a period, whether `--all` is given, and the exact list
of entitlements the contract of `shared/reference/default-pack.md` demands, worked out by hand
from that document (the arithmetic is in each case's `about`; readings of unclear points carry
the word AMBIGUOUS there).  The expected lists are never copied from the program's output.

    case: {"about", "period", "all", "facts", "expected": [entitlement without "explanation", ...]}
    bad:  {"about", "period", "facts", "field"}   -> exit 2, nothing on stdout, stderr names field

The table's own shape (and that it covers every policy) is checked without the engine; the
evaluation tests are skipped until `talentport help` lists `policy` and the default pack
`policies/jinjiang/pack.yaml` exists.
"""
import difflib
import glob
import json
import os
import re
import shutil
import tempfile
import unittest

import harness

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TABLE = os.path.join(ROOT, 'tests', 'policy')
PACK = os.path.join(ROOT, 'policies', 'jinjiang')

# The pack order of default-pack.md, each policy's kind, and the list a per-item policy runs over.
ORDER = ('talent-allowance', 'self-identified-subsidy', 'housing-purchase', 'graduate-housing',
         'short-term-transport', 'quanzhou-topup', 'provincial-topup', 'startup-loan',
         'graduate-lodging', 'apprentice-training', 'child-schooling', 'child-zhongkao')
KIND = {'talent-allowance': 'cash', 'self-identified-subsidy': 'cash', 'housing-purchase': 'cash',
        'graduate-housing': 'cash', 'short-term-transport': 'cash', 'quanzhou-topup': 'cash',
        'provincial-topup': 'cash', 'startup-loan': 'loan', 'graduate-lodging': 'nights',
        'apprentice-training': 'cash', 'child-schooling': 'service', 'child-zhongkao': 'points'}
ITEMS = {'apprentice-training': ('enterprise', 'apprentices'),
         'child-schooling': ('person', 'children'), 'child-zhongkao': ('person', 'children')}
MONEY_KINDS = ('cash', 'loan')
STATUSES = ('granted', 'excluded', 'ineligible')
FIELD_ORDER = ('policy', 'beneficiary', 'period', 'instalment', 'item', 'kind', 'amount_fen',
               'quantity', 'status', 'excluded_by')
MIN_CASES, MIN_BAD = 70, 12


def load(kind):
    """[(file name, parsed object)] of tests/policy/<kind>/*.json, in file order."""
    out = []
    for path in sorted(glob.glob(os.path.join(TABLE, kind, '*.json'))):
        with open(path, encoding='utf-8') as f:
            out.append((os.path.basename(path), json.load(f)))
    return out


CASES = load('cases')
BAD = load('bad')


def line(e):
    """One entitlement as one JSON line, keys in contract order (unknown keys last, sorted)."""
    keys = [k for k in FIELD_ORDER if k in e] + sorted(k for k in e if k not in FIELD_ORDER)
    return json.dumps({k: e[k] for k in keys}, ensure_ascii=False)


def diff(expected, got):
    return '\n'.join(difflib.unified_diff([line(e) for e in expected], [line(e) for e in got],
                                          'expected (hand-worked)', 'talentport policy eval',
                                          lineterm='', n=2))


def engine_missing():
    """Why the evaluation tests cannot run yet, or None."""
    if not os.path.exists(harness.BIN):
        return f'{harness.BIN} is not built'
    r = harness.run_cli('help', timeout=60)
    if not re.search(r'^\s+policy\b', r.stdout.decode('utf-8', 'replace'), re.M):
        return '`talentport help` lists no `policy` command yet (the policy engine of issue 4)'
    if not os.path.exists(os.path.join(PACK, 'pack.yaml')):
        return 'the default pack policies/jinjiang/pack.yaml does not exist yet'
    return None


class PolicyCaseTableTest(unittest.TestCase):
    """The table itself: big enough, well formed, every policy granted in at least two cases."""

    def test_table_size(self):
        self.assertGreaterEqual(len(CASES), MIN_CASES, 'tests/policy/cases shrank')
        self.assertGreaterEqual(len(BAD), MIN_BAD, 'tests/policy/bad shrank')
        self.assertTrue(any(c['all'] for _, c in CASES), 'no case runs with --all')

    def test_every_policy_granted_in_two_cases(self):
        cases_granting = {p: [] for p in ORDER}
        for name, c in CASES:
            for p in {e['policy'] for e in c['expected'] if e['status'] == 'granted'}:
                cases_granting[p].append(name)
        for p in ORDER:
            self.assertGreaterEqual(len(cases_granting[p]), 2,
                                    f'{p} is granted in fewer than two cases: {cases_granting[p]}')
        for group in (('housing-purchase', 'graduate-housing'), ('quanzhou-topup', 'provincial-topup')):
            for p in group:
                self.assertTrue(any(e['policy'] == p and e['status'] == 'excluded'
                                    for _, c in CASES for e in c['expected']),
                                f'{p} is never excluded by its group')

    def test_case_files_are_well_formed(self):
        for name, c in CASES:
            with self.subTest(case=name):
                self.assertEqual(set(c), {'about', 'period', 'all', 'facts', 'expected'})
                self.assertTrue(c['about'].strip())
                self.assertRegex(c['period'], r'^\d{4}$')
                self.assertIsInstance(c['all'], bool)
                self.assertIsInstance(c['facts']['person']['id'], str)
                self.check_expected(c)

    def check_expected(self, c):
        """Every entitlement has the contract's fields, and the list is in the engine's order:
        pack order, then item in facts order, then instalment, then period key."""
        keys = []
        for e in c['expected']:
            p = e['policy']
            self.assertIn(p, ORDER)
            self.assertNotIn('explanation', e)
            self.assertIn(e['status'], STATUSES)
            if not c['all']:
                self.assertNotEqual(e['status'], 'ineligible', 'ineligible only with --all')
            self.assertEqual(e['kind'], KIND[p])
            want = {'policy', 'beneficiary', 'period', 'instalment', 'kind', 'status',
                    'amount_fen' if KIND[p] in MONEY_KINDS else 'quantity'}
            if p in ITEMS:
                want.add('item')
            if e['status'] == 'excluded':
                want.add('excluded_by')
                self.assertEqual(e.get('amount_fen'), 0, 'excluded: amount_fen 0')
                self.assertIn(e['excluded_by'], ORDER)
            self.assertEqual(set(e), want, line(e))
            self.assertIsInstance(e['instalment'], int)
            self.assertTrue(e['period'].startswith(c['period']), line(e))
            item_pos = 0
            if p in ITEMS:
                owner, lst = ITEMS[p]
                ids = [x['id'] for x in (c['facts'].get(owner) or {}).get(lst) or []]
                self.assertIn(e['item'], ids)
                item_pos = ids.index(e['item'])
                self.assertEqual(e['beneficiary'], c['facts'][owner]['id'])
            else:
                self.assertEqual(e['beneficiary'], c['facts']['person']['id'])
            keys.append((ORDER.index(p), item_pos, e['instalment'], e['period']))
        self.assertEqual(keys, sorted(keys), 'expected entitlements out of the engine order')
        self.assertEqual(len(keys), len(set(keys)), 'an entitlement listed twice')

    def test_bad_files_are_well_formed(self):
        for name, b in BAD:
            with self.subTest(bad=name):
                self.assertEqual(set(b), {'about', 'period', 'facts', 'field'})
                self.assertRegex(b['period'], r'^\d{4}$')
                self.assertRegex(b['field'], r'^(person|enterprise)(\.\w+)*$')


class PolicyEvalCasesTest(unittest.TestCase):
    """`talentport policy eval --pack policies/jinjiang` against every case of the table."""

    @classmethod
    def setUpClass(cls):
        reason = engine_missing()
        if reason:
            raise unittest.SkipTest(reason)
        cls.dir = tempfile.mkdtemp(prefix='tp-policy-cases-')

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def eval(self, name, facts, period, all_=False):
        path = os.path.join(self.dir, name)
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(facts, f, ensure_ascii=False)
        args = ['policy', 'eval', '--pack', PACK, '--facts', path, '--period', period]
        if all_:
            args.append('--all')
        r = harness.run_cli(*args, timeout=60)
        r.cmd = 'talentport ' + ' '.join(args)
        r.out = r.stdout.decode('utf-8', 'replace')
        r.err = r.stderr.decode('utf-8', 'replace')
        return r

    def test_cases(self):
        for name, c in CASES:
            with self.subTest(case=name):
                r = self.eval(name, c['facts'], c['period'], c['all'])
                where = f'\n{name}: {c["about"]}\n$ {r.cmd}\n'
                self.assertEqual(r.returncode, 0, where + 'stderr: ' + r.err[-2000:])
                try:
                    doc = json.loads(r.out)
                except ValueError as e:
                    self.fail(where + f'stdout is not one JSON object ({e}): {r.out[:2000]}')
                self.assertIsInstance(doc, dict, where)
                self.assertEqual(doc.get('period'), c['period'], where)
                got = doc.get('entitlements')
                self.assertIsInstance(got, list, where)
                stripped = []
                for e in got:
                    self.assertIsInstance(e, dict, where)
                    self.assertIsInstance(e.get('explanation'), dict,
                                          where + 'an entitlement without an explanation object: ' +
                                          json.dumps(e, ensure_ascii=False)[:500])
                    stripped.append({k: v for k, v in e.items() if k != 'explanation'})
                if stripped != c['expected']:
                    self.fail(where + diff(c['expected'], stripped))

    def test_bad_facts(self):
        for name, b in BAD:
            with self.subTest(bad=name):
                r = self.eval(name, b['facts'], b['period'])
                where = f'\n{name}: {b["about"]}\n$ {r.cmd}\n'
                self.assertEqual(r.returncode, 2, where + 'stdout: ' + r.out[:500] + '\nstderr: ' + r.err[:500])
                self.assertEqual(r.out, '', where + 'bad facts must print nothing on stdout')
                self.assertIn(b['field'], r.err, where + 'stderr must name the field')


if __name__ == '__main__':
    unittest.main()
