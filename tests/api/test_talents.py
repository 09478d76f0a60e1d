"""/api/v1/talents and /api/v1/talents/{id}/employments: the talent registry.

Resident ID numbers are made here with the GB 11643-1999 MOD 11-2 check character, worked
out in this file from the standard's weights, not taken from the program; expected birth
dates, genders, masks and 15→18-digit conversions are derived the same way.
"""
import unittest
from urllib.parse import quote

import harness

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = '10X98765432'
USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

TOWN_CHENDAI = '350582102'   # 陈埭镇
TOWN_QINGYANG = '350582001'  # 青阳街道


def id_check(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def make_id(seq, birth='19900101', region='350582'):
    """An 18-character ID number; seq's last digit is the 17th digit (odd = male)."""
    first17 = f'{region}{birth}{seq % 1000:03d}'
    return first17 + id_check(first17)


def upgrade15(id15):
    """A 15-digit legacy number as 18: '19' before the 2-digit year, a check char after."""
    first17 = id15[:6] + '19' + id15[6:]
    return first17 + id_check(first17)


def birth_of(id18):
    return f'{id18[6:10]}-{id18[10:12]}-{id18[12:14]}'


def gender_of(id18):
    return 'M' if int(id18[16]) % 2 else 'F'


def masked(id18):
    return id18[:6] + '*' * 8 + id18[14:]


def uscc(n):
    body = '91350582MA' + f'{n:07d}'
    s = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    c = 31 - s % 31
    return body + USCC_CHARSET[0 if c == 31 else c]


def talent_body(seq, **over):
    b = {'name': f'测试人才{seq}', 'id_number': make_id(seq)}
    b.update(over)
    return b


def field_codes(problem, field):
    return [e['code'] for e in problem.get('errors', []) if e.get('field') == field]


class IdArithmetic(unittest.TestCase):
    """The test's own MOD 11-2 arithmetic against the standard's vectors."""

    def test_vectors(self):
        self.assertEqual(id_check('11010519491231002'), 'X')
        self.assertEqual(id_check('44052418800101001'), '4')
        self.assertNotEqual(id_check('35058219900101123'), '4')  # 350582199001011234 invalid

    def test_helpers(self):
        self.assertEqual(birth_of('11010519491231002X'), '1949-12-31')
        self.assertEqual(gender_of('11010519491231002X'), 'F')  # 17th digit 2
        self.assertEqual(gender_of('440524188001010014'), 'M')  # 17th digit 1
        self.assertEqual(masked('11010519491231002X'), '110105********002X')
        self.assertEqual(upgrade15('110105491231002'), '11010519491231002X')


class TalentCreate(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request('POST', '/api/v1/enterprises', body={
            'name': '晋江集成电路测试公司', 'credit_code': uscc(1), 'town': TOWN_CHENDAI})
        assert r.status == 201, r.body
        cls.eid = r.json['id']

    def create(self, body):
        r = self.post('/api/v1/talents', body)
        self.assertEqual(r.status, 201, r.body[:600])
        return r.json

    def test_create_full_record(self):
        idn = make_id(11, birth='19880512')
        body = {
            'name': '陈晓明', 'id_number': idn, 'phone': '13812345678',
            'email': 'cxm@example.com', 'degree': 'bachelor', 'double_first_class': False,
            'graduated_on': '2010-07-01', 'title': 'intermediate', 'skill_level': 2,
            'enterprise_id': self.eid, 'town': TOWN_CHENDAI, 'industry': 'IC',
            'tier': {'level': 5, 'from': '2024-01-01', 'to': '2026-12-31'},
            'quanzhou_level': 4, 'quanzhou_selected_on': '2023-06-01',
            'provincial_level': 3, 'provincial_selected_on': '2022-03-15',
            'short_term': True,
            'home_purchase': {'contract_date': '2024-05-20', 'area_m2': 120.5,
                              'in_jinjiang': True, 'first_home_in_jinjiang': True},
            'startup': {'registered_on': '2021-09-09', 'in_jinjiang': True},
            'insured_months': {'2025': [3, 1, 2], '2024': list(range(1, 13))},
            'days_in_jinjiang': {'2025': 200, '2024': 366},
            'children': [{'name': '陈小宝', 'birth_date': '2015-08-08'}],
            'educations': [
                {'degree': 'bachelor', 'school': '厦门大学', 'major': '微电子',
                 'graduated_on': '2010-07-01', 'double_first_class': True},
                {'degree': 'master', 'school': '福州大学', 'major': '集成电路',
                 'graduated_on': '2013-07-01', 'double_first_class': False},
            ],
        }
        r = self.post('/api/v1/talents', body)
        self.assertEqual(r.status, 201, r.body[:600])
        t = r.json
        self.assertEqual(r.header('Location'), f'/api/v1/talents/{t["id"]}')
        self.assertEqual(t['version'], 1)
        self.assertEqual(t['name'], '陈晓明')
        self.assertEqual(t['id_number'], masked(idn))
        self.assertEqual(t['birth_date'], '1988-05-12')
        self.assertEqual(t['gender'], gender_of(idn))
        self.assertEqual(t['phone'], '138****5678')
        self.assertEqual(t['email'], 'cxm@example.com')
        # the highest education wins over the stated degree
        self.assertEqual(t['degree'], 'master')
        self.assertEqual(t['title'], 'intermediate')
        self.assertEqual(t['skill_level'], 2)
        self.assertEqual(t['enterprise_id'], self.eid)
        self.assertEqual(t['enterprise_name'], '晋江集成电路测试公司')
        self.assertEqual((t['town'], t['industry']), (TOWN_CHENDAI, 'IC'))
        self.assertEqual(t['tier'], {'level': 5, 'from': '2024-01-01', 'to': '2026-12-31'})
        self.assertEqual((t['quanzhou_level'], t['quanzhou_selected_on']), (4, '2023-06-01'))
        self.assertEqual((t['provincial_level'], t['provincial_selected_on']), (3, '2022-03-15'))
        self.assertIs(t['short_term'], True)
        self.assertEqual(t['home_purchase'], {'contract_date': '2024-05-20', 'area_m2': 120.5,
                                              'in_jinjiang': True,
                                              'first_home_in_jinjiang': True})
        self.assertEqual(t['startup'], {'registered_on': '2021-09-09', 'in_jinjiang': True})
        self.assertEqual(t['insured_months'], {'2024': list(range(1, 13)), '2025': [1, 2, 3]})
        self.assertEqual(t['days_in_jinjiang'], {'2024': 366, '2025': 200})
        self.assertEqual(t['children'], [{'name': '陈小宝', 'birth_date': '2015-08-08'}])
        self.assertEqual([e['school'] for e in t['educations']], ['厦门大学', '福州大学'])
        self.assertEqual(t['educations'][0]['double_first_class'], True)
        self.assertEqual(t['employments'], [])
        self.assertNotIn(idn.encode(), r.body)
        self.assertNotIn(b'13812345678', r.body)
        g = self.get(f'/api/v1/talents/{t["id"]}')
        self.assertEqual(g.status, 200)
        self.assertEqual(g.json, t)
        self.assertNotIn(idn.encode(), g.body)

    def test_minimal_record(self):
        idn = make_id(12)
        t = self.create({'name': '林一', 'id_number': idn})
        for k in ('phone', 'email', 'degree', 'title', 'skill_level', 'enterprise_id', 'town',
                  'industry', 'tier', 'home_purchase', 'startup', 'double_first_class'):
            self.assertIsNone(t[k], k)
        self.assertIs(t['short_term'], False)
        self.assertEqual(t['insured_months'], {})
        self.assertEqual(t['children'], [])

    def test_standard_vectors_valid(self):
        t = self.create({'name': '标准样例一', 'id_number': '440524188001010014'})
        self.assertEqual(t['birth_date'], '1880-01-01')
        self.assertEqual(t['gender'], 'M')
        self.assertEqual(t['id_number'], '440524********0014')
        t = self.create({'name': '标准样例二', 'id_number': '11010519491231002X'})
        self.assertEqual(t['birth_date'], '1949-12-31')
        self.assertEqual(t['gender'], 'F')
        self.assertEqual(t['id_number'], '110105********002X')
        # the same person again, written with a lowercase x and as the old 15-digit number
        for again in ('11010519491231002x', '110105491231002', ' 11010519491231002X '):
            with self.subTest(id_number=again):
                self.assertProblem(self.post('/api/v1/talents', {'name': '重复', 'id_number': again}),
                                   409, 'id_number_taken')

    def test_invalid_checksum(self):
        r = self.post('/api/v1/talents', {'name': '校验错', 'id_number': '350582199001011234'})
        p = self.assertProblem(r, 422, 'validation_failed', 'id_number')
        self.assertEqual(field_codes(p, 'id_number'), ['id_number_checksum'])

    def test_invalid_id_numbers(self):
        good = make_id(13)
        bad = [good[:17], good + '1', '35058219900101123A', 'X' + good[1:],
               (lambda f: f + id_check(f))('00058219900101123'),  # region 00
               (lambda f: f + id_check(f))('35058219901301123'),  # month 13
               (lambda f: f + id_check(f))('35058219900230123'),  # 30 February
               (lambda f: f + id_check(f))('35058221000101123'),  # born in 2100
               '35058290130112',                                 # 14 digits
               '', '   ']
        for idn in bad:
            with self.subTest(id_number=idn):
                self.assertProblem(self.post('/api/v1/talents', {'name': '坏号', 'id_number': idn}),
                                   422, 'validation_failed', 'id_number')
        body = {'name': '无号'}
        self.assertProblem(self.post('/api/v1/talents', body), 422, 'validation_failed', 'id_number')

    def test_lowercase_x_stored_upper(self):
        first17 = next(f for f in (f'35058219850303{s:03d}' for s in range(1000))
                       if id_check(f) == 'X')
        t = self.create({'name': '小写x', 'id_number': first17 + 'x'})
        self.assertEqual(t['id_number'], masked(first17 + 'X'))
        self.assertTrue(t['id_number'].endswith('X'))
        self.assertProblem(self.post('/api/v1/talents', {'name': '大写X', 'id_number': first17 + 'X'}),
                           409, 'id_number_taken')
        j = self.get('/api/v1/talents?q=' + first17 + 'X').json
        self.assertEqual([i['id'] for i in j['items']], [t['id']])

    def test_15_digit_legacy_converted(self):
        id15 = '350582850704123'  # born 1985-07-04, sequence 123
        expected = upgrade15(id15)
        self.assertEqual(len(expected), 18)
        self.assertEqual(expected[:17], '35058219850704123')
        t = self.create({'name': '旧号码', 'id_number': id15})
        self.assertEqual(t['id_number'], masked(expected))
        self.assertEqual(t['birth_date'], '1985-07-04')
        self.assertEqual(t['gender'], 'M')  # 3 is odd
        # stored as the 18-digit number: the 18-digit form is the same person
        self.assertProblem(self.post('/api/v1/talents', {'name': '新号码', 'id_number': expected}),
                           409, 'id_number_taken')
        for q in (expected, id15):
            with self.subTest(q=q):
                j = self.get('/api/v1/talents?q=' + q).json
                self.assertEqual([i['id'] for i in j['items']], [t['id']])

    def test_birth_date_and_gender_derived_and_checked(self):
        male = make_id(15, birth='19920229')     # 17th digit 5: male; a leap day
        female = make_id(16, birth='19920301')   # 17th digit 6: female
        self.assertEqual((gender_of(male), gender_of(female)), ('M', 'F'))
        p = self.assertProblem(self.post('/api/v1/talents', talent_body(15, id_number=male, gender='F')),
                               422, 'validation_failed', 'gender')
        self.assertEqual(field_codes(p, 'gender'), ['gender_mismatch'])
        p = self.assertProblem(
            self.post('/api/v1/talents', talent_body(15, id_number=male, birth_date='1992-03-01')),
            422, 'validation_failed', 'birth_date')
        self.assertEqual(field_codes(p, 'birth_date'), ['birth_date_mismatch'])
        self.assertProblem(self.post('/api/v1/talents', talent_body(15, id_number=male, gender='X')),
                           422, 'validation_failed', 'gender')
        t = self.create(talent_body(15, id_number=male, gender='M', birth_date='1992-02-29'))
        self.assertEqual((t['gender'], t['birth_date']), ('M', '1992-02-29'))
        t = self.create(talent_body(16, id_number=female))
        self.assertEqual((t['gender'], t['birth_date']), ('F', '1992-03-01'))

    def test_phone_masks_and_rules(self):
        t = self.create(talent_body(17, phone='13912345678'))
        self.assertEqual(t['phone'], '139****5678')
        t = self.create(talent_body(18, phone='0595-85678901'))
        self.assertNotIn('85678901', t['phone'])
        self.assertTrue(t['phone'].startswith('059'))
        for bad in ('12345678901', '1391234567', 'abc', '+8613912345678'):
            with self.subTest(phone=bad):
                self.assertProblem(self.post('/api/v1/talents', talent_body(19, phone=bad)),
                                   422, 'validation_failed', 'phone')

    def test_rules_between_fields(self):
        cases = [
            ({'tier': {'level': 3}}, 'tier.from'),
            ({'tier': {'level': 8, 'from': '2024-01-01', 'to': '2025-01-01'}}, 'tier.level'),
            ({'tier': {'level': 3, 'from': '2025-01-01', 'to': '2024-01-01'}}, 'tier.to'),
            ({'quanzhou_level': 2}, 'quanzhou_selected_on'),
            ({'quanzhou_level': 6, 'quanzhou_selected_on': '2024-01-01'}, 'quanzhou_level'),
            ({'provincial_level': 1}, 'provincial_selected_on'),
            ({'provincial_level': 4, 'provincial_selected_on': '2024-01-01'}, 'provincial_level'),
            ({'skill_level': 0}, 'skill_level'),
            ({'skill_level': 6}, 'skill_level'),
            ({'days_in_jinjiang': {'2025': 367}}, 'days_in_jinjiang.2025'),
            ({'days_in_jinjiang': {'1949': 10}}, 'days_in_jinjiang.1949'),
            ({'insured_months': {'2026': [0]}}, 'insured_months.2026'),
            ({'insured_months': {'26': [1]}}, 'insured_months.26'),
            ({'children': [{'name': '早', 'birth_date': '1980-01-01'}]}, 'children[0].birth_date'),
            ({'graduated_on': '1985-01-01'}, 'graduated_on'),
            ({'enterprise_id': 999999}, 'enterprise_id'),
            ({'town': '350582999'}, 'town'),
            ({'industry': 'NOPE'}, 'industry'),
            ({'degree': 'doctor'}, 'degree'),
            ({'title': 'professor'}, 'title'),
            ({'email': 'not-an-email'}, 'email'),
            ({'birth_date': '1990-02-30'}, 'birth_date'),
            ({'home_purchase': {'area_m2': 90}}, 'home_purchase.contract_date'),
            ({'home_purchase': {'contract_date': '2024-01-01', 'area_m2': -5}},
             'home_purchase.area_m2'),
            ({'startup': {'in_jinjiang': True}}, 'startup.registered_on'),
        ]
        for over, field in cases:
            with self.subTest(over=over):
                self.assertProblem(self.post('/api/v1/talents', talent_body(20, **over)), 422,
                                   'validation_failed', field)
        # none of them was saved
        self.assertEqual(self.get('/api/v1/talents?q=' + make_id(20)).json['total'], 0)

    def test_get_unknown_and_bad_ids(self):
        self.assertProblem(self.get('/api/v1/talents/999999'), 404, 'not_found')
        for bad in ('abc', '0', '-3', '1x', '99999999999999999999', '%20'):
            with self.subTest(id=bad):
                self.assertProblem(self.get(f'/api/v1/talents/{bad}'), 404, 'not_found')
        self.assertProblem(self.patch('/api/v1/talents/999999', {'name': 'x'}), 404, 'not_found')
        self.assertProblem(self.patch('/api/v1/talents/abc', {'name': 'x'}), 404, 'not_found')
        self.assertProblem(self.get('/api/v1/talents/999999/employments'), 404, 'not_found')


class TalentPatch(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = []
        for seq in (31, 32):
            r = cls.server.request('POST', '/api/v1/talents', body=talent_body(
                seq, phone='13800000000', town=TOWN_CHENDAI, skill_level=3))
            assert r.status == 201, r.body
            cls.ids.append(r.json['id'])

    def test_patch_changes_and_bumps_version(self):
        tid = self.ids[0]
        before = self.get(f'/api/v1/talents/{tid}').json
        r = self.patch(f'/api/v1/talents/{tid}', {'phone': '13912345678', 'version': before['version']})
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertEqual(r.json['phone'], '139****5678')
        self.assertEqual(r.json['version'], before['version'] + 1)
        self.assertEqual(r.json['name'], before['name'])
        self.assertEqual(r.json['town'], TOWN_CHENDAI)
        after = self.get(f'/api/v1/talents/{tid}').json
        self.assertEqual(after, r.json)
        # the version read before is stale now
        r = self.patch(f'/api/v1/talents/{tid}', {'phone': '13700000000', 'version': before['version']})
        self.assertProblem(r, 409, 'stale_version')
        self.assertEqual(self.get(f'/api/v1/talents/{tid}').json, after)
        # without a version the change applies
        r = self.patch(f'/api/v1/talents/{tid}', {'skill_level': 1})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['skill_level'], 1)
        self.assertEqual(r.json['version'], after['version'] + 1)

    def test_patch_bad_value_changes_nothing(self):
        tid = self.ids[1]
        before = self.get(f'/api/v1/talents/{tid}').json
        bad_bodies = [
            {'skill_level': 9}, {'town': '999999999'}, {'tier': 'high'},
            {'insured_months': {'2026': [13]}}, {'name': '王' * 51}, {'name': None},
            {'id_number': '350582199001011234'}, {'gender': 'F' if before['gender'] == 'M' else 'M'},
            {'phone': '123', 'email': 'ok@example.com'},
            {'educations': [{'degree': 'phd', 'school': 'x' * 201}]},
            {'version': 'latest', 'phone': '13911112222'},
        ]
        for body in bad_bodies:
            with self.subTest(body=body):
                self.assertProblem(self.patch(f'/api/v1/talents/{tid}', body), 422,
                                   'validation_failed')
        self.assertEqual(self.get(f'/api/v1/talents/{tid}').json, before)

    def test_patch_to_taken_id_number_409(self):
        a, b = self.ids
        r = self.patch(f'/api/v1/talents/{b}', {'id_number': make_id(31)})
        self.assertProblem(r, 409, 'id_number_taken')
        self.assertEqual(self.get(f'/api/v1/talents/{b}').json['id_number'], masked(make_id(32)))

    def test_patch_corrects_id_number_and_rederives(self):
        r = self.post('/api/v1/talents', talent_body(34, phone='13800000034'))  # female, 1990-01-01
        self.assertEqual(r.status, 201, r.body[:300])
        tid = r.json['id']
        self.assertEqual((r.json['gender'], r.json['birth_date']), ('F', '1990-01-01'))
        corrected = make_id(35, birth='19870909')  # male, 1987-09-09
        r = self.patch(f'/api/v1/talents/{tid}', {'id_number': corrected})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['id_number'], masked(corrected))
        self.assertEqual((r.json['gender'], r.json['birth_date']), ('M', '1987-09-09'))
        # stating a gender that contradicts the new number is still refused
        r = self.patch(f'/api/v1/talents/{tid}', {'id_number': make_id(36, birth='19870909'),
                                                  'gender': 'M'})
        self.assertProblem(r, 422, 'validation_failed', 'gender')

    def test_patch_clears_and_replaces_lists(self):
        tid = self.ids[0]
        r = self.patch(f'/api/v1/talents/{tid}', {
            'children': [{'name': '甲', 'birth_date': '2018-01-01'},
                         {'name': '乙', 'birth_date': '2020-01-01'}],
            'tier': {'level': 6, 'from': '2025-01-01', 'to': '2027-12-31'}})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(len(r.json['children']), 2)
        self.assertEqual(r.json['tier']['level'], 6)
        r = self.patch(f'/api/v1/talents/{tid}', {'children': [], 'tier': None, 'town': None})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['children'], [])
        self.assertIsNone(r.json['tier'])
        self.assertIsNone(r.json['town'])

    def test_patch_insured_months_replaces_named_years_only(self):
        tid = self.ids[0]
        r = self.patch(f'/api/v1/talents/{tid}', {'insured_months': {'2024': [1, 2], '2025': [5]}})
        self.assertEqual(r.status, 200, r.body[:300])
        r = self.patch(f'/api/v1/talents/{tid}', {'insured_months': {'2025': [6, 7]}})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['insured_months'], {'2024': [1, 2], '2025': [6, 7]})


class TalentPagination(harness.ServerTest):
    N = 25

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = []
        for seq in range(1, cls.N + 1):
            r = cls.server.request('POST', '/api/v1/talents', body=talent_body(100 + seq))
            assert r.status == 201, r.body
            cls.ids.append(r.json['id'])

    def page(self, qs):
        r = self.get('/api/v1/talents?' + qs)
        self.assertEqual(r.status, 200, r.body[:300])
        return r.json

    def test_pages_of_ten(self):
        seen = []
        for page, n in ((1, 10), (2, 10), (3, 5)):
            j = self.page(f'page={page}&per_page=10')
            self.assertEqual((j['page'], j['per_page'], j['total']), (page, 10, self.N))
            self.assertEqual(len(j['items']), n)
            seen += [t['id'] for t in j['items']]
        self.assertEqual(len(set(seen)), self.N)
        self.assertEqual(set(seen), set(self.ids))

    def test_defaults(self):
        j = self.page('')
        self.assertEqual((j['page'], j['per_page'], j['total']), (1, 20, self.N))
        self.assertEqual(len(j['items']), 20)
        j = self.page('per_page=200')
        self.assertEqual(len(j['items']), self.N)

    def test_list_items_are_masked_summaries(self):
        r = self.get('/api/v1/talents?per_page=200')
        j = r.json
        by_id = {t['id']: t for t in j['items']}
        t = by_id[self.ids[0]]
        self.assertEqual(t['id_number'], masked(make_id(101)))
        self.assertNotIn('version', t)  # detail-only members stay out of lists
        self.assertNotIn('educations', t)
        for seq in range(101, 101 + self.N):
            self.assertNotIn(make_id(seq).encode(), r.body)

    def test_page_past_the_end(self):
        j = self.page('page=4&per_page=10')
        self.assertEqual(j['items'], [])
        self.assertEqual(j['total'], self.N)
        self.assertEqual(j['page'], 4)
        j = self.page('page=1000000&per_page=200')
        self.assertEqual(j['items'], [])
        self.assertEqual(j['total'], self.N)

    def test_out_of_range(self):
        for qs, field in (('per_page=201', 'per_page'), ('per_page=0', 'per_page'),
                          ('per_page=-5', 'per_page'), ('per_page=ten', 'per_page'),
                          ('page=0', 'page'), ('page=-1', 'page'), ('page=abc', 'page'),
                          ('page=1.5', 'page'), ('page=1000001', 'page'),
                          ('page=99999999999999999999', 'page'),
                          ('tier=8', 'tier'), ('tier=0', 'tier'), ('tier=high', 'tier'),
                          ('enterprise_id=abc', 'enterprise_id'),
                          ('q=' + 'a' * 101, 'q')):
            with self.subTest(qs=qs):
                self.assertProblem(self.get('/api/v1/talents?' + qs), 422, 'validation_failed',
                                   field)


class TalentFilters(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = cls.server.request
        e1 = req('POST', '/api/v1/enterprises', body={'name': '企业甲', 'credit_code': uscc(11),
                                                      'town': TOWN_CHENDAI}).json['id']
        e2 = req('POST', '/api/v1/enterprises', body={'name': '企业乙', 'credit_code': uscc(12),
                                                      'town': TOWN_QINGYANG}).json['id']
        cls.e1, cls.e2 = e1, e2
        tier = lambda lvl: {'level': lvl, 'from': '2024-01-01', 'to': '2026-12-31'}  # noqa: E731
        people = {
            'A': dict(town=TOWN_CHENDAI, industry='IC', degree='master', tier=tier(3),
                      enterprise_id=e1),
            'B': dict(town=TOWN_QINGYANG, industry='TEX', degree='bachelor', enterprise_id=e2),
            'C': dict(town=TOWN_CHENDAI, industry='TEX', degree='bachelor', tier=tier(1),
                      educations=[{'degree': 'phd', 'school': '清华大学'}]),
            'D': dict(industry='IC', degree='master', enterprise_id=e1),
            'E': dict(),
        }
        cls.ids = {}
        for i, (key, over) in enumerate(sorted(people.items())):
            r = req('POST', '/api/v1/talents', body=talent_body(200 + i, **over))
            assert r.status == 201, r.body
            cls.ids[key] = r.json['id']

    def found(self, qs):
        r = self.get('/api/v1/talents?per_page=200&' + qs)
        self.assertEqual(r.status, 200, r.body[:300])
        j = r.json
        self.assertEqual(j['total'], len(j['items']))
        back = {v: k for k, v in self.ids.items()}
        return {back[t['id']] for t in j['items']}

    def test_town(self):
        self.assertEqual(self.found(f'town={TOWN_CHENDAI}'), {'A', 'C'})
        self.assertEqual(self.found(f'town={TOWN_QINGYANG}'), {'B'})
        self.assertEqual(self.found('town=350582111'), set())

    def test_industry(self):
        self.assertEqual(self.found('industry=IC'), {'A', 'D'})
        self.assertEqual(self.found('industry=TEX'), {'B', 'C'})

    def test_degree(self):
        self.assertEqual(self.found('degree=master'), {'A', 'D'})
        self.assertEqual(self.found('degree=bachelor'), {'B'})
        self.assertEqual(self.found('degree=phd'), {'C'})  # raised from the educations

    def test_tier(self):
        self.assertEqual(self.found('tier=3'), {'A'})
        self.assertEqual(self.found('tier=1'), {'C'})
        self.assertEqual(self.found('tier=7'), set())
        self.assertEqual(self.found('tier=none'), {'B', 'D', 'E'})

    def test_enterprise(self):
        self.assertEqual(self.found(f'enterprise_id={self.e1}'), {'A', 'D'})
        self.assertEqual(self.found(f'enterprise_id={self.e2}'), {'B'})
        self.assertEqual(self.found('enterprise_id=999999'), set())
        self.assertEqual(self.get(f'/api/v1/enterprises/{self.e1}').json['staff_count'], 2)

    def test_combined(self):
        self.assertEqual(self.found(f'town={TOWN_CHENDAI}&industry=IC'), {'A'})
        self.assertEqual(self.found(f'industry=IC&enterprise_id={self.e1}&tier=none'), {'D'})
        self.assertEqual(self.found(f'town={TOWN_CHENDAI}&degree=master&tier=1'), set())
        self.assertEqual(self.found(''), {'A', 'B', 'C', 'D', 'E'})


class TalentSearch(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {}
        cls.idn = {}
        for i, name in enumerate(('王芳', '王伟', '李芳', '王芳芳', '欧阳娜娜')):
            idn = make_id(300 + i, birth='19950615')
            r = cls.server.request('POST', '/api/v1/talents', body={'name': name, 'id_number': idn})
            assert r.status == 201, r.body
            cls.ids[name] = r.json['id']
            cls.idn[name] = idn

    def names(self, q):
        r = self.get('/api/v1/talents?per_page=200&q=' + quote(q))
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['total'], len(r.json['items']))
        return {t['name'] for t in r.json['items']}

    def test_full_name(self):
        self.assertIn('王芳', self.names('王芳'))
        self.assertNotIn('李芳', self.names('王芳'))
        self.assertNotIn('王伟', self.names('王芳'))

    def test_surname_prefix(self):
        self.assertEqual(self.names('王'), {'王芳', '王伟', '王芳芳'})
        self.assertEqual(self.names('欧阳'), {'欧阳娜娜'})

    def test_no_match(self):
        self.assertEqual(self.names('芳X'), set())
        self.assertEqual(self.names('王X'), set())
        self.assertEqual(self.names('钱'), set())

    def test_by_id_number(self):
        for name in ('王芳', '李芳'):
            idn = self.idn[name]
            with self.subTest(name=name):
                j = self.get('/api/v1/talents?q=' + idn).json
                self.assertEqual([t['id'] for t in j['items']], [self.ids[name]])
                self.assertEqual(j['total'], 1)

    def test_by_id_number_lowercase_x(self):
        first17 = next(f for f in (f'35058219960101{s:03d}' for s in range(1000))
                       if id_check(f) == 'X')
        r = self.post('/api/v1/talents', {'name': '赵六', 'id_number': first17 + 'X'})
        self.assertEqual(r.status, 201, r.body[:300])
        for q in (first17 + 'x', first17 + 'X'):
            with self.subTest(q=q):
                j = self.get('/api/v1/talents?q=' + q).json
                self.assertEqual([t['id'] for t in j['items']], [r.json['id']])

    def test_unknown_or_invalid_id_number_finds_nobody(self):
        self.assertEqual(self.names(make_id(399)), set())
        self.assertEqual(self.names('350582199001011234'), set())


class Employments(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = cls.server.request
        r = req('POST', '/api/v1/enterprises', body={'name': '晋江鞋业公司', 'credit_code': uscc(21),
                                                     'town': TOWN_CHENDAI})
        assert r.status == 201, r.body
        cls.eid = r.json['id']
        r = req('POST', '/api/v1/talents', body=talent_body(401))
        assert r.status == 201, r.body
        cls.tid = r.json['id']

    def test_add_and_list(self):
        r = self.post(f'/api/v1/talents/{self.tid}/employments', {
            'enterprise_id': self.eid, 'started_on': '2020-03-01', 'ended_on': '2023-02-28',
            'position': '设计师', 'annual_salary_fen': 15000000})
        self.assertEqual(r.status, 201, r.body[:300])
        e = r.json
        self.assertEqual((e['talent_id'], e['enterprise_id']), (self.tid, self.eid))
        self.assertEqual((e['started_on'], e['ended_on']), ('2020-03-01', '2023-02-28'))
        self.assertEqual(e['position'], '设计师')
        self.assertEqual(e['annual_salary_fen'], 15000000)
        detail = self.get(f'/api/v1/talents/{self.tid}').json
        match = [m for m in detail['employments'] if m['id'] == e['id']]
        self.assertEqual(len(match), 1)
        self.assertEqual(match[0]['enterprise_name'], '晋江鞋业公司')
        self.assertEqual(match[0]['started_on'], '2020-03-01')
        lst = self.get(f'/api/v1/talents/{self.tid}/employments')
        self.assertEqual(lst.status, 200)
        self.assertIn(e['id'], [m['id'] for m in lst.json['items']])

    def test_open_ended(self):
        r = self.post(f'/api/v1/talents/{self.tid}/employments',
                      {'enterprise_id': self.eid, 'started_on': '2023-03-01'})
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertIsNone(r.json['ended_on'])
        self.assertIsNone(r.json['annual_salary_fen'])

    def test_same_day_is_fine(self):
        r = self.post(f'/api/v1/talents/{self.tid}/employments',
                      {'enterprise_id': self.eid, 'started_on': '2019-01-01',
                       'ended_on': '2019-01-01'})
        self.assertEqual(r.status, 201, r.body[:300])

    def test_ended_before_started(self):
        before = len(self.get(f'/api/v1/talents/{self.tid}/employments').json['items'])
        r = self.post(f'/api/v1/talents/{self.tid}/employments',
                      {'enterprise_id': self.eid, 'started_on': '2022-05-01',
                       'ended_on': '2022-04-30'})
        p = self.assertProblem(r, 422, 'validation_failed', 'ended_on')
        self.assertEqual(field_codes(p, 'ended_on'), ['date_order'])
        self.assertEqual(len(self.get(f'/api/v1/talents/{self.tid}/employments').json['items']),
                         before)

    def test_unknown_enterprise(self):
        r = self.post(f'/api/v1/talents/{self.tid}/employments',
                      {'enterprise_id': 999999, 'started_on': '2022-05-01'})
        self.assertProblem(r, 422, 'validation_failed', 'enterprise_id')

    def test_required_members(self):
        self.assertProblem(self.post(f'/api/v1/talents/{self.tid}/employments',
                                     {'started_on': '2022-05-01'}),
                           422, 'validation_failed', 'enterprise_id')
        self.assertProblem(self.post(f'/api/v1/talents/{self.tid}/employments',
                                     {'enterprise_id': self.eid}),
                           422, 'validation_failed', 'started_on')
        self.assertProblem(self.post(f'/api/v1/talents/{self.tid}/employments',
                                     {'enterprise_id': self.eid, 'started_on': '2022-13-01'}),
                           422, 'validation_failed', 'started_on')

    def test_unknown_talent(self):
        self.assertProblem(self.post('/api/v1/talents/999999/employments',
                                     {'enterprise_id': self.eid, 'started_on': '2022-05-01'}),
                           404, 'not_found')


class TalentBodies(harness.ServerTest):
    """Every talent endpoint that takes a body: malformed, wrong type, too long, unknown field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = cls.server.request
        r = req('POST', '/api/v1/talents', body=talent_body(501))
        assert r.status == 201, r.body
        cls.tid = r.json['id']
        r = req('POST', '/api/v1/enterprises', body={'name': '某公司', 'credit_code': uscc(31),
                                                     'town': TOWN_CHENDAI})
        assert r.status == 201, r.body
        cls.eid = r.json['id']

    def send(self, method, path, body=None, raw=None):
        if raw is not None:
            return self.server.request(method, path, raw=raw,
                                       headers={'Content-Type': 'application/json'})
        return self.server.request(method, path, body=body)

    def talent_endpoints(self):
        return [('POST', '/api/v1/talents', talent_body(502)),
                ('PATCH', f'/api/v1/talents/{self.tid}', {})]

    def employment_endpoint(self):
        return ('POST', f'/api/v1/talents/{self.tid}/employments',
                {'enterprise_id': self.eid, 'started_on': '2024-01-01'})

    def all_endpoints(self):
        return self.talent_endpoints() + [self.employment_endpoint()]

    def test_malformed(self):
        for method, path, _ in self.all_endpoints():
            with self.subTest(method=method, path=path):
                self.assertProblem(self.send(method, path, raw=b'{"name": "x" "y"}'), 400,
                                   'malformed_json')

    def test_wrong_types_talent(self):
        cases = [('name', 123, 'name'), ('tier', 'high', 'tier'),
                 ('insured_months', {'2026': [13]}, 'insured_months.2026'),
                 ('insured_months', [1, 2], 'insured_months'),
                 ('days_in_jinjiang', {'2026': '30'}, 'days_in_jinjiang.2026'),
                 ('skill_level', '3', 'skill_level'), ('enterprise_id', '1', 'enterprise_id'),
                 ('short_term', 'yes', 'short_term'), ('double_first_class', 1, 'double_first_class'),
                 ('graduated_on', '2010/07/01', 'graduated_on'), ('id_number', 350582199001011234,
                                                                    'id_number'),
                 ('educations', 'phd', 'educations'), ('educations', [{'degree': 'phd'}] * 21,
                                                       'educations'),
                 ('children', {'name': 'x'}, 'children'), ('home_purchase', 'yes', 'home_purchase'),
                 ('startup', [], 'startup'), ('gender', 'male', 'gender'),
                 ('tier', {'level': 'three', 'from': '2024-01-01', 'to': '2025-01-01'},
                  'tier.level'),
                 ('educations', [{'degree': 'phd', 'double_first_class': 'yes'}],
                  'educations[0].double_first_class')]
        for method, path, base in self.talent_endpoints():
            for member, value, field in cases:
                with self.subTest(method=method, member=member, value=value):
                    self.assertProblem(self.send(method, path, {**base, member: value}), 422,
                                       'validation_failed', field)

    def test_wrong_types_employment(self):
        method, path, base = self.employment_endpoint()
        for member, value in (('enterprise_id', 'x'), ('enterprise_id', 1.5),
                              ('started_on', 20240101), ('ended_on', 'soon'),
                              ('position', 7), ('annual_salary_fen', 1.5),
                              ('annual_salary_fen', -1)):
            with self.subTest(member=member, value=value):
                self.assertProblem(self.send(method, path, {**base, member: value}), 422,
                                   'validation_failed', member)

    def test_too_long(self):
        cases = [('name', '王' * 51, 'name'), ('name', 'a' * 51, 'name'),
                 ('email', 'a' * 95 + '@x.com', 'email'), ('phone', '1' * 21, 'phone'),
                 ('educations', [{'degree': 'master', 'school': '学' * 201}],
                  'educations[0].school'),
                 ('educations', [{'degree': 'master', 'major': 'm' * 201}],
                  'educations[0].major'),
                 ('children', [{'name': '子' * 51, 'birth_date': '2015-01-01'}],
                  'children[0].name')]
        for method, path, base in self.talent_endpoints():
            for member, value, field in cases:
                with self.subTest(method=method, field=field):
                    p = self.assertProblem(self.send(method, path, {**base, member: value}), 422,
                                           'validation_failed', field)
                    self.assertEqual(field_codes(p, field), ['too_long'])
        method, path, base = self.employment_endpoint()
        p = self.assertProblem(self.send(method, path, {**base, 'position': '职' * 101}), 422,
                               'validation_failed', 'position')
        self.assertEqual(field_codes(p, 'position'), ['too_long'])

    def test_limits_count_characters(self):
        r = self.post('/api/v1/talents', talent_body(503, name='王' * 50))
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertEqual(r.json['name'], '王' * 50)
        r = self.patch(f'/api/v1/talents/{self.tid}',
                       {'educations': [{'degree': 'master', 'school': '学' * 200}]})
        self.assertEqual(r.status, 200, r.body[:300])

    def test_unknown_field(self):
        nested = [({'nickname': '小王'}, 'nickname'),
                  ({'tier': {'level': 3, 'from': '2024-01-01', 'to': '2025-01-01', 'x': 1}},
                   'tier.x'),
                  ({'educations': [{'degree': 'phd', 'gpa': 4}]}, 'educations[0].gpa'),
                  ({'home_purchase': {'contract_date': '2024-01-01', 'price': 1}},
                   'home_purchase.price')]
        for method, path, base in self.talent_endpoints():
            for over, field in nested:
                with self.subTest(method=method, field=field):
                    p = self.assertProblem(self.send(method, path, {**base, **over}), 422,
                                           'validation_failed', field)
                    self.assertEqual(field_codes(p, field), ['unknown_field'])
        method, path, base = self.employment_endpoint()
        p = self.assertProblem(self.send(method, path, {**base, 'salary': 1}), 422,
                               'validation_failed', 'salary')
        self.assertEqual(field_codes(p, 'salary'), ['unknown_field'])

    def test_every_error_reported_at_once(self):
        r = self.post('/api/v1/talents', {'name': 123, 'id_number': '350582199001011234',
                                          'skill_level': 9, 'town': 'nowhere', 'bogus': 1})
        p = self.assertProblem(r, 422, 'validation_failed')
        fields = {e['field'] for e in p['errors']}
        self.assertTrue({'name', 'id_number', 'skill_level', 'bogus'} <= fields, fields)


if __name__ == '__main__':
    unittest.main()
