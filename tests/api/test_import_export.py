"""Import and export of talents: POST /api/v1/imports/talents, the import record and its
report, GET /api/v1/exports/{talents,template}, and the `talentport import|export` commands.

ID numbers are made here with the GB 11643 MOD 11-2 weights (the arithmetic is checked
against the standard's vectors in test_talents.py); expected rows and errors follow from
the rules by hand.  Each test uses its own birth dates so that the shared server database
never mixes them up.
"""
import csv
import io
import os
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import quote

import harness

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = '10X98765432'
USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
BOM = b'\xef\xbb\xbf'
CAP = 64 * 1024 * 1024


def make_id(birth, seq):
    first17 = f'350582{birth}{seq:03d}'
    return first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def bad_check(idn):
    """The same number with a wrong check character."""
    return idn[:17] + ('0' if idn[17] != '0' else '1')


def masked(idn):
    return idn[:6] + '*' * 8 + idn[14:]


def uscc(n):
    body = '91350582MA' + f'{n:07d}'
    c = 31 - sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS)) % 31
    return body + USCC_CHARSET[0 if c == 31 else c]


def read_csv(data):
    return list(csv.reader(io.StringIO(data.decode('utf-8-sig'), newline='')))


def read_xlsx(data):
    """Rows of the first sheet of an .xlsx (shared and inline strings, numbers as text)."""
    ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns):
            shared.append(''.join(t.text or '' for t in si.iter(f'{{{ns["m"]}}}t')))
    sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
    rows = []
    for row in sheet.iter(f'{{{ns["m"]}}}row'):
        cells = {}
        for c in row.findall('m:c', ns):
            ref = c.get('r')
            col = 0
            for ch in ref:
                if ch.isalpha():
                    col = col * 26 + ord(ch) - 64
            v = c.find('m:v', ns)
            if c.get('t') == 's':
                val = shared[int(v.text)]
            elif c.get('t') == 'inlineStr':
                val = ''.join(t.text or '' for t in c.iter(f'{{{ns["m"]}}}t'))
            else:
                val = v.text if v is not None else ''
            cells[col] = val
        rows.append([cells.get(i, '') for i in range(1, max(cells or {0: 0}) + 1)])
    return rows


def csv_bytes(rows, bom=False, encoding='utf-8', newline='\r\n'):
    text = newline.join(','.join(r) for r in rows) + newline
    return (BOM if bom else b'') + text.encode(encoding)


def errors_of(doc):
    return sorted((e['row'], e['column'], e['code']) for e in doc['errors'])


class Imports(harness.ServerTest):
    def upload(self, data, ctype='text/csv', query='', status=201):
        r = self.post('/api/v1/imports/talents' + query, raw=data,
                      headers={'Content-Type': ctype})
        self.assertEqual(r.status, status, r.body[:800])
        return r

    def find(self, idn):
        r = self.get('/api/v1/talents?q=' + idn)
        self.assertEqual(r.status, 200)
        return r.json['items']

    def test_csv_mixed_rows_and_report(self):
        g1, g2 = make_id('19710101', 11), make_id('19710102', 22)
        bad, late = make_id('19710103', 33), make_id('19710104', 44)
        rows = [['姓名', '身份证号', '性别', '出生日期', '所在镇街'],
                ['甲一', g1, '男', '1971-01-01', '陈埭镇'],        # 2 good
                ['甲二', g2, '女', '', '350582001'],               # 3 good
                ['甲三', bad_check(bad), '', '', ''],              # 4 checksum
                ['甲四', late, '', '1971-02-30', ''],              # 5 not a real date
                ['甲五', g1, '', '', '']]                          # 6 duplicate of row 2
        r = self.upload(csv_bytes(rows), query='?filename=' + quote('人才名单.csv'))
        doc = r.json
        self.assertEqual((doc['rows_total'], doc['rows_imported'], doc['rows_failed']), (5, 2, 3))
        self.assertTrue(doc['committed'])
        self.assertEqual(doc['format'], 'csv')
        self.assertEqual(doc['kind'], 'talents')
        self.assertEqual(doc['filename'], '人才名单.csv')
        self.assertEqual(errors_of(doc), [(4, '身份证号', 'id_number_checksum'),
                                          (5, '出生日期', 'date_invalid'),
                                          (6, '身份证号', 'id_number_duplicate')])
        dup = [e for e in doc['errors'] if e['row'] == 6][0]
        self.assertEqual(dup['value'], masked(g1))      # another person's number: masked
        self.assertIn('2', dup['detail'])               # names the earlier row
        self.assertEqual(r.header('Location'), f'/api/v1/imports/{doc["id"]}')
        self.assertEqual(len(self.find(g1)), 1)
        self.assertEqual(len(self.find(g2)), 1)
        self.assertEqual(self.find(late), [])

        rec = self.get(f'/api/v1/imports/{doc["id"]}')
        self.assertEqual(rec.status, 200)
        self.assertEqual(rec.json['rows_imported'], 2)
        self.assertEqual(rec.json['report_url'], doc['report_url'])
        self.assertNotIn('report', rec.json)

        rep = self.get(doc['report_url'])
        self.assertEqual(rep.status, 200)
        self.assertEqual(rep.header('Content-Disposition'),
                         f'attachment; filename="import-{doc["id"]}-errors.csv"')
        self.assertTrue(rep.body.startswith(BOM))
        table = read_csv(rep.body)
        self.assertEqual(len(table), 4)
        self.assertEqual([(int(t[0]), t[1], t[3]) for t in table[1:]], errors_of(doc))
        # the bad cell names the row and column, but an ID number is masked even when invalid
        self.assertIn(masked(bad_check(bad)), rep.body.decode('utf-8-sig'))
        self.assertNotIn(bad_check(bad), rep.body.decode('utf-8-sig'))
        self.assertEqual([e['value'] for e in doc['errors'] if e['row'] == 4],
                         [masked(bad_check(bad))])
        self.assertNotIn(g1, rep.body.decode('utf-8-sig'))
        self.assertNotIn(g2, rep.body.decode('utf-8-sig'))

    def test_employer_imports_its_own_staff(self):
        """An employer imports staff of its own enterprise only: a blank credit code is its
        enterprise, another enterprise's code is refused, and so are the tier columns (the
        office certifies tiers).  Expected rows worked out from those rules."""
        a = self.post('/api/v1/enterprises', {'name': '导入测试甲有限公司', 'credit_code': uscc(7101),
                                              'town': '350582102'})
        b = self.post('/api/v1/enterprises', {'name': '导入测试乙有限公司', 'credit_code': uscc(7102),
                                              'town': '350582102'})
        self.assertEqual((a.status, b.status), (201, 201), a.body + b.body)
        hr = self.server.staff_token('hrimport', 'employer', '--enterprise-id', str(a.json['id']))
        ids = [make_id('19730301', n) for n in (1, 2, 3, 4)]
        rows = [['姓名', '身份证号', '所在镇街', '工作单位信用代码', '人才层次'],
                ['丙一', ids[0], '陈埭镇', '', ''],               # 2 good: blank = own enterprise
                ['丙二', ids[1], '陈埭镇', uscc(7101), ''],       # 3 good: own code
                ['丙三', ids[2], '陈埭镇', uscc(7102), ''],       # 4 another enterprise
                ['丙四', ids[3], '陈埭镇', '', '3']]              # 5 a tier: the office's
        r = self.post('/api/v1/imports/talents', raw=csv_bytes(rows),
                      headers={'Content-Type': 'text/csv', 'Authorization': 'Bearer ' + hr})
        self.assertEqual(r.status, 201, r.body[:800])
        doc = r.json
        self.assertEqual((doc['rows_total'], doc['rows_imported'], doc['rows_failed']), (4, 2, 2))
        self.assertEqual(errors_of(doc), [(4, '工作单位信用代码', 'not_your_enterprise'),
                                          (5, '人才层次', 'office_only')])
        for idn in ids[:2]:
            found = self.find(idn)
            self.assertEqual([t['enterprise_id'] for t in found], [a.json['id']])
        for idn in ids[2:]:
            self.assertEqual(self.find(idn), [])
        # the import record and its report stay the office's
        r = self.server.request('GET', f'/api/v1/imports/{doc["id"]}',
                                headers={'Authorization': 'Bearer ' + hr})
        self.assertEqual(r.status, 403)

    def test_english_detail(self):
        rows = [['name', 'id_number'], ['乙一', bad_check(make_id('19720101', 1))]]
        r = self.post('/api/v1/imports/talents', raw=csv_bytes(rows),
                      headers={'Content-Type': 'text/csv; charset=utf-8',
                               'Accept-Language': 'en'})
        self.assertEqual(r.status, 201)
        self.assertIn('check', r.json['errors'][0]['detail'].lower())
        self.assertEqual(r.json['errors'][0]['column'], 'id_number')
        self.assertFalse(r.json['committed'])

    def test_bom_and_gb18030(self):
        a, b = make_id('19730101', 1), make_id('19730102', 2)
        r = self.upload(csv_bytes([['name', 'id_number', 'town'], ['丙一', a, '陈埭镇']],
                                  bom=True))
        self.assertEqual((r.json['rows_imported'], r.json['errors']), (1, []))
        self.assertIsNone(r.json['report_url'])
        gb = csv_bytes([['姓名', '身份证号', '所在镇街', '产业'], ['丙二', b, '安海镇', '纺织鞋服']],
                       encoding='gb18030')
        self.assertNotIn('丙二'.encode('utf-8'), gb)
        r = self.upload(gb)
        self.assertEqual((r.json['rows_imported'], r.json['errors']), (1, []))
        items = self.find(b)
        self.assertEqual(items[0]['name'], '丙二')
        self.assertEqual(items[0]['town'], '350582100')
        self.assertEqual(items[0]['industry'], 'TEX')

    def test_xlsx_template_and_xlsx_report(self):
        t = self.get('/api/v1/exports/template?format=xlsx')
        self.assertEqual(t.status, 200)
        self.assertEqual(t.header('Content-Type'), XLSX)
        self.assertTrue(t.body.startswith(b'PK\x03\x04'))
        self.assertIn('attachment', t.header('Content-Disposition'))
        rows = read_xlsx(t.body)
        self.assertEqual(rows[0][:2], ['姓名', '身份证号'])
        example_id = rows[1][1]
        r = self.upload(t.body, ctype=XLSX)
        self.assertEqual((r.json['format'], r.json['rows_imported'], r.json['errors']),
                         ('xlsx', 1, []))
        # the same file again: the person is registered, the report is an XLSX
        r = self.upload(t.body, ctype='application/octet-stream')
        self.assertFalse(r.json['committed'])
        self.assertEqual(errors_of(r.json), [(2, '身份证号', 'id_number_taken')])
        rep = self.get(r.json['report_url'])
        self.assertEqual(rep.status, 200)
        self.assertEqual(rep.header('Content-Type'), XLSX)
        self.assertIn('errors.xlsx', rep.header('Content-Disposition'))
        table = read_xlsx(rep.body)
        self.assertEqual(table[1][0], '2')
        self.assertEqual(table[1][3], 'id_number_taken')
        self.assertNotIn(example_id, [c for row in table for c in row])

        c = self.get('/api/v1/exports/template?format=csv')
        self.assertEqual(c.status, 200)
        self.assertTrue(c.body.startswith(BOM))
        self.assertEqual(read_csv(c.body)[0], rows[0])

    def test_all_or_nothing(self):
        a, b = make_id('19740101', 1), make_id('19740102', 2)
        rows = [['姓名', '身份证号'], ['丁一', a], ['丁二', bad_check(b)]]
        r = self.upload(csv_bytes(rows), query='?all_or_nothing=true')
        self.assertEqual((r.json['rows_imported'], r.json['rows_failed']), (0, 1))
        self.assertFalse(r.json['committed'])
        self.assertTrue(r.json['all_or_nothing'])
        self.assertEqual(self.find(a), [])
        p = self.upload(csv_bytes(rows), query='?all_or_nothing=maybe', status=422)
        self.assertEqual(p.json['code'], 'validation_failed')

    def test_file_level_error(self):
        rows = [['姓名', '身份证号', '备注'], ['戊一', make_id('19750101', 1), 'x']]
        r = self.upload(csv_bytes(rows))
        self.assertEqual(errors_of(r.json), [(1, '备注', 'unknown_column')])
        self.assertEqual(r.json['rows_imported'], 0)
        self.assertFalse(r.json['committed'])

    def test_wrong_content_type_415(self):
        r = self.post('/api/v1/imports/talents', raw=b'a,b\n', headers={'Content-Type': 'text/plain'})
        self.assertProblem(r, 415, 'unsupported_media_type')
        r = self.post('/api/v1/imports/talents', body={'name': 'x'})
        self.assertProblem(r, 415, 'unsupported_media_type')

    def test_unreadable_422(self):
        self.assertProblem(self.upload(b'', status=422), 422, 'unreadable_file')
        self.assertProblem(self.upload(b'PK\x03\x04 not a zip', ctype=XLSX, status=422), 422,
                           'unreadable_file')
        self.assertProblem(self.upload(b'\xff\xfen\x00a\x00', status=422), 422,
                           'unreadable_file')

    def test_too_large_413(self):
        r = self.upload(b'a' * (CAP + 1), status=413)
        self.assertProblem(r, 413)

    def test_missing_import_and_report_404(self):
        self.assertProblem(self.get('/api/v1/imports/999999'), 404)
        r = self.upload(csv_bytes([['姓名', '身份证号'], ['己一', make_id('19760101', 1)]]))
        self.assertIsNone(r.json['report_url'])
        self.assertProblem(self.get(f'/api/v1/imports/{r.json["id"]}/report'), 404)


class Exports(harness.ServerTest):
    def test_export_csv_masked_and_filtered(self):
        a, b = make_id('19770101', 1), make_id('19770102', 2)
        rows = [['姓名', '身份证号', '手机号', '所在镇街'],
                ['庚一', a, '13912345678', '深沪镇'], ['庚二', b, '', '陈埭镇']]
        r = self.post('/api/v1/imports/talents', raw=csv_bytes(rows),
                      headers={'Content-Type': 'text/csv'})
        self.assertEqual(r.json['rows_imported'], 2, r.body)
        e = self.get('/api/v1/exports/talents?format=csv')
        self.assertEqual(e.status, 200)
        self.assertTrue(e.header('Content-Type').startswith('text/csv'))
        self.assertEqual(e.header('Content-Disposition'), 'attachment; filename="talents.csv"')
        self.assertTrue(e.body.startswith(BOM))
        self.assertIn(b'\r\n', e.body)
        self.assertNotIn(b'\n', e.body.replace(b'\r\n', b''))
        text = e.body.decode('utf-8-sig')
        self.assertNotIn(a, text)
        self.assertNotIn(b, text)
        self.assertNotIn('13912345678', text)
        self.assertIn(masked(a), text)
        self.assertIn('139****5678', text)
        table = read_csv(e.body)
        self.assertEqual(table[0][:3], ['姓名', '身份证号', '性别'])
        f = self.get('/api/v1/exports/talents?format=csv&town=350582104')
        self.assertEqual([row[0] for row in read_csv(f.body)[1:]], ['庚一'])
        x = self.get('/api/v1/exports/talents?format=xlsx&town=350582104')
        self.assertEqual(x.header('Content-Type'), XLSX)
        xt = read_xlsx(x.body)
        self.assertEqual(len(xt), 2)
        self.assertEqual(xt[1][1], masked(a))
        self.assertProblem(self.get('/api/v1/exports/talents?format=pdf'), 422)
        self.assertProblem(self.get('/api/v1/exports/talents?tier=9'), 422)


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='tp-cli-import-')
        self.db = os.path.join(self.dir, 'a.db')
        self.assertEqual(self.cli('migrate', '--db', self.db).returncode, 0)

    def cli(self, *args):
        """Runs the command; a sanitizer report on stderr fails the test."""
        p = harness.run_cli(*args)
        err = p.stderr.decode('utf-8', 'replace')
        for mark in harness.SAN_MARKS:
            self.assertNotIn(mark, err, err[-4000:])
        return p

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def test_import_exit_codes_and_report(self):
        a, b, c = (make_id('19780101', 1), make_id('19780102', 2), make_id('19780103', 3))
        mixed = self.write('mixed.csv', csv_bytes(
            [['姓名', '身份证号'], ['辛一', a], ['辛二', b], ['辛三', bad_check(c)]]))
        p = self.cli('import', 'talents', mixed, '--db', self.db)
        self.assertEqual(p.returncode, 1, p.stderr)
        report = os.path.join(self.dir, 'mixed.errors.csv')
        self.assertEqual(p.stdout.decode().strip(),
                         f'import: 3 rows, 2 imported, 1 failed; report: {report}')
        with open(report, 'rb') as f:
            rep = read_csv(f.read())
        self.assertEqual([(r[0], r[1], r[3]) for r in rep[1:]],
                         [('4', '身份证号', 'id_number_checksum')])

        good = self.write('good.csv', csv_bytes([['name', 'id_number'], ['辛四', c]]))
        p = self.cli('import', 'talents', good, '--db', self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b'1 imported, 0 failed; report: none', p.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.dir, 'good.errors.csv')))

        # all or nothing: the good row stays out; a chosen report path
        d = make_id('19780104', 4)
        aon = self.write('aon.csv', csv_bytes([['姓名', '身份证号'], ['辛五', d], ['辛六', a]]))
        rp = os.path.join(self.dir, 'r.csv')
        p = self.cli('import', 'talents', aon, '--db', self.db, '--all-or-nothing',
                            '--report', rp)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b'nothing was imported', p.stdout)
        with open(rp, 'rb') as f:
            self.assertEqual(read_csv(f.read())[1][3], 'id_number_taken')

        self.assertEqual(self.cli('import', 'talents', '--db', self.db).returncode, 2)
        self.assertEqual(self.cli('import', 'people', good).returncode, 2)
        h = self.cli('import', '--help')
        self.assertEqual(h.returncode, 0)
        self.assertIn('导入', h.stdout.decode())
        self.assertIn('Imports talents', h.stdout.decode())
        junk = self.write('junk.csv', b'\xff\xfe\x00\x01')
        self.assertEqual(self.cli('import', 'talents', junk, '--db', self.db).returncode, 1)

    def test_export_masked_and_unmasked_reimport(self):
        a, b = make_id('19790101', 1), make_id('19790102', 2)
        src = self.write('in.csv', csv_bytes(
            [['姓名', '身份证号', '学历', '毕业院校', '人才层次', '层次起始日期', '层次截止日期'],
             ['壬一', a, '硕士', '华侨大学', '5', '2024-01-01', '2026-12-31'],
             ['壬二', b, '', '', '', '', '']]))
        self.assertEqual(self.cli('import', 'talents', src, '--db', self.db).returncode, 0)

        p = self.cli('export', 'talents', '--format', 'csv', '--db', self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith(BOM))
        self.assertNotIn(a.encode(), p.stdout)
        self.assertNotIn(b.encode(), p.stdout)
        p = self.cli('export', 'talents', '--format', 'csv', '--db', self.db,
                            '--tier', '5')
        self.assertEqual(len(read_csv(p.stdout)), 2)

        for fmt in ('csv', 'xlsx'):
            out = os.path.join(self.dir, 'full.' + fmt)
            p = self.cli('export', 'talents', '--format', fmt, '--out', out, '--db',
                                self.db, '--unmasked', '--reason', 're-import test')
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out, 'rb') as f:
                data = f.read()
            if fmt == 'csv':
                self.assertIn(a.encode(), data)
            db2 = os.path.join(self.dir, f'b-{fmt}.db')
            self.cli('migrate', '--db', db2)
            p = self.cli('import', 'talents', out, '--db', db2)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn(b'2 rows, 2 imported, 0 failed', p.stdout)

        masked_out = os.path.join(self.dir, 'masked.csv')
        self.cli('export', 'talents', '--out', masked_out, '--db', self.db)
        db3 = os.path.join(self.dir, 'c.db')
        self.cli('migrate', '--db', db3)
        p = self.cli('import', 'talents', masked_out, '--db', db3)
        self.assertEqual(p.returncode, 1)  # masked numbers are not ID numbers
        self.assertIn(b'0 imported', p.stdout)

        self.assertEqual(self.cli('export', 'talents', '--format', 'xlsx', '--db',
                                         self.db).returncode, 2)
        self.assertEqual(self.cli('export', 'people').returncode, 2)
        t = self.cli('export', 'template', '--format', 'csv')
        self.assertEqual(t.returncode, 0)
        self.assertEqual(read_csv(t.stdout)[0][0], '姓名')


if __name__ == '__main__':
    unittest.main()
