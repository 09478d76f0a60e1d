"""Employment history that drives the current employer, and the editable 4341 industry table."""
import harness

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(first17):
    return first17 + '10X98765432'[sum(int(c) * w for c, w in zip(first17, W)) % 11]


USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY'
UW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(first17):
    c = 31 - sum(USCC.index(ch) * w for ch, w in zip(first17, UW)) % 31
    return first17 + USCC[0 if c == 31 else c]


class EmploymentTest(harness.ServerTest):
    def setUp(self):
        n = getattr(type(self), '_n', 0) + 1
        type(self)._n = n
        ents = []
        for k in range(2):
            r = self.post('/api/v1/enterprises', {
                'name': f'晋江市测试{n}{k}有限公司', 'town': '350582102',
                'credit_code': credit_code(f'91350582MA2Y{n:02d}{k}X0')})
            self.assertEqual(r.status, 201, r.body)
            ents.append(r.json['id'])
        self.e1, self.e2 = ents
        r = self.post('/api/v1/talents', {'name': '林强',
                                          'id_number': id_number(f'35058219900101{n:02d}1')})
        self.assertEqual(r.status, 201, r.body)
        self.tid = r.json['id']

    def employer(self):
        return self.get(f'/api/v1/talents/{self.tid}').json['enterprise_id']

    def test_open_record_becomes_current_employer_and_ending_it_clears(self):
        base = f'/api/v1/talents/{self.tid}/employments'
        r = self.post(base, {'enterprise_id': self.e1, 'started_on': '2019-03-01',
                             'ended_on': '2021-06-30', 'position': '技术员'})
        self.assertEqual(r.status, 201, r.body)
        self.assertIsNone(self.employer())  # a closed record is history only
        r = self.post(base, {'enterprise_id': self.e2, 'started_on': '2021-07-01'})
        self.assertEqual(r.status, 201)
        current = r.json['id']
        self.assertEqual(self.employer(), self.e2)
        # history is oldest first
        hist = self.get(base).json['items']
        self.assertEqual([h['enterprise_id'] for h in hist], [self.e1, self.e2])
        # ending the current job clears the current employer
        r = self.patch(f'{base}/{current}', {'ended_on': '2026-10-31', 'position': '工程师'})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json['ended_on'], '2026-10-31')
        self.assertEqual(r.json['position'], '工程师')
        self.assertIsNone(self.employer())
        # reopening makes it current again
        r = self.patch(f'{base}/{current}', {'ended_on': None})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.employer(), self.e2)

    def test_patch_rules(self):
        base = f'/api/v1/talents/{self.tid}/employments'
        r = self.post(base, {'enterprise_id': self.e1, 'started_on': '2020-01-01'})
        eid = r.json['id']
        self.assertProblem(self.patch(f'{base}/{eid}', {'ended_on': '2019-12-31'}), 422,
                           field='ended_on')
        self.assertProblem(self.patch(f'{base}/{eid}', {'enterprise_id': self.e2}), 422,
                           field='enterprise_id')
        self.assertProblem(self.patch(f'{base}/{eid}', {'annual_salary_fen': -1}), 422,
                           field='annual_salary_fen')
        self.assertProblem(self.patch(f'{base}/999999', {'position': 'x'}), 404)
        self.assertProblem(self.patch(f'{base}/abc', {'position': 'x'}), 404)
        # a record is reachable only through its own talent
        other = self.post('/api/v1/talents', {'name': '陈静',
                                              'id_number': id_number('44052419800101002')})
        self.assertEqual(other.status, 201, other.body)
        self.assertProblem(self.patch(f'/api/v1/talents/{other.json["id"]}/employments/{eid}',
                                      {'position': 'x'}), 404)
        # nothing above changed the record
        rec = self.get(base).json['items'][0]
        self.assertIsNone(rec['ended_on'])
        self.assertIsNone(rec['position'])


class IndustryTableTest(harness.ServerTest):
    def codes(self):
        return {i['code']: i for i in self.get('/api/v1/reference/industries').json['items']}

    def test_add_rename_and_regroup(self):
        r = self.post('/api/v1/reference/industries',
                      {'code': 'SHOES', 'name_zh': '运动鞋服', 'name_en': 'Sportswear',
                       'parent': 'G4', 'sort': 14})
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual(r.json['parent'], 'G4')
        item = self.codes()['SHOES']
        self.assertEqual(item['name_zh'], '运动鞋服')
        self.assertEqual(item['kind'], '4341')
        self.assertTrue(item['editable'])
        r = self.patch('/api/v1/reference/industries/SHOES',
                       {'name_zh': '运动鞋服（含户外）', 'parent': 'G3', 'in_4341': False})
        self.assertEqual(r.status, 200, r.body)
        item = self.codes()['SHOES']
        self.assertEqual(item['name_zh'], '运动鞋服（含户外）')
        self.assertEqual(item['parent'], 'G3')
        self.assertEqual(item['kind'], 'other')
        # a new code is usable at once by the registry
        r = self.post('/api/v1/talents', {'name': '吴敏', 'industry': 'SHOES',
                                          'id_number': id_number('35058219950505001')})
        self.assertEqual(r.status, 201, r.body)

    def test_rules(self):
        ok = {'code': 'NEWIND', 'name_zh': '新产业', 'name_en': 'New industry'}
        self.assertProblem(self.post('/api/v1/reference/industries', dict(ok, code='bad code')),
                           422, field='code')
        self.assertProblem(self.post('/api/v1/reference/industries', dict(ok, parent='NOPE')),
                           422, field='parent')
        # the parent must be a group, not an industry under a group
        self.assertProblem(self.post('/api/v1/reference/industries', dict(ok, parent='TEX')),
                           422, 'validation_failed', field='parent')
        self.assertProblem(self.post('/api/v1/reference/industries',
                                     {'code': 'X1', 'name_zh': '甲'}), 422, field='name_en')
        self.assertProblem(self.post('/api/v1/reference/industries', dict(ok, code='TEX')),
                           409, 'code_taken')
        # a group with industries under it cannot be put under another group
        self.assertProblem(self.patch('/api/v1/reference/industries/G4', {'parent': 'G3'}),
                           422, field='parent')
        self.assertProblem(self.patch('/api/v1/reference/industries/TEX', {'parent': 'TEX'}),
                           422, field='parent')
        self.assertProblem(self.patch('/api/v1/reference/industries/TEX', {'code': 'Y'}),
                           422, 'validation_failed', field='code')
        self.assertProblem(self.patch('/api/v1/reference/industries/NOPE', {'name_zh': '甲'}),
                           404)
        self.assertProblem(self.patch('/api/v1/reference/industries/TEX', {'sort': 'first'}),
                           422, field='sort')
        # none of the refused requests changed the table
        codes = self.codes()
        self.assertNotIn('NEWIND', codes)
        self.assertEqual(codes['TEX']['parent'], 'G4')
        self.assertEqual(codes['G4']['parent'], None)


class CsvInjectionTest(harness.ServerTest):
    def test_formula_like_cells_are_exported_as_text(self):
        r = self.post('/api/v1/talents', {'name': '=HYPERLINK("http://x")',
                                          'id_number': id_number('35058219880808001')})
        self.assertEqual(r.status, 201, r.body)
        r = self.post('/api/v1/talents', {'name': '-王', 'id_number': id_number('35058219880808003')})
        self.assertEqual(r.status, 201, r.body)
        r = self.get('/api/v1/exports/talents?format=csv')
        self.assertEqual(r.status, 200)
        text = r.body.decode('utf-8-sig')
        # the cell is quoted (it holds quotes), and starts with an apostrophe inside
        self.assertIn('"\'=HYPERLINK(""http://x"")"', text)
        self.assertIn("'-王,", text)
        self.assertNotIn(',=HYPERLINK', text)
        self.assertFalse(any(line.startswith('=') for line in text.splitlines()))

    def test_apostrophe_is_taken_off_on_import(self):
        header = '姓名,身份证号\r\n'
        body = header + f"'=1+1,{id_number('35058219880808005')}\r\n"
        r = self.post('/api/v1/imports/talents', raw=body.encode('utf-8'),
                      headers={'Content-Type': 'text/csv'})
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual(r.json['rows_imported'], 1, r.body)
        found = self.get('/api/v1/talents?q=' + id_number('35058219880808005')).json['items']
        self.assertEqual([t['name'] for t in found], ['=1+1'])


class NewEndpointInputTest(harness.ServerTest):
    """For each endpoint added after the first round: malformed body, wrong type, over-long."""

    def setUp(self):
        r = self.post('/api/v1/enterprises', {'name': '晋江市输入测试有限公司', 'town': '350582001',
                                              'credit_code': credit_code('91350582MA2Y9Y9X0')})
        if r.status == 201:
            type(self).ent = r.json['id']
            t = self.post('/api/v1/talents', {'name': '许倩',
                                              'id_number': id_number('35058219920202001')})
            type(self).tid = t.json['id']
            m = self.post(f'/api/v1/talents/{self.tid}/employments',
                          {'enterprise_id': self.ent, 'started_on': '2022-01-01'})
            type(self).eid = m.json['id']

    def endpoints(self):
        return [
            ('PATCH', f'/api/v1/talents/{self.tid}/employments/{self.eid}',
             {'position': 123}, {'position': '职' * 101}, 'position'),
            ('POST', '/api/v1/reference/industries',
             {'code': 'OK', 'name_zh': ['x'], 'name_en': 'x'},
             {'code': 'OK', 'name_zh': '甲' * 51, 'name_en': 'x'}, 'name_zh'),
            ('PATCH', '/api/v1/reference/industries/TEX',
             {'name_en': False}, {'name_en': 'x' * 101}, 'name_en'),
        ]

    def test_malformed_wrong_type_and_over_long(self):
        for method, path, wrong, too_long, field in self.endpoints():
            with self.subTest(path=path):
                r = self.server.request(method, path, raw=b'{"position": ',
                                        headers={'Content-Type': 'application/json'})
                self.assertProblem(r, 400, 'malformed_json')
                r = self.server.request(method, path, raw=b'position=x',
                                        headers={'Content-Type': 'application/x-www-form-urlencoded'})
                self.assertProblem(r, 415)
                self.assertProblem(self.server.request(method, path, body=wrong), 422, field=field)
                p = self.assertProblem(self.server.request(method, path, body=too_long), 422,
                                       field=field)
                self.assertIn('too_long', [e['code'] for e in p['errors']])
                self.assertProblem(self.server.request(method, path, body={'nope': 1}), 422,
                                   field='nope')
