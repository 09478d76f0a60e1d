"""Enterprise self-identification (企业自主认定), issue 5 item 4 (docs/self-identification.md).

Expected values come from the specification, not from the program's answers:
  - criteria and default quotas (migrations/0012, [design]): an enterprise qualifies when its
    industry is in the 4341 system (industries.is_4341) and its size is recorded; quotas by
    size, categories 1/2/3: medium 1/3/6;
  - a nomination beyond the quota is refused with the numbers ("三类名额已用 2/2" /
    "category 3 quota used: 2 of 2"); a talent is nominated once a year (409); the talent must
    have an open employment at the enterprise (422); another enterprise's talent is 404;
  - default-pack.md, self-identified-subsidy: category 1/2/3 → 3000/2000/1000 元 a month
    (300000/200000/100000 fen) for every insured month in which the self-identification is
    valid and no government tier is valid.
"""
import json
import os
import sqlite3
import threading
import time
import unittest

import harness
import test_enterprises
import test_talents

PACK = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'policies',
                                    'jinjiang'))
EN = {'Accept-Language': 'en'}


def shanghai_today():
    return time.strftime('%Y-%m-%d', time.gmtime(time.time() + 8 * 3600))


class SelfIdentification(harness.ServerTest):
    seq = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls.enterprise()
        cls.b = cls.enterprise()
        cls.staff = [cls.talent(cls.a['id']) for _ in range(8)]
        cls.b_staff = cls.talent(cls.b['id'])
        cls.tok_a = cls.employer('a', cls.a['id'])
        cls.tok_b = cls.employer('b', cls.b['id'])
        s, _, _ = cls.server.account('si-talent', 'talent', '--talent-id', str(cls.staff[0]))
        cls.tok_talent = cls.server.bearer(s)

    # ---------------------------------------------------------------- setup helpers

    @classmethod
    def next(cls):
        cls.seq += 1
        return cls.seq

    @classmethod
    def req(cls, method, path, body=None, token=None, headers=None, expect=None):
        h = dict(headers or {})
        if token:
            h['Authorization'] = 'Bearer ' + token
        r = cls.server.request(method, path, body=body, headers=h)
        if expect is not None and r.status != expect:
            raise AssertionError(f'{method} {path}: {r.status} {r.body[:400]!r}')
        return r

    @classmethod
    def enterprise(cls, **over):
        n = 8100 + cls.next()
        return cls.req('POST', '/api/v1/enterprises', test_enterprises.enterprise_body(n, **over),
                       expect=201).json

    @classmethod
    def talent(cls, eid, employed=True, **facts):
        n = cls.next()
        body = {'name': f'自主认定{n}', 'id_number': test_talents.make_id(n, birth='19900505'),
                'enterprise_id': eid}
        body.update(facts)
        tid = cls.req('POST', '/api/v1/talents', body, expect=201).json['id']
        if employed:
            cls.req('POST', f'/api/v1/talents/{tid}/employments',
                    {'enterprise_id': eid, 'started_on': '2020-01-01'}, expect=201)
        return tid

    @classmethod
    def employer(cls, name, eid):
        s, _, _ = cls.server.account(f'si-emp-{name}', 'employer', '--enterprise-id', str(eid))
        return cls.server.bearer(s)

    def qualify(self, eid, year, expect=201):
        return self.req('POST', '/api/v1/self-identification/qualifications',
                        {'enterprise_id': eid, 'year': year}, expect=expect)

    def set_quota(self, eid, year, category, quota, expect=200):
        return self.req('PATCH', f'/api/v1/enterprises/{eid}/self-identification/{year}/quotas',
                        {'category': category, 'quota': quota}, expect=expect)

    def nominate(self, tid, year, category, token=None, **extra):
        body = {'talent_id': tid, 'year': year, 'category': category,
                'justification': '核心研发骨干，主持完成省级项目'}
        body.update(extra)
        return self.req('POST', '/api/v1/self-identifications', body, token=token or self.tok_a)

    @staticmethod
    def cats(doc):
        return {c['category']: (c['quota'], c['used'], c['remaining']) for c in doc['categories']}

    # ---------------------------------------------------------------- qualification

    def test_qualify_with_default_quotas_by_size(self):
        r = self.qualify(self.a['id'], 2030)
        self.assertTrue(r.json['qualified'])
        self.assertEqual(self.cats(r.json), {1: (1, 0, 1), 2: (3, 0, 3), 3: (6, 0, 6)})
        self.assertEqual(r.json['qualified_by'], 'office')
        p = self.assertProblem(self.qualify(self.a['id'], 2030, expect=409), 409,
                               'already_qualified')
        self.assertIn('2030', p['detail'])
        # the employer sees its own qualification; another employer does not
        r = self.req('GET', f'/api/v1/enterprises/{self.a["id"]}/self-identification?year=2030',
                     token=self.tok_a, expect=200)
        self.assertEqual(self.cats(r.json)[2], (3, 0, 3))
        self.assertProblem(self.req('GET', f'/api/v1/enterprises/{self.a["id"]}/'
                                    'self-identification?year=2030', token=self.tok_b),
                           404, 'not_found')
        # not qualified: an answer, not an error
        r = self.req('GET', f'/api/v1/enterprises/{self.b["id"]}/self-identification?year=2030',
                     token=self.tok_b, expect=200)
        self.assertFalse(r.json['qualified'])

    def test_qualification_refused_naming_the_criterion(self):
        other = self.enterprise(industry='OTHER')
        r = self.req('POST', '/api/v1/self-identification/qualifications',
                     {'enterprise_id': other['id'], 'year': 2030})
        p = self.assertProblem(r, 422, 'criterion_industry_4341', 'enterprise_id')
        self.assertIn('4341', p['detail'])
        r = self.req('POST', '/api/v1/self-identification/qualifications',
                     {'enterprise_id': other['id'], 'year': 2030}, headers=EN)
        self.assertIn('"4341"', r.json['detail'])
        nosize = self.enterprise(size=None)
        r = self.req('POST', '/api/v1/self-identification/qualifications',
                     {'enterprise_id': nosize['id'], 'year': 2030}, headers=EN)
        p = self.assertProblem(r, 422, 'criterion_size_recorded')
        self.assertIn('size', p['detail'])
        # bad input and an unknown enterprise
        for body, field in (({'enterprise_id': self.a['id'], 'year': 1999}, 'year'),
                            ({'year': 2030}, 'enterprise_id'),
                            ({'enterprise_id': 99999999, 'year': 2030}, 'enterprise_id')):
            self.assertProblem(self.req('POST', '/api/v1/self-identification/qualifications',
                                        body), 422, None, field)

    def test_quota_set_by_the_office(self):
        self.qualify(self.a['id'], 2031)
        r = self.set_quota(self.a['id'], 2031, 3, 9)
        self.assertEqual(self.cats(r.json)[3], (9, 0, 9))
        self.assertProblem(self.set_quota(self.b['id'], 2031, 3, 1, expect=409), 409,
                           'not_qualified')
        self.assertProblem(self.set_quota(self.a['id'], 2031, 4, 1, expect=422), 422, None,
                           'category')
        self.assertProblem(self.set_quota(self.a['id'], 2031, 1, -1, expect=422), 422, None,
                           'quota')
        # an employer may not set its own quota (route roles)
        r = self.req('PATCH', f'/api/v1/enterprises/{self.a["id"]}/self-identification/2031/quotas',
                     {'category': 3, 'quota': 50}, token=self.tok_a)
        self.assertEqual(r.status, 403)

    # ---------------------------------------------------------------- nominations

    def test_nominate_within_quota_and_exhaustion_with_numbers(self):
        year = 2032
        self.qualify(self.a['id'], year)
        self.set_quota(self.a['id'], year, 3, 2)
        r = self.nominate(self.staff[1], year, 3)
        self.assertEqual(r.status, 201, r.body[:400])
        n = r.json
        self.assertEqual((n['status'], n['category'], n['year'], n['enterprise_id']),
                         ('active', 3, year, self.a['id']))
        # a later year: valid the whole year by default
        self.assertEqual((n['from'], n['to']), (f'{year}-01-01', f'{year}-12-31'))
        self.assertIsNone(n['audit'])
        self.assertEqual(r.header('Location'), f'/api/v1/self-identifications/{n["id"]}')
        self.assertEqual(self.nominate(self.staff[2], year, 3).status, 201)
        r = self.nominate(self.staff[3], year, 3)
        p = self.assertProblem(r, 409, 'quota_exhausted', 'category')
        self.assertIn('三类名额已用 2/2', p['detail'])
        r = self.req('POST', '/api/v1/self-identifications',
                     {'talent_id': self.staff[3], 'year': year, 'category': 3,
                      'justification': '骨干'}, token=self.tok_a, headers=EN)
        self.assertIn('category 3 quota used: 2 of 2', r.json['detail'])
        r = self.req('GET', f'/api/v1/enterprises/{self.a["id"]}/self-identification?year={year}',
                     token=self.tok_a, expect=200)
        self.assertEqual(self.cats(r.json)[3], (2, 2, 0))
        # another category still has room
        self.assertEqual(self.nominate(self.staff[3], year, 2).status, 201)
        # the same talent twice in a year
        p = self.assertProblem(self.nominate(self.staff[1], year, 2), 409, 'already_nominated',
                               'talent_id')

    def test_nomination_validation(self):
        year = 2033
        self.qualify(self.a['id'], year)
        long = '很' * 501
        for extra, field in (({'justification': long}, 'justification'),
                             ({'justification': ''}, 'justification'),
                             ({'category': 4}, 'category'),
                             ({'from': f'{year - 1}-12-31'}, 'from'),
                             ({'to': f'{year + 1}-01-01'}, 'to'),
                             ({'from': f'{year}-06-01', 'to': f'{year}-05-01'}, 'to'),
                             ({'extra': 1}, 'extra')):
            r = self.nominate(self.staff[4], year, extra.pop('category', 1), **extra)
            self.assertProblem(r, 422, None, field)
        r = self.req('POST', '/api/v1/self-identifications', {'talent_id': self.staff[4],
                                                              'year': year, 'category': 1},
                     token=self.tok_a)
        self.assertProblem(r, 422, None, 'justification')
        # exactly 500 characters is allowed
        r = self.nominate(self.staff[4], year, 3, justification='好' * 500)
        self.assertEqual(r.status, 201, r.body[:300])

    def test_not_employed_other_enterprise_and_not_qualified(self):
        year = 2034
        self.qualify(self.a['id'], year)
        # the talent's employer is A, but there is no open employment record at A
        loose = self.talent(self.a['id'], employed=False)
        self.assertProblem(self.nominate(loose, year, 3), 422, 'not_employed', 'talent_id')
        # B's talent: A may not see it
        self.assertProblem(self.nominate(self.b_staff, year, 3), 404, 'not_found')
        # B is not qualified for the year
        p = self.assertProblem(self.nominate(self.b_staff, year, 3, token=self.tok_b), 403,
                               'not_qualified')
        self.assertIn(str(year), p['detail'])

    def test_race_for_the_last_slot(self):
        year = 2035
        self.qualify(self.a['id'], year)
        self.set_quota(self.a['id'], year, 1, 1)
        results = []
        barrier = threading.Barrier(2)

        def go(tid):
            barrier.wait()
            results.append(self.nominate(tid, year, 1))

        threads = [threading.Thread(target=go, args=(t,)) for t in self.staff[5:7]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status for r in results)
        self.assertEqual(statuses, [201, 409], [r.body[:200] for r in results])
        loser = next(r for r in results if r.status == 409)
        self.assertEqual(loser.json['code'], 'quota_exhausted')
        self.assertIn('1/1', loser.json['detail'])
        r = self.req('GET', f'/api/v1/self-identifications?enterprise_id={self.a["id"]}'
                     f'&year={year}&category=1', expect=200)
        self.assertEqual(r.json['total'], 1)

    def test_withdraw_audit_revoke(self):
        year = 2036
        self.qualify(self.a['id'], year)
        self.set_quota(self.a['id'], year, 2, 1)
        n = self.nominate(self.staff[1], year, 2).json
        # another employer can neither see nor withdraw it
        self.assertProblem(self.req('GET', f'/api/v1/self-identifications/{n["id"]}',
                                    token=self.tok_b), 404, 'not_found')
        self.assertProblem(self.req('POST', f'/api/v1/self-identifications/{n["id"]}/withdraw',
                                    {}, token=self.tok_b), 404, 'not_found')
        r = self.req('GET', f'/api/v1/self-identifications?year={year}', token=self.tok_b,
                     expect=200)
        self.assertEqual(r.json['total'], 0)
        # withdrawn before the audit: the slot is free again and the talent may be nominated
        r = self.req('POST', f'/api/v1/self-identifications/{n["id"]}/withdraw', {},
                     token=self.tok_a, expect=200)
        self.assertEqual(r.json['status'], 'withdrawn')
        self.assertIsNotNone(r.json['withdrawn_at'])
        n2 = self.nominate(self.staff[1], year, 2)
        self.assertEqual(n2.status, 201, n2.body[:300])
        n2 = n2.json
        # the office audits it: the employer can no longer withdraw
        r = self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/audit',
                     {'note': '材料齐全，经抽查属实'}, expect=200)
        self.assertEqual((r.json['audit']['note'], r.json['audit']['by']),
                         ('材料齐全，经抽查属实', 'office'))
        self.assertProblem(self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/withdraw',
                                    {}, token=self.tok_a), 409, 'not_withdrawable')
        self.assertProblem(self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/audit',
                                    {}), 422, None, 'note')
        # revoked with a reason: frees the slot, the talent stays out for the year
        self.assertProblem(self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/revoke',
                                    {}), 422, None, 'reason')
        r = self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/revoke',
                     {'reason': '岗位与申报不符'}, expect=200)
        self.assertEqual((r.json['status'], r.json['revocation']['reason'],
                          r.json['revocation']['by']), ('revoked', '岗位与申报不符', 'office'))
        self.assertProblem(self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/revoke',
                                    {'reason': '再次'}), 409, 'not_active')
        self.assertProblem(self.nominate(self.staff[1], year, 2), 409, 'already_nominated')
        self.assertEqual(self.nominate(self.staff[2], year, 2).status, 201)
        # the employer may not audit or revoke (route roles)
        r = self.req('POST', f'/api/v1/self-identifications/{n2["id"]}/audit', {'note': 'x'},
                     token=self.tok_a)
        self.assertEqual(r.status, 403)
        # every change is in the audit log
        db = sqlite3.connect(self.server.db)
        try:
            acts = {a for (a,) in db.execute(
                "SELECT action FROM audit_log WHERE action LIKE 'selfid.%'")}
        finally:
            db.close()
        self.assertTrue({'selfid.qualify', 'selfid.quota', 'selfid.nominate', 'selfid.withdraw',
                         'selfid.audit', 'selfid.revoke'} <= acts, acts)

    def test_list_filters(self):
        year = 2037
        self.qualify(self.a['id'], year)
        ids = [self.nominate(t, year, 3).json['id'] for t in self.staff[1:4]]
        self.req('POST', f'/api/v1/self-identifications/{ids[0]}/audit', {'note': '已核'},
                 expect=200)
        self.req('POST', f'/api/v1/self-identifications/{ids[1]}/revoke', {'reason': '不符'},
                 expect=200)
        base = f'/api/v1/self-identifications?year={year}'
        got = lambda q, tok=None: [x['id'] for x in self.req('GET', base + q, token=tok,  # noqa
                                                              expect=200).json['items']]
        self.assertEqual(got(''), ids)
        self.assertEqual(got('&status=active'), [ids[0], ids[2]])
        self.assertEqual(got('&status=revoked'), [ids[1]])
        self.assertEqual(got('&audited=true'), [ids[0]])
        self.assertEqual(got(f'&talent_id={self.staff[3]}'), [ids[2]])
        self.assertEqual(got('&category=2'), [])
        self.assertEqual(got('', self.tok_a), ids)
        self.assertEqual(got(f'&enterprise_id={self.a["id"]}', self.tok_b), [])
        for q, field in (('&status=x', 'status'), ('&audited=1', 'audited'),
                         ('&category=0', 'category'), ('&year=abc', 'year')):
            self.assertProblem(self.req('GET', '/api/v1/self-identifications?' + q[1:]), 422,
                               None, field)

    def test_talent_sees_their_own(self):
        year = 2038
        self.qualify(self.a['id'], year)
        n = self.nominate(self.staff[0], year, 2).json
        r = self.req('GET', f'/api/v1/talents/{self.staff[0]}/self-identifications',
                     token=self.tok_talent, expect=200)
        self.assertIn(n['id'], [x['id'] for x in r.json['items']])
        r = self.req('GET', f'/api/v1/self-identifications/{n["id"]}', token=self.tok_talent,
                     expect=200)
        self.assertEqual(r.json['category'], 2)
        other = self.nominate(self.staff[1], year, 2).json
        self.assertProblem(self.req('GET', f'/api/v1/self-identifications/{other["id"]}',
                                    token=self.tok_talent), 404, 'not_found')
        self.assertProblem(self.req('GET', f'/api/v1/talents/{self.staff[1]}/'
                                    'self-identifications', token=self.tok_talent),
                           404, 'not_found')
        # B's employer does not see A's staff
        self.assertProblem(self.req('GET', f'/api/v1/talents/{self.staff[0]}/'
                                    'self-identifications', token=self.tok_b), 404, 'not_found')

    # ---------------------------------------------------------------- the policy engine

    def subsidy(self, tid, period=2026):
        r = self.req('GET', f'/api/v1/talents/{tid}/entitlements?period={period}', expect=200)
        return {e['period']: e['amount_fen'] for e in r.json['entitlements']
                if e['policy'] == 'self-identified-subsidy' and e['status'] == 'granted'}

    def test_entitlements_appear_and_disappear_and_policy_run_counts_them(self):
        year = 2026
        self.qualify(self.a['id'], year)
        insured = {'insured_months': {'2026': list(range(1, 13))}}
        x = self.talent(self.a['id'], **insured)
        # tier 5 valid from July: months 7.. are not paid twice (不重复享受)
        y = self.talent(self.a['id'], tier={'level': 5, 'from': '2026-07-01',
                                            'to': '2030-12-31'},
                        insured_months={'2026': list(range(1, 11))})
        self.assertEqual(self.subsidy(x), {})
        nx = self.nominate(x, year, 1, **{'from': '2026-03-01'})
        self.assertEqual(nx.status, 201, nx.body[:300])
        ny = self.nominate(y, year, 2, **{'from': '2026-03-01'})
        self.assertEqual(ny.status, 201, ny.body[:300])
        # category 1: 3000 元 = 300000 fen for each insured month 3..12
        self.assertEqual(self.subsidy(x), {f'2026-{m:02d}': 300000 for m in range(3, 13)})
        # category 2: 2000 元 for months 3..6 (tier valid from July)
        self.assertEqual(self.subsidy(y), {f'2026-{m:02d}': 200000 for m in range(3, 7)})
        # another year: the 2026 nomination is not a fact of 2027
        self.assertEqual(self.subsidy(x, 2027), {})

        # the whole-population run stores the same rows
        p = harness.run_cli('policy', 'run', '--db', self.server.db, '--pack', PACK,
                            '--period', '2026')
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        db = sqlite3.connect(self.server.db)
        try:
            rows = db.execute(
                "SELECT beneficiary_id, period_key, amount_fen, status FROM entitlements "
                "WHERE policy = 'self-identified-subsidy' AND beneficiary_id IN (?, ?) "
                "ORDER BY 1, 2", (x, y)).fetchall()
        finally:
            db.close()
        want = [(x, f'2026-{m:02d}', 300000, 'pending') for m in range(3, 13)] + \
               [(y, f'2026-{m:02d}', 200000, 'pending') for m in range(3, 7)]
        self.assertEqual(sorted(rows), sorted(want))

        # revoked: no more subsidy
        self.req('POST', f'/api/v1/self-identifications/{nx.json["id"]}/revoke',
                 {'reason': '离职'}, expect=200)
        self.assertEqual(self.subsidy(x), {})
        self.assertEqual(len(self.subsidy(y)), 4)


if __name__ == '__main__':
    unittest.main()
