"""/api/v1/enterprises and /api/v1/reference: the employer registry and the code tables.

Credit codes are made here with the GB 32100-2015 check character, worked out in this file
from the standard's weights and alphabet, not taken from the program.
"""
import threading
import unittest
from urllib.parse import quote

import harness

USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

TOWN_CHENDAI = '350582102'   # 陈埭镇
TOWN_QINGYANG = '350582001'  # 青阳街道
TOWN_ANHAI = '350582100'     # 安海镇


def uscc_check(first17):
    s = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    c = 31 - s % 31
    return USCC_CHARSET[0 if c == 31 else c]


def uscc(n, region='350582'):
    """A valid credit code: 9 (registered by industry & commerce) 1 (enterprise), region,
    a 9-character organization code from n, and the check character."""
    body = '91' + region + 'MA' + f'{n:07d}'
    assert len(body) == 17
    return body + uscc_check(body)


def wrong_check(code):
    """The same code with a different (so wrong) check character."""
    return code[:17] + ('0' if code[17] != '0' else '1')


class UsccHelper(unittest.TestCase):
    """The test's own check-character arithmetic, on codes printed on real licences."""

    def test_known_codes(self):
        # codes of registered companies, as printed on their business licences
        for code in ('91110000600037341L', '911100007109288314'):
            with self.subTest(code=code):
                self.assertEqual(uscc_check(code[:17]), code[17])

    def test_thirty_one_maps_to_zero(self):
        # find a body whose weighted sum is a multiple of 31: its check char must be '0'
        for n in range(100000):
            body = '91350582MA' + f'{n:07d}'
            s = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
            if s % 31 == 0:
                self.assertEqual(uscc_check(body), '0')
                return
        self.fail('no body with sum % 31 == 0 found')


def enterprise_body(n, **over):
    b = {'name': f'晋江测试企业{n}有限公司', 'credit_code': uscc(n), 'town': TOWN_CHENDAI,
         'industry': 'TEX', 'size': 'medium', 'contact_name': '张三',
         'contact_phone': '13812345678', 'address': '晋江市陈埭镇测试路1号'}
    b.update(over)
    return b


class EnterpriseCreate(harness.ServerTest):
    def create(self, n, **over):
        r = self.post('/api/v1/enterprises', enterprise_body(n, **over))
        self.assertEqual(r.status, 201, r.body[:500])
        return r.json

    def test_create_and_get(self):
        e = self.create(1)
        self.assertIsInstance(e['id'], int)
        self.assertEqual(e['version'], 1)
        self.assertEqual(e['name'], '晋江测试企业1有限公司')
        self.assertEqual(e['credit_code'], uscc(1))
        self.assertEqual(e['town'], TOWN_CHENDAI)
        self.assertEqual(e['industry'], 'TEX')
        self.assertEqual(e['size'], 'medium')
        self.assertEqual(e['contact_name'], '张三')
        self.assertEqual(e['contact_phone'], '138****5678')  # masked
        self.assertEqual(e['staff_count'], 0)
        r = self.get(f'/api/v1/enterprises/{e["id"]}')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, e)

    def test_location_header(self):
        r = self.post('/api/v1/enterprises', enterprise_body(2))
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertEqual(r.header('Location'), f'/api/v1/enterprises/{r.json["id"]}')

    def test_only_required_fields(self):
        r = self.post('/api/v1/enterprises',
                      {'name': '最小企业', 'credit_code': uscc(3), 'town': TOWN_ANHAI})
        self.assertEqual(r.status, 201, r.body[:300])
        e = r.json
        for k in ('industry', 'size', 'contact_name', 'contact_phone', 'address'):
            self.assertIsNone(e[k], k)

    def test_lowercase_credit_code_stored_upper(self):
        code = uscc(4)
        self.assertRegex(code, '[A-Z]')
        e = self.create(4, credit_code=code.lower())
        self.assertEqual(e['credit_code'], code)

    def test_duplicate_credit_code_409(self):
        self.create(5)
        r = self.post('/api/v1/enterprises', enterprise_body(5, name='另一家公司'))
        self.assertProblem(r, 409, 'credit_code_taken')
        r = self.post('/api/v1/enterprises',
                      enterprise_body(5, name='另一家公司', credit_code=uscc(5).lower()))
        self.assertProblem(r, 409, 'credit_code_taken')

    def test_bad_check_character_422(self):
        p = self.assertProblem(
            self.post('/api/v1/enterprises', enterprise_body(6, credit_code=wrong_check(uscc(6)))),
            422, 'validation_failed', 'credit_code')
        codes = [e['code'] for e in p['errors'] if e['field'] == 'credit_code']
        self.assertEqual(codes, ['credit_code_checksum'])
        self.assertEqual(self.get(f'/api/v1/enterprises?q={uscc(6)}').json['total'], 0)

    def test_bad_credit_codes_422(self):
        good = uscc(7)
        for bad in (good[:17], good + '0', 'I' + good[1:], good[:5] + 'O' + good[6:],
                    '91' + 'ABCDEF' + good[8:], '', '   '):
            with self.subTest(code=bad):
                self.assertProblem(
                    self.post('/api/v1/enterprises', enterprise_body(7, credit_code=bad)),
                    422, 'validation_failed', 'credit_code')

    def test_unknown_town_422(self):
        for town in ('350582999', '350583100', '陈埭镇', 'x'):
            with self.subTest(town=town):
                self.assertProblem(self.post('/api/v1/enterprises', enterprise_body(8, town=town)),
                                   422, 'validation_failed', 'town')
        body = enterprise_body(8)
        del body['town']
        self.assertProblem(self.post('/api/v1/enterprises', body), 422, 'validation_failed', 'town')

    def test_unknown_industry_and_size_422(self):
        self.assertProblem(self.post('/api/v1/enterprises', enterprise_body(9, industry='ZZZ')),
                           422, 'validation_failed', 'industry')
        self.assertProblem(self.post('/api/v1/enterprises', enterprise_body(9, size='huge')),
                           422, 'validation_failed', 'size')

    def test_bad_phone_422(self):
        for phone in ('12345', '1381234567', '23812345678', '0595-123'):
            with self.subTest(phone=phone):
                self.assertProblem(
                    self.post('/api/v1/enterprises', enterprise_body(10, contact_phone=phone)),
                    422, 'validation_failed', 'contact_phone')

    def test_missing_name_422(self):
        body = enterprise_body(11)
        del body['name']
        self.assertProblem(self.post('/api/v1/enterprises', body), 422, 'validation_failed', 'name')
        self.assertProblem(self.post('/api/v1/enterprises', enterprise_body(11, name='  ')),
                           422, 'validation_failed', 'name')

    def test_invalid_creates_nothing(self):
        before = self.get('/api/v1/enterprises').json['total']
        self.post('/api/v1/enterprises', enterprise_body(12, town='nope'))
        self.post('/api/v1/enterprises', enterprise_body(12, credit_code=wrong_check(uscc(12))))
        self.assertEqual(self.get('/api/v1/enterprises').json['total'], before)

    def test_unknown_and_bad_ids_404(self):
        self.assertProblem(self.get('/api/v1/enterprises/999999'), 404, 'not_found')
        for bad in ('abc', '0', '-1', '1.5', '99999999999999999999', '1e3'):
            with self.subTest(id=bad):
                self.assertProblem(self.get(f'/api/v1/enterprises/{bad}'), 404, 'not_found')
        self.assertProblem(self.patch('/api/v1/enterprises/999999', {'name': 'x'}), 404,
                           'not_found')


class EnterprisePatch(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = []
        for n in (101, 102):
            r = cls.server.request('POST', '/api/v1/enterprises', body=enterprise_body(n))
            assert r.status == 201, r.body
            cls.ids.append(r.json['id'])

    def test_patch_changes_field_and_bumps_version(self):
        eid = self.ids[0]
        v = self.get(f'/api/v1/enterprises/{eid}').json['version']
        r = self.patch(f'/api/v1/enterprises/{eid}', {'address': '晋江市青阳街道新地址', 'version': v})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['address'], '晋江市青阳街道新地址')
        self.assertEqual(r.json['version'], v + 1)
        self.assertEqual(r.json['name'], '晋江测试企业101有限公司')  # untouched
        g = self.get(f'/api/v1/enterprises/{eid}').json
        self.assertEqual(g['address'], '晋江市青阳街道新地址')
        self.assertEqual(g['version'], v + 1)
        # stale version
        self.assertProblem(self.patch(f'/api/v1/enterprises/{eid}', {'address': 'x', 'version': v}),
                           409, 'stale_version')
        self.assertEqual(self.get(f'/api/v1/enterprises/{eid}').json['address'], '晋江市青阳街道新地址')

    def test_patch_without_version(self):
        eid = self.ids[0]
        v = self.get(f'/api/v1/enterprises/{eid}').json['version']
        r = self.patch(f'/api/v1/enterprises/{eid}', {'size': 'large'})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['size'], 'large')
        self.assertEqual(r.json['version'], v + 1)

    def test_patch_bad_value_changes_nothing(self):
        eid = self.ids[1]
        before = self.get(f'/api/v1/enterprises/{eid}').json
        for body in ({'town': '999999999'}, {'name': 'x' * 101}, {'credit_code': 'bad'},
                     {'size': 'giant', 'address': '不应保存'}, {'name': None},
                     {'contact_phone': '123'}, {'version': 'one'}):
            with self.subTest(body=body):
                r = self.patch(f'/api/v1/enterprises/{eid}', body)
                self.assertProblem(r, 422, 'validation_failed')
        self.assertEqual(self.get(f'/api/v1/enterprises/{eid}').json, before)

    def test_patch_to_taken_credit_code_409(self):
        a, b = self.ids
        r = self.patch(f'/api/v1/enterprises/{b}', {'credit_code': uscc(101)})
        self.assertProblem(r, 409, 'credit_code_taken')
        self.assertEqual(self.get(f'/api/v1/enterprises/{b}').json['credit_code'], uscc(102))
        # keeping one's own code is fine
        r = self.patch(f'/api/v1/enterprises/{a}', {'credit_code': uscc(101).lower()})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['credit_code'], uscc(101))

    def test_patch_clears_optional_field(self):
        eid = self.ids[1]
        r = self.patch(f'/api/v1/enterprises/{eid}', {'industry': None})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIsNone(r.json['industry'])


class EnterpriseBodies(harness.ServerTest):
    """Every enterprise endpoint that takes a body: malformed, wrong type, too long, unknown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request('POST', '/api/v1/enterprises', body=enterprise_body(201))
        assert r.status == 201, r.body
        cls.eid = r.json['id']

    def endpoints(self):
        return [('POST', '/api/v1/enterprises', enterprise_body(202)),
                ('PATCH', f'/api/v1/enterprises/{self.eid}', {})]

    def send(self, method, path, body=None, raw=None):
        if raw is not None:
            return self.server.request(method, path, raw=raw,
                                       headers={'Content-Type': 'application/json'})
        return self.server.request(method, path, body=body)

    def test_malformed(self):
        for method, path, _ in self.endpoints():
            with self.subTest(method=method):
                self.assertProblem(self.send(method, path, raw=b'{"name": "x",'), 400,
                                   'malformed_json')

    def test_wrong_types(self):
        for method, path, base in self.endpoints():
            for field, value in (('name', 123), ('credit_code', 91350582), ('town', ['x']),
                                 ('size', 3), ('contact_phone', 13812345678),
                                 ('address', {'a': 1})):
                with self.subTest(method=method, field=field):
                    self.assertProblem(self.send(method, path, {**base, field: value}), 422,
                                       'validation_failed', field)

    def test_too_long(self):
        for method, path, base in self.endpoints():
            for field, value in (('name', '企' * 101), ('contact_name', '张' * 51),
                                 ('address', 'a' * 201)):
                with self.subTest(method=method, field=field):
                    p = self.assertProblem(self.send(method, path, {**base, field: value}), 422,
                                           'validation_failed', field)
                    self.assertIn('too_long', [e['code'] for e in p['errors']])
        # the limits count characters, not bytes: 100 Chinese characters are fine
        r = self.send('POST', '/api/v1/enterprises', enterprise_body(203, name='企' * 100))
        self.assertEqual(r.status, 201, r.body[:300])

    def test_unknown_field(self):
        for method, path, base in self.endpoints():
            with self.subTest(method=method):
                p = self.assertProblem(self.send(method, path, {**base, 'ceo': '某人'}), 422,
                                       'validation_failed', 'ceo')
                self.assertIn('unknown_field',
                              [e['code'] for e in p['errors'] if e['field'] == 'ceo'])

    def test_nothing_saved(self):
        self.assertEqual(self.get('/api/v1/enterprises').json['total'], 1)


class EnterpriseLists(harness.ServerTest):
    N = 23

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = []
        for n in range(1, cls.N + 1):
            town = TOWN_CHENDAI if n % 3 == 0 else TOWN_QINGYANG
            industry = 'IC' if n % 2 == 0 else 'FOOD'
            name = f'安踏{n}号公司' if n <= 2 else f'恒安{n}号公司'
            r = cls.server.request('POST', '/api/v1/enterprises', body=enterprise_body(
                300 + n, name=name, town=town, industry=industry))
            assert r.status == 201, r.body
            cls.ids.append(r.json['id'])

    def test_pagination(self):
        seen = []
        for page, expect in ((1, 10), (2, 10), (3, 3)):
            r = self.get(f'/api/v1/enterprises?page={page}&per_page=10')
            self.assertEqual(r.status, 200)
            j = r.json
            self.assertEqual((j['page'], j['per_page'], j['total']), (page, 10, self.N))
            self.assertEqual(len(j['items']), expect)
            seen += [e['id'] for e in j['items']]
        self.assertEqual(sorted(seen), sorted(self.ids))
        self.assertEqual(len(set(seen)), self.N)

    def test_default_page(self):
        j = self.get('/api/v1/enterprises').json
        self.assertEqual((j['page'], j['per_page'], j['total']), (1, 20, self.N))
        self.assertEqual(len(j['items']), 20)

    def test_page_past_the_end(self):
        r = self.get('/api/v1/enterprises?page=50&per_page=10')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json['items'], [])
        self.assertEqual(r.json['total'], self.N)

    def test_out_of_range_paging(self):
        for qs, field in (('page=0', 'page'), ('page=-1', 'page'), ('page=abc', 'page'),
                          ('per_page=201', 'per_page'), ('per_page=0', 'per_page'),
                          ('page=1000001', 'page')):
            with self.subTest(qs=qs):
                self.assertProblem(self.get(f'/api/v1/enterprises?{qs}'), 422,
                                   'validation_failed', field)
        self.assertEqual(self.get('/api/v1/enterprises?per_page=200').status, 200)

    def test_filters(self):
        chendai = {self.ids[n - 1] for n in range(1, self.N + 1) if n % 3 == 0}
        ic = {self.ids[n - 1] for n in range(1, self.N + 1) if n % 2 == 0}

        def ids(qs):
            j = self.get(f'/api/v1/enterprises?per_page=200&{qs}').json
            self.assertEqual(j['total'], len(j['items']))
            return {e['id'] for e in j['items']}

        self.assertEqual(ids(f'town={TOWN_CHENDAI}'), chendai)
        self.assertEqual(ids('industry=IC'), ic)
        self.assertEqual(ids(f'town={TOWN_CHENDAI}&industry=IC'), chendai & ic)
        self.assertEqual(ids('size=medium'), set(self.ids))
        self.assertEqual(ids('size=small'), set())

    def test_search(self):
        def names(q):
            return {e['name'] for e in self.get('/api/v1/enterprises?per_page=200&q=' + quote(q)).json['items']}

        self.assertEqual(names('安踏'), {'安踏1号公司', '安踏2号公司'})
        self.assertEqual(names('安踏2号'), {'安踏2号公司'})
        self.assertEqual(names('%'), set())  # LIKE wildcards are literal
        self.assertEqual(names('_'), set())
        code = uscc(305)
        j = self.get('/api/v1/enterprises?q=' + code).json
        self.assertEqual([e['credit_code'] for e in j['items']], [code])
        j = self.get('/api/v1/enterprises?q=' + code.lower()).json
        self.assertEqual([e['credit_code'] for e in j['items']], [code])


class EnterpriseConcurrentWrites(harness.ServerTest):
    def test_20_concurrent_creates(self):
        results = [None] * 20

        def work(i):
            try:
                r = self.post('/api/v1/enterprises', enterprise_body(500 + i))
                results[i] = (r.status, r.json.get('id'))
            except Exception as e:  # noqa: BLE001
                results[i] = ('error', repr(e))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual([r[0] for r in results], [201] * 20, results)
        self.assertEqual(len({r[1] for r in results}), 20)
        self.assertEqual(self.get('/api/v1/enterprises').json['total'], 20)


class Reference(harness.ServerTest):
    def test_towns(self):
        r = self.get('/api/v1/reference/towns')
        self.assertEqual(r.status, 200)
        items = r.json['items']
        self.assertEqual(len(items), 19)  # 6 streets + 13 towns
        names = {t['name_zh'] for t in items}
        self.assertIn('陈埭镇', names)
        self.assertIn('青阳街道', names)
        codes = {t['code'] for t in items}
        expected = {f'350582{n:03d}' for n in range(1, 7)} | {f'350582{n}' for n in range(100, 113)}
        self.assertEqual(codes, expected)
        by_code = {t['code']: t for t in items}
        self.assertEqual(by_code[TOWN_CHENDAI]['name_zh'], '陈埭镇')
        self.assertEqual(by_code[TOWN_QINGYANG]['name_zh'], '青阳街道')
        self.assertEqual(sum(t.get('kind') == 'street' for t in items), 6)
        self.assertEqual(sum(t.get('kind') == 'town' for t in items), 13)

    def test_industries(self):
        items = self.get('/api/v1/reference/industries').json['items']
        by_name = {i['name_zh']: i for i in items}
        self.assertIn('集成电路', by_name)
        self.assertEqual(by_name['集成电路']['code'], 'IC')
        codes = {i['code'] for i in items}
        self.assertTrue({'TEX', 'FOOD', 'IC', 'OTHER'} <= codes, codes)

    def test_other_tables(self):
        expect = {
            'degrees': {'none', 'associate', 'bachelor', 'master', 'phd'},
            'titles': {'junior', 'intermediate', 'deputy_senior', 'senior'},
            'skill-levels': {'1', '2', '3', '4', '5'},
            'enterprise-sizes': {'micro', 'small', 'medium', 'large'},
        }
        for kind, codes in expect.items():
            with self.subTest(kind=kind):
                r = self.get(f'/api/v1/reference/{kind}')
                self.assertEqual(r.status, 200)
                items = r.json['items']
                self.assertEqual({i['code'] for i in items}, codes)
                for i in items:
                    self.assertTrue(i['name_zh'] and i['name_en'])

    def test_unknown_table_404(self):
        self.assertProblem(self.get('/api/v1/reference/nope'), 404, 'not_found')
        self.assertProblem(self.get('/api/v1/reference/Towns'), 404, 'not_found')


if __name__ == '__main__':
    unittest.main()
