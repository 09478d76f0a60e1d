"""The policy pack over HTTP (issue 4, item 5): GET /api/v1/policies, GET /api/v1/policies/{id},
POST /api/v1/calculator (public, rate limited, stores nothing) and
GET /api/v1/talents/{id}/entitlements.

Expected values are worked out from shared/reference/default-pack.md, not copied from the
program: tier 3 is 80000 元 a year, so 10 insured months of 2026 with the tier valid all year
give floor(80000 × 10 / 12) = 66666 元 = 6666600 fen.  The calculator and the entitlements of a
stored talent must print exactly what `talentport policy eval` prints for the same facts.
"""
import json
import os
import sqlite3
import time

import harness
import test_talents

ANON = {'Authorization': None}

# default-pack.md, "The policies": the table order, and each policy's beneficiary, period,
# channel, kind and group
POLICIES = (
    ('talent-allowance', 'person', 'year', 'proactive', 'cash', None),
    ('self-identified-subsidy', 'person', 'month', 'proactive', 'cash', None),
    ('housing-purchase', 'person', 'once', 'apply', 'cash', 'housing'),
    ('graduate-housing', 'person', 'once', 'apply', 'cash', 'housing'),
    ('short-term-transport', 'person', 'year', 'proactive', 'cash', None),
    ('quanzhou-topup', 'person', 'once', 'apply', 'cash', 'topup'),
    ('provincial-topup', 'person', 'once', 'apply', 'cash', 'topup'),
    ('startup-loan', 'person', 'once', 'apply', 'loan', None),
    ('graduate-lodging', 'person', 'once', 'apply', 'nights', None),
    ('apprentice-training', 'enterprise.apprentices', None, 'apply', 'cash', None),
    ('child-schooling', 'person.children', 'year', None, 'service', None),
    ('child-zhongkao', 'person.children', 'year', None, 'points', None),
)

# the example facts document of default-pack.md ("The facts a pack reads")
EXAMPLE = {
    'person': {
        'id': 'p1',
        'birth_date': '1993-04-02',
        'degree': 'master',
        'double_first_class': False,
        'graduated_on': '2025-07-01',
        'tier': {'level': 3, 'from': '2024-01-01', 'to': '2028-12-31'},
        'self_identified': {'category': 2, 'enterprise': 'e1', 'from': '2026-01-01',
                            'to': '2026-12-31'},
        'quanzhou_level': 2, 'quanzhou_selected_on': '2026-05-10',
        'provincial_level': None, 'provincial_selected_on': None,
        'short_term': False,
        'days_in_jinjiang': {'2026': 45},
        'insured_months': {'2026': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]},
        'home_purchase': {'contract_date': '2026-03-01', 'area_m2': 89.5,
                          'in_jinjiang': True, 'first_home_in_jinjiang': True},
        'startup': {'registered_on': '2026-01-10', 'in_jinjiang': True},
        'children': [{'id': 'c1', 'birth_date': '2012-09-01'}],
    },
    'enterprise': {
        'id': 'e1',
        'apprentices': [{'id': 'a1', 'level': 'intermediate', 'enrolled_on': '2026-03-01',
                         'completed_on': None}],
    },
}
ALLOWANCE_2026 = 6666600   # floor(80000 * 10 / 12) 元 in fen


def entitlement(doc, policy, item=None, instalment=1):
    for e in doc['entitlements']:
        if e['policy'] == policy and e.get('item') == item and e['instalment'] == instalment:
            return e
    return None


def shanghai_year():
    return time.gmtime(time.time() + 8 * 3600).tm_year


class PolicyReading(harness.ServerTest):
    login_as = None   # every request anonymous

    def test_list_in_pack_order(self):
        r = self.get('/api/v1/policies')
        self.assertEqual(r.status, 200, r.body[:300])
        doc = r.json
        self.assertEqual(doc['pack']['id'], 'jinjiang')
        self.assertEqual(doc['pack']['policies'], len(POLICIES))
        self.assertEqual([p['id'] for p in doc['items']], [p[0] for p in POLICIES])
        for p, (pid, ben, period, channel, kind, group) in zip(doc['items'], POLICIES):
            self.assertEqual(set(p), {'id', 'title', 'summary', 'basis', 'beneficiary', 'period',
                                      'channel', 'kind', 'group'}, pid)
            self.assertTrue(p['title']['zh'] and p['title']['en'], pid)
            # every policy of the default pack explains itself in plain language, both languages
            self.assertTrue(p['summary']['zh'] and p['summary']['en'], pid)
            self.assertTrue(p['basis'], pid)
            self.assertEqual(p['beneficiary'], ben, pid)
            if period:
                self.assertEqual(p['period'], period, pid)
            if channel:
                self.assertEqual(p['channel'], channel, pid)
            self.assertEqual(p['kind'], kind, pid)
            self.assertEqual(p['group'], group, pid)
        self.assertEqual(doc['items'][0]['title']['zh'], '人才津贴')

    def test_detail_with_parameter_history(self):
        for pid, _ben, _per, _ch, kind, _gr in POLICIES:
            r = self.get('/api/v1/policies/' + pid)
            self.assertEqual(r.status, 200, (pid, r.body[:300]))
            p = r.json
            self.assertEqual(p['id'], pid)
            self.assertTrue(p['eligible'] and all(isinstance(c, str) and c
                                                  for c in p['eligible']), pid)
            self.assertTrue(p['amount'], pid)
            if kind in ('cash', 'loan'):   # their amounts are parameters with sources
                self.assertTrue(p['parameters'], pid)
            for par in p['parameters']:
                self.assertTrue(par['values'], (pid, par['name']))
                for v in par['values']:
                    self.assertRegex(v['since'], r'^\d{4}-\d{2}-\d{2}$', (pid, par['name']))
                    self.assertTrue(v['source'].strip(), (pid, par['name']))
                    self.assertIn('value', v)
        # the figures of default-pack.md, in fen, by tier
        ta = self.get('/api/v1/policies/talent-allowance').json
        annual = next(x for x in ta['parameters'] if x['type'] == 'map to money')
        self.assertEqual(annual['values'][0]['since'], '2022-01-01')
        self.assertEqual(annual['values'][0]['value'],
                         {'1': 18000000, '2': 12000000, '3': 8000000, '4': 5000000,
                          '5': 3000000, '6': 1200000, '7': 600000})
        self.assertIn('not person.short_term', ta['eligible'])
        self.assertEqual(ta['group'], None)
        hp = self.get('/api/v1/policies/housing-purchase').json
        self.assertEqual(hp['group'], 'housing')
        self.assertEqual(len(hp['instalments']), 2)
        self.assertIsNotNone(hp['instalments'][1]['condition'])
        self.assertTrue(hp['due'])

    def test_unknown_policy(self):
        r = self.get('/api/v1/policies/no-such-policy')
        self.assertProblem(r, 404, 'not_found')


class Calculator(harness.ServerTest):
    login_as = None

    def calc(self, body, ip=None, headers=None, **kw):
        h = dict(ANON)
        h.update(headers or {})
        if ip:
            return harness.request_from(self.server, ip, 'POST', '/api/v1/calculator', body,
                                        headers=h, **kw)
        return self.post('/api/v1/calculator', body, headers=h, **kw)

    def cli_eval(self, facts, period):
        path = os.path.join(self.server.dir, 'facts.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(facts, f, ensure_ascii=False)
        p = harness.run_cli('policy', 'eval', '--pack', harness.PACK, '--facts', path,
                            '--period', str(period))
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_example_facts_as_the_cli_prints_them(self):
        r = self.calc({'facts': EXAMPLE, 'period': '2026'})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertTrue(r.header('Content-Type').startswith('application/json'))
        e = entitlement(r.json, 'talent-allowance')
        self.assertEqual((e['status'], e['amount_fen'], e['beneficiary'], e['period']),
                         ('granted', ALLOWANCE_2026, 'p1', '2026'))
        self.assertIn('explanation', e)
        self.assertEqual(r.body, self.cli_eval(EXAMPLE, 2026))
        # the period as an integer is the same question
        self.assertEqual(self.calc({'facts': EXAMPLE, 'period': 2026}).body, r.body)
        # all: the ineligible ones too, as `policy eval --all`
        r = self.calc({'facts': EXAMPLE, 'period': '2026', 'all': True})
        self.assertEqual(r.status, 200)
        self.assertIn('ineligible', {x['status'] for x in r.json['entitlements']})

    def test_bad_facts_name_the_field(self):
        cases = (
            ({'person': {'id': 'p', 'tier': {'level': 9}}}, 'facts.person.tier.level'),
            ({'person': {'id': 'p', 'degree': 'doctor'}}, 'facts.person.degree'),
            ({'person': {'birth_date': '1990-01-01'}}, 'facts.person.id'),
            ({'person': {'id': 'p', 'birth_date': '1990-02-30'}}, 'facts.person.birth_date'),
            ({'person': {'id': 'p', 'quanzhou_level': 6}}, 'facts.person.quanzhou_level'),
        )
        for facts, field in cases:
            r = self.calc({'facts': facts, 'period': '2026'})
            p = self.assertProblem(r, 422, 'validation_failed', field)
            self.assertEqual(p['errors'][0]['code'], 'bad_fact')
        r = self.calc({'facts': cases[0][0], 'period': '2026'},
                      headers={'Accept-Language': 'en'})
        self.assertEqual(r.json['detail'], 'bad facts: person.tier.level: 9 is outside 1..7')
        r = self.calc({'facts': cases[0][0], 'period': '2026'})
        self.assertIn('事实数据有误', r.json['detail'])

    def test_period_and_body_checked(self):
        facts = {'person': {'id': 'p'}}
        self.assertProblem(self.calc({'facts': facts}), 422, 'validation_failed', 'period')
        for bad in ('1999', '2101', '26', '20x6', '2026-01', 2026.5, True, None):
            self.assertProblem(self.calc({'facts': facts, 'period': bad}), 422,
                               'validation_failed', 'period')
        self.assertProblem(self.calc({'period': '2026'}), 422, 'validation_failed', 'facts')
        self.assertProblem(self.calc({'facts': [], 'period': '2026'}), 422,
                           'validation_failed', 'facts')
        self.assertProblem(self.calc({'facts': facts, 'period': '2026', 'name': 'x'}), 422,
                           'validation_failed', 'name')
        big = {'facts': {'person': {'id': 'p' * (70 * 1024)}}, 'period': '2026'}
        self.assertEqual(self.calc(big).status, 413)

    def test_nothing_is_written(self):
        def state():
            con = sqlite3.connect(self.server.db)
            try:
                tables = sorted(r[0] for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"))
                counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                          for t in tables if t == 'audit_log' or 'entitlement' in t}
                return tables, counts
            finally:
                con.close()
        before = state()
        self.assertIn('audit_log', before[1])
        for period in ('2026', '2027', 2030):
            self.assertEqual(self.calc({'facts': EXAMPLE, 'period': period}).status, 200)
        self.assertEqual(self.calc({'facts': {'person': {'id': 'p', 'tier': {'level': 0}}},
                                    'period': '2026'}).status, 422)
        self.assertEqual(state(), before)

    def test_rate_limited_per_address(self):
        ip = '127.0.6.9'
        body = {'facts': {'person': {'id': 'rate'}}, 'period': '2026'}
        ok = 0
        r = None
        for _ in range(300):
            r = self.calc(body, ip=ip)
            if r.status != 200:
                break
            ok += 1
        self.assertGreaterEqual(ok, 60)   # the burst
        p = self.assertProblem(r, 429, 'rate_limited')
        self.assertIn('request_id', p)
        self.assertGreaterEqual(int(r.header('Retry-After')), 1)
        # another address is not held back, nor are the logins of this one (their own bucket)
        self.assertEqual(self.calc(body, ip='127.0.6.10').status, 200)
        r = harness.request_from(self.server, ip, 'POST', '/api/v1/session', {}, headers=ANON)
        self.assertEqual(r.status, 422, r.body[:300])


class TalentEntitlements(harness.ServerTest):
    """A stored talent's entitlements (the office reviewer registers the talents)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request('POST', '/api/v1/talents', {
            'name': '林津贴', 'id_number': test_talents.make_id(401, birth='19930402'),
            'tier': {'level': 3, 'from': '2024-01-01', 'to': '2028-12-31'},
            'insured_months': {'2026': list(range(1, 11))}})
        if r.status != 201:
            raise AssertionError(f'create: {r.status} {r.body[:400]!r}')
        cls.tid = r.json['id']
        r = cls.server.request('POST', '/api/v1/talents', {
            'name': '王他人', 'id_number': test_talents.make_id(402, birth='19900101')})
        cls.other = r.json['id']
        s, _, _ = cls.server.account('ent-talent', 'talent', '--talent-id', str(cls.tid))
        cls.talent_token = cls.server.bearer(s)

    def ent(self, tid, query='?period=2026', token=None):
        h = {'Authorization': 'Bearer ' + token} if token else None
        return self.get(f'/api/v1/talents/{tid}/entitlements{query}', headers=h)

    def test_allowance_of_a_stored_talent(self):
        r = self.ent(self.tid)
        self.assertEqual(r.status, 200, r.body[:500])
        doc = r.json
        self.assertEqual(doc['period'], '2026')
        e = entitlement(doc, 'talent-allowance')
        self.assertIsNotNone(e, doc)
        self.assertEqual((e['status'], e['amount_fen'], e['beneficiary']),
                         ('granted', ALLOWANCE_2026, str(self.tid)))
        self.assertEqual(e['explanation']['amount']['value'], ALLOWANCE_2026)
        # 2025 has no insured month: no allowance
        r = self.ent(self.tid, '?period=2025')
        self.assertEqual(r.status, 200)
        self.assertIsNone(entitlement(r.json, 'talent-allowance'))
        # all=true: the ineligible ones too, with the failing condition
        r = self.ent(self.tid, '?period=2025&all=true')
        self.assertEqual(entitlement(r.json, 'talent-allowance')['status'], 'ineligible')

    def test_default_period_is_this_year(self):
        r = self.ent(self.tid, '')
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['period'], str(shanghai_year()))

    def test_bad_period(self):
        for q in ('?period=1999', '?period=26', '?period=2026-01', '?period=', '?all=maybe'):
            field = 'all' if 'all' in q else 'period'
            self.assertProblem(self.ent(self.tid, q), 422, 'validation_failed', field)

    def test_talent_sees_only_their_own(self):
        mine = self.ent(self.tid, token=self.talent_token)
        self.assertEqual(mine.status, 200, mine.body[:300])
        self.assertEqual(mine.body, self.ent(self.tid).body)   # what staff see
        self.assertProblem(self.ent(self.other, token=self.talent_token), 404, 'not_found')
        self.assertProblem(self.ent(999999), 404, 'not_found')
        r = self.get(f'/api/v1/talents/{self.tid}/entitlements', headers=ANON)
        self.assertEqual(r.status, 401)

    def test_registry_facts_match_the_calculator(self):
        """Every fact the registry keeps, entered through the API, reaches the pack: the
        entitlements equal the calculator's answer for the facts written out by hand."""
        body = {
            'name': '陈全量', 'id_number': test_talents.make_id(403, birth='19880512'),
            'degree': 'master', 'double_first_class': True, 'graduated_on': '2013-07-01',
            'tier': {'level': 4, 'from': '2023-01-01', 'to': '2027-12-31'},
            'quanzhou_level': 4, 'quanzhou_selected_on': '2026-06-01',
            'provincial_level': 3, 'provincial_selected_on': '2022-03-15',
            'short_term': False,
            'home_purchase': {'contract_date': '2026-05-20', 'area_m2': 120.5,
                              'in_jinjiang': True, 'first_home_in_jinjiang': True},
            'startup': {'registered_on': '2021-09-09', 'in_jinjiang': True},
            'insured_months': {'2026': [1, 2, 3, 4, 5, 6, 7], '2025': list(range(1, 13))},
            'days_in_jinjiang': {'2026': 120},
            'children': [{'name': '陈小宝', 'birth_date': '2015-08-08'},
                         {'name': '陈小贝', 'birth_date': '2011-03-01'}],
        }
        r = self.post('/api/v1/talents', body)
        self.assertEqual(r.status, 201, r.body[:500])
        tid = r.json['id']
        facts = {'person': {
            'id': str(tid), 'birth_date': '1988-05-12', 'degree': 'master',
            'double_first_class': True, 'graduated_on': '2013-07-01',
            'tier': {'level': 4, 'from': '2023-01-01', 'to': '2027-12-31'},
            'quanzhou_level': 4, 'quanzhou_selected_on': '2026-06-01',
            'provincial_level': 3, 'provincial_selected_on': '2022-03-15',
            'short_term': False,
            'days_in_jinjiang': {'2026': 120},
            'insured_months': {'2025': list(range(1, 13)), '2026': [1, 2, 3, 4, 5, 6, 7]},
            'home_purchase': {'contract_date': '2026-05-20', 'area_m2': 120.5,
                              'in_jinjiang': True, 'first_home_in_jinjiang': True},
            'startup': {'registered_on': '2021-09-09', 'in_jinjiang': True},
            'children': [{'id': 'c1', 'birth_date': '2015-08-08'},
                         {'id': 'c2', 'birth_date': '2011-03-01'}]}}
        for period in ('2026', '2025', '2029'):
            r = self.ent(tid, '?period=' + period + '&all=true')
            self.assertEqual(r.status, 200, r.body[:300])
            calc = self.post('/api/v1/calculator',
                             {'facts': facts, 'period': period, 'all': True}, headers=ANON)
            self.assertEqual(calc.status, 200, calc.body[:300])
            self.assertEqual(r.body, calc.body, period)
        # tier 4 (50000 元) over 7 insured months of 2026: floor(50000 × 7 / 12) = 29166 元
        e = entitlement(self.ent(tid).json, 'talent-allowance')
        self.assertEqual((e['status'], e['amount_fen']), ('granted', 2916600))


if __name__ == '__main__':
    import unittest
    unittest.main()
