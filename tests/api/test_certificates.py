"""Certificates and the talent code (人才码): /api/v1/certificates, /verify/{token} and
`talentport verify` / `talentport keys export-code|rotate-code` (issue 5, item 6).

Expected values are worked out from the specification:
  - a certificate is valid 5 years by default: from 2026-01-01 the last valid day is
    2030-12-31;
  - the talent code is "TP1." + base64url(18-byte payload) + "." + base64url(64-byte
    Ed25519 signature): 4 + 24 + 1 + 86 = 115 characters;
  - the registry's tier follows the newest valid certificate, none after a revocation;
  - /verify answers valid | expired | revoked | suspended | superseded | forged | malformed
    with the holder's name masked as the first character and one * per further one;
  - a talent sees only their own certificates; anything else is 404.
"""
import base64
import os
import re
import tempfile
import time
import unittest
import zlib

import harness
from test_talents import make_id

BASE = '/api/v1/certificates'
TOKEN_RE = re.compile(r'^TP1\.[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{86}$')


def b64d(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def b64e(b):
    return base64.urlsafe_b64encode(b).decode().rstrip('=')


def flip_payload(token, byte=0, bit=0):
    p, s = token[4:28], token[29:]
    raw = bytearray(b64d(p))
    raw[byte] ^= 1 << bit
    return 'TP1.' + b64e(bytes(raw)) + '.' + s


def flip_signature(token, byte=10, bit=3):
    raw = bytearray(b64d(token[29:]))
    raw[byte] ^= 1 << bit
    return token[:29] + b64e(bytes(raw))


def pdf_images(pdf):
    """(width, height, dictionary, pixel bytes) of every image XObject in a PDF."""
    out = []
    for m in re.finditer(rb'<<(.*?)>>\s*stream\r?\n', pdf, re.S):
        d = m.group(1)
        if b'/Subtype /Image' not in d:
            continue
        w = int(re.search(rb'/Width (\d+)', d).group(1))
        h = int(re.search(rb'/Height (\d+)', d).group(1))
        data = pdf[m.end():pdf.index(b'endstream', m.end())]
        if b'/FlateDecode' in d:
            data = zlib.decompressobj().decompress(data)   # ignores the line end after it
        out.append((w, h, d, data))
    return out


class Certificates(harness.ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        ids = []
        for seq, name in ((701, '张三'), (702, '欧阳明月'), (703, '李四')):
            r = s.request('POST', '/api/v1/talents', {'name': name, 'id_number': make_id(seq)})
            assert r.status == 201, r.body
            ids.append(r.json['id'])
        cls.zhang, cls.ouyang, cls.li = ids
        pw = s.add_user('talent_zhang', 'talent', '--talent-id', str(cls.zhang))
        sess = s.login('talent_zhang', pw)
        r = sess.request('POST', '/api/v1/session/password',
                         {'current_password': pw, 'new_password': harness.PASSWORD})
        assert r.status == 200, r.body
        sess = harness.Session(s, r.header('Set-Cookie').split(';')[0], r.json['csrf_token'],
                               r.json)
        cls.talent_token = s.bearer(sess)

    def issue(self, talent_id, tier=3, valid_from='2026-01-01', **more):
        body = {'talent_id': talent_id, 'tier': tier, 'valid_from': valid_from,
                'basis': '泉州市高层次人才认定（第三层次）'}
        body.update(more)
        r = self.post(BASE, body)
        self.assertEqual(r.status, 201, r.body)
        return r.json

    def verify(self, token):
        r = self.server.request('GET', '/verify/' + token, headers={'Authorization': None})
        self.assertEqual(r.status, 200, r.body)
        return r.json

    def as_talent(self, method, path):
        return self.server.request(method, path,
                                   headers={'Authorization': 'Bearer ' + self.talent_token})

    # ---- issue, read, registry ----

    def test_issue_sets_defaults_and_registry_tier(self):
        c = self.issue(self.ouyang, tier=4, valid_from='2026-03-01')
        self.assertEqual((c['tier'], c['tier_name']), (4, '第四层次人才'))
        self.assertEqual((c['valid_from'], c['valid_to']), ('2026-03-01', '2031-02-28'))
        self.assertEqual(c['status'], 'valid')
        self.assertEqual(c['issuer'], '晋江市人才办')
        self.assertRegex(c['token'], TOKEN_RE)
        self.assertEqual(c['verify_url'], '/verify/' + c['token'])
        self.assertRegex(c['key_id'], r'^[0-9a-f]{8}$')
        self.assertNotIn(make_id(702), str(c))   # the ID number only masked
        t = self.get(f'/api/v1/talents/{self.ouyang}').json
        self.assertEqual(t['tier'], {'level': 4, 'from': '2026-03-01', 'to': '2031-02-28'})
        g = self.get(f'{BASE}/{c["id"]}')
        self.assertEqual(g.status, 200)
        self.assertEqual(g.json['token'], c['token'])
        lst = self.get(f'/api/v1/talents/{self.ouyang}/certificates').json['items']
        self.assertIn(c['id'], [x['id'] for x in lst])

    def test_issue_validation(self):
        cases = [
            ({'tier': 9}, 'tier'),
            ({'tier': 0}, 'tier'),
            ({'talent_id': 999999}, 'talent_id'),
            ({'valid_from': '2026-02-30'}, 'valid_from'),
            ({'valid_to': '2025-12-31'}, 'valid_to'),
            ({'basis': None}, 'basis'),
            ({'colour': 'red'}, 'colour'),
        ]
        for over, field in cases:
            body = {'talent_id': self.li, 'tier': 3, 'valid_from': '2026-01-01',
                    'basis': '省级人才认定'}
            body.update(over)
            body = {k: v for k, v in body.items() if v is not None}
            with self.subTest(over=over):
                r = self.post(BASE, body)
                self.assertProblem(r, 422, field=field)
        self.assertEqual(self.get(f'/api/v1/talents/{self.li}/certificates').json['items'], [])

    def test_unknown_is_404(self):
        self.assertEqual(self.get(f'{BASE}/999999').status, 404)
        self.assertEqual(self.get(f'{BASE}/abc').status, 404)
        self.assertEqual(self.get(f'{BASE}/999999/pdf').status, 404)

    # ---- the PDF ----

    def test_pdf_is_a_pdf_with_the_qr_code(self):
        c = self.issue(self.zhang, tier=3)
        r = self.get(f'{BASE}/{c["id"]}/pdf')
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.header('Content-Type'), 'application/pdf')
        self.assertTrue(r.header('Content-Disposition').startswith('attachment;'))
        self.assertEqual(r.header('X-Content-Type-Options'), 'nosniff')
        self.assertTrue(r.body.startswith(b'%PDF-'))
        self.assertIn(b'%%EOF', r.body[-64:])
        self.assertIn(b'/FontFile2', r.body)   # the CJK font is embedded
        imgs = pdf_images(r.body)
        self.assertEqual(len(imgs), 1)
        w, h, d, px = imgs[0]
        self.assertIn(b'/DeviceGray', d)
        self.assertEqual(w, h)
        self.assertEqual(len(px), w * h)
        # 4 pixels a module and 4 modules of quiet zone around a 17 + 4v module symbol
        modules = w // 4 - 8
        self.assertEqual(w % 4, 0)
        self.assertEqual((modules - 17) % 4, 0)
        self.assertGreaterEqual(modules, 21)
        self.assertLessEqual(set(px), {0, 255})

        def mod(x, y):   # the module at column x, row y: 1 dark
            return 1 if px[(16 + 4 * y + 1) * w + 16 + 4 * x + 1] == 0 else 0
        # the finder pattern at the top left: dark ring, light ring, dark 3x3 centre
        self.assertEqual([mod(i, 0) for i in range(7)], [1] * 7)
        self.assertEqual([mod(i, 1) for i in range(7)], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual([mod(i, 3) for i in range(7)], [1, 0, 1, 1, 1, 0, 1])
        self.assertEqual(mod(7, 0), 0)   # separator
        self.assertEqual(px[0], 255)     # quiet zone

    # ---- access ----

    def test_talent_sees_only_their_own(self):
        own = self.issue(self.zhang, tier=5, valid_from='2026-06-01')
        other = self.issue(self.li, tier=5, valid_from='2026-06-01')
        self.assertEqual(self.as_talent('GET', f'{BASE}/{own["id"]}').status, 200)
        self.assertEqual(self.as_talent('GET', f'{BASE}/{own["id"]}/pdf').status, 200)
        self.assertEqual(self.as_talent('GET', f'/api/v1/talents/{self.zhang}/certificates')
                         .status, 200)
        for path in (f'{BASE}/{other["id"]}', f'{BASE}/{other["id"]}/pdf',
                     f'/api/v1/talents/{self.li}/certificates'):
            with self.subTest(path=path):
                r = self.as_talent('GET', path)
                self.assertEqual(r.status, 404)
                self.assertNotIn(other['token'].encode(), r.body)
        r = self.server.request('POST', f'{BASE}/{own["id"]}/revoke', {'reason': 'x'},
                                headers={'Authorization': 'Bearer ' + self.talent_token})
        self.assertEqual(r.status, 403)
        r = self.server.request('GET', f'{BASE}/{own["id"]}', headers={'Authorization': None})
        self.assertEqual(r.status, 401)

    # ---- the state machine and /verify ----

    def test_verify_statuses(self):
        c = self.issue(self.li, tier=2, valid_from='2026-01-01')
        v = self.verify(c['token'])
        self.assertEqual(v, {'status': 'valid', 'certificate_id': c['id'], 'tier': 2,
                             'tier_name': '第二层次人才', 'valid_from': '2026-01-01',
                             'valid_to': '2030-12-31', 'issuer': '晋江市人才办',
                             'name': '李*'})
        old = self.issue(self.ouyang, tier=6, valid_from='2015-01-01', valid_to='2019-12-31')
        v = self.verify(old['token'])
        self.assertEqual((v['status'], v['name']), ('expired', '欧***'))
        future = self.issue(self.ouyang, tier=6, valid_from='2140-01-01', valid_to='2140-12-31')
        self.assertEqual(self.verify(future['token'])['status'], 'not_yet_valid')
        for bad in (flip_payload(c['token'], 0, 0), flip_payload(c['token'], 5, 1),
                    flip_payload(c['token'], 9, 7), flip_signature(c['token']),
                    flip_signature(c['token'], 63, 0)):
            with self.subTest(token=bad):
                self.assertEqual(self.verify(bad), {'status': 'forged'})
        for bad in ('garbage', 'TP2' + c['token'][3:], c['token'] + 'A', c['token'][:-1],
                    'A' * 5000, 'TP1.' + '_' * 111, '%E5%BC%A0'):
            with self.subTest(token=bad[:40]):
                self.assertEqual(self.verify(bad), {'status': 'malformed'})
        # no token at all is not the verify route: a 404, or the web UI's page when it is built
        r = self.server.request('GET', '/verify/', headers={'Authorization': None})
        if r.status != 404:
            self.assertEqual(r.status, 200)
            self.assertTrue(r.header('Content-Type').startswith('text/html'))

    def test_suspend_reinstate_revoke(self):
        c = self.issue(self.li, tier=3, valid_from='2026-01-01')
        cid = c['id']
        r = self.post(f'{BASE}/{cid}/suspend', {})
        self.assertProblem(r, 422, field='reason')
        r = self.post(f'{BASE}/{cid}/suspend', {'reason': '核查社保缴纳情况'})
        self.assertEqual((r.status, r.json['status']), (200, 'suspended'), r.body)
        self.assertEqual(r.json['status_reason'], '核查社保缴纳情况')
        self.assertEqual(self.verify(c['token'])['status'], 'suspended')
        self.assertIsNone(self.get(f'/api/v1/talents/{self.li}').json['tier'])
        r = self.post(f'{BASE}/{cid}/suspend', {'reason': 'again'})
        self.assertProblem(r, 409, 'invalid_transition')
        self.assertIn('reinstate, revoke', r.json['detail'])
        # a suspended certificate blocks a new one until it is settled
        r = self.post(BASE, {'talent_id': self.li, 'tier': 2, 'valid_from': '2026-01-01',
                             'basis': 'x'})
        self.assertProblem(r, 409, 'certificate_suspended')
        r = self.post(f'{BASE}/{cid}/reinstate', {'reason': '核查无误'})
        self.assertEqual((r.status, r.json['status']), (200, 'valid'))
        self.assertEqual(self.verify(c['token'])['status'], 'valid')
        self.assertEqual(self.get(f'/api/v1/talents/{self.li}').json['tier']['level'], 3)
        r = self.post(f'{BASE}/{cid}/revoke', {'reason': '材料造假'})
        self.assertEqual((r.status, r.json['status']), (200, 'revoked'))
        v = self.verify(c['token'])
        self.assertEqual((v['status'], v['certificate_id']), ('revoked', cid))
        self.assertIsNone(self.get(f'/api/v1/talents/{self.li}').json['tier'])
        for action in ('suspend', 'reinstate', 'revoke', 'renew'):
            with self.subTest(action=action):
                r = self.post(f'{BASE}/{cid}/{action}', {'reason': 'x'})
                self.assertProblem(r, 409, 'invalid_transition')
        # every change is in the audit log
        aud = harness.run_cli('audit', 'list', '--db', self.server.db, '--object-type',
                              'certificate', '--object-id', str(cid))
        out = aud.stdout.decode()
        for action in ('certificate.issue', 'certificate.suspend', 'certificate.reinstate',
                       'certificate.revoke'):
            self.assertIn(action, out)

    def test_two_reviewers_at_once_one_wins(self):
        import threading
        for round_ in range(8):
            c = self.issue(self.zhang, tier=4, valid_from='2026-01-01')
            out = []
            go = threading.Barrier(2)

            def act():
                go.wait()
                out.append(self.post(f'{BASE}/{c["id"]}/suspend', {'reason': '并发'}).status)
            ts = [threading.Thread(target=act) for _ in range(2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(sorted(out), [200, 409], f'round {round_}')
            self.assertEqual(self.get(f'{BASE}/{c["id"]}').json['version'], 2)
            self.post(f'{BASE}/{c["id"]}/revoke', {'reason': '清理'})

    def test_renew_and_upgrade_supersede(self):
        c = self.issue(self.ouyang, tier=4, valid_from='2026-01-01')
        r = self.post(f'{BASE}/{c["id"]}/renew', {'valid_from': '2031-01-01'})
        self.assertEqual(r.status, 201, r.body)
        n = r.json
        self.assertEqual((n['tier'], n['valid_from'], n['valid_to']),
                         (4, '2031-01-01', '2035-12-31'))
        self.assertNotEqual(n['token'], c['token'])
        old = self.get(f'{BASE}/{c["id"]}').json
        self.assertEqual((old['status'], old['superseded_by']), ('superseded', n['id']))
        v = self.verify(c['token'])
        self.assertEqual((v['status'], v['superseded_by']), ('superseded', n['id']))
        r = self.post(f'{BASE}/{n["id"]}/upgrade', {'tier': 5})
        self.assertProblem(r, 422, field='tier')
        r = self.post(f'{BASE}/{n["id"]}/upgrade', {'tier': 2, 'valid_from': '2027-01-01',
                                                   'reason': '入选省级高层次人才'})
        self.assertEqual(r.status, 201, r.body)
        u = r.json
        self.assertEqual((u['tier'], u['valid_from'], u['basis']),
                         (2, '2027-01-01', '入选省级高层次人才'))
        self.assertEqual(self.verify(n['token'])['status'], 'superseded')
        self.assertEqual(self.get(f'/api/v1/talents/{self.ouyang}').json['tier'],
                         {'level': 2, 'from': '2027-01-01', 'to': '2031-12-31'})


class MissingFont(harness.ServerTest):
    """A server whose CJK font is missing answers the PDF 503 pdf_unavailable (an
    installation fault, named in the message), and everything else still works."""
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(env={'TALENTPORT_CJK_FONT': '/nonexistent/font.ttc'})
        cls.server.token = cls.server.staff_token()

    def test_pdf_503(self):
        r = self.post('/api/v1/talents', {'name': '赵六', 'id_number': make_id(901)})
        self.assertEqual(r.status, 201, r.body)
        r = self.post(BASE, {'talent_id': r.json['id'], 'tier': 7, 'valid_from': '2026-01-01',
                             'basis': 'x'})
        self.assertEqual(r.status, 201, r.body)
        c = r.json
        p = self.assertProblem(self.get(f'{BASE}/{c["id"]}/pdf'), 503, 'pdf_unavailable')
        self.assertIn('/nonexistent/font.ttc', p['detail'])
        self.assertEqual(self.get(f'/verify/{c["token"]}').json['status'], 'valid')


class VerifyCli(unittest.TestCase):
    """`talentport verify` offline from the exported public key, and with the database;
    `talentport keys rotate-code` while the server runs: old codes still verify."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        s = cls.server
        s.token = s.staff_token()
        cls.tids = []
        for seq, name in ((801, '王芳'), (802, '陈晓')):
            r = s.request('POST', '/api/v1/talents', {'name': name, 'id_number': make_id(seq)})
            assert r.status == 201, r.body
            cls.tids.append(r.json['id'])
        cls.tid = cls.tids[0]
        cls.tmp = tempfile.mkdtemp(prefix='tp-verify-')

    @classmethod
    def tearDownClass(cls):
        report = cls.server.stop()
        if report:
            raise AssertionError('sanitizer report:\n' + report)

    def issue(self, valid_from='2026-01-01', talent=0, **more):
        body = {'talent_id': self.tids[talent], 'tier': 5, 'valid_from': valid_from,
                'basis': 'x'}
        body.update(more)
        r = self.server.request('POST', BASE, body)
        self.assertEqual(r.status, 201, r.body)
        return r.json

    def export(self, name):
        path = os.path.join(self.tmp, name)
        r = harness.run_cli('keys', 'export-code', '--db', self.server.db, '--out', path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return path

    def cli(self, *args):
        r = harness.run_cli('verify', *args)
        return r.returncode, r.stdout.decode()

    def test_offline_and_with_db(self):
        c = self.issue()
        pk = self.export('pk1.txt')
        with open(pk) as f:
            text = f.read()
        self.assertRegex(text, r'(?m)^code-pk [0-9a-f]{8} [0-9a-f]{64}$')
        with open(self.server.db + '.key') as f:   # no secret seed leaves the key file
            for line in f:
                if line.startswith('code '):
                    self.assertNotIn(line.split()[2], text)
        rc, out = self.cli(c['token'], '--public-key', pk, '--on', '2027-01-01')
        self.assertEqual(rc, 0, out)
        self.assertIn('status / 状态: valid', out)
        self.assertIn(f'certificate / 证书: {c["id"]}', out)
        self.assertIn('revocation not checked', out)
        rc, out = self.cli(c['token'], '--public-key', pk, '--on', '2031-01-01')
        self.assertEqual((rc, out.splitlines()[0]), (1, 'status / 状态: expired'))
        rc, out = self.cli(flip_signature(c['token']), '--public-key', pk)
        self.assertEqual((rc, out.splitlines()[0]), (1, 'status / 状态: forged'))
        rc, out = self.cli('garbage', '--public-key', pk)
        self.assertEqual((rc, out.splitlines()[0]), (1, 'status / 状态: malformed'))
        # revoked: the offline check cannot know, the database does
        r = self.server.request('POST', f'{BASE}/{c["id"]}/revoke', {'reason': '撤销'})
        self.assertEqual(r.status, 200, r.body)
        rc, out = self.cli(c['token'], '--public-key', pk, '--on', '2027-01-01')
        self.assertEqual(rc, 0)
        rc, out = self.cli(c['token'], '--db', self.server.db, '--on', '2027-01-01')
        self.assertEqual((rc, out.splitlines()[0]), (1, 'status / 状态: revoked'))
        # usage errors
        self.assertEqual(self.cli()[0], 2)
        self.assertEqual(self.cli(c['token'], '--on', 'tomorrow')[0], 2)
        self.assertEqual(self.cli(c['token'], '--public-key', pk, '--db', self.server.db)[0], 2)

    def test_rotation_keeps_old_codes_valid(self):
        old = self.issue('2026-02-01', talent=1)
        pk_old = self.export('pk-old.txt')
        r = harness.run_cli('keys', 'rotate-code', '--db', self.server.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        new_id = re.search(r'key ([0-9a-f]{8})', r.stdout.decode()).group(1)
        self.assertNotEqual(new_id, old['key_id'])
        time.sleep(1.2)   # the server re-reads a changed key file at most once a second
        new = self.issue('2026-03-01', talent=0)
        self.assertEqual(new['key_id'], new_id)
        pk_new = self.export('pk-new.txt')
        for token in (old['token'], new['token']):
            rc, out = self.cli(token, '--public-key', pk_new, '--on', '2027-01-01')
            self.assertEqual(rc, 0, out)
            r = self.server.request('GET', '/verify/' + token)
            self.assertEqual(r.json['status'], 'valid')
        # the file exported before the rotation does not know the new key
        rc, out = self.cli(new['token'], '--public-key', pk_old, '--on', '2027-01-01')
        self.assertEqual((rc, out.splitlines()[0]), (1, 'status / 状态: forged'))
        st = harness.run_cli('keys', 'status', '--db', self.server.db).stdout.decode()
        self.assertIn(f'{new_id}  (active)', st)
        self.assertIn(old['key_id'], st)


if __name__ == '__main__':
    unittest.main()
