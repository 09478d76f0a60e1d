"""Serving the built web UI (docs/web.md): long cache on hashed assets, no-cache on the page,
the SPA fallback, the strict CSP, and a browser opening a scanned /verify/{token} link."""
import os
import shutil
import tempfile
import unittest

import harness

INDEX = b'<!doctype html><html lang="zh-CN"><head><title>TalentPort test page</title></head></html>'
ASSET = b'console.log("hashed asset")'


class WebServing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.web = tempfile.mkdtemp(prefix='tp-web-')
        os.makedirs(os.path.join(cls.web, 'assets'))
        with open(os.path.join(cls.web, 'index.html'), 'wb') as f:
            f.write(INDEX)
        with open(os.path.join(cls.web, 'assets', 'main-Ab12Cd.js'), 'wb') as f:
            f.write(ASSET)
        cls.server = harness.Server(args=('--web', cls.web))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.web, ignore_errors=True)

    def get(self, path, accept=None):
        return self.server.request('GET', path, headers={'Accept': accept} if accept else None)

    def test_hashed_assets_are_cached_for_a_year(self):
        r = self.get('/assets/main-Ab12Cd.js')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, ASSET)
        self.assertTrue(r.header('Content-Type').startswith('text/javascript'))
        self.assertEqual(r.header('Cache-Control'), 'public, max-age=31536000, immutable')

    def test_page_is_revalidated_and_has_the_strict_csp(self):
        r = self.get('/')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, INDEX)
        self.assertEqual(r.header('Cache-Control'), 'no-cache')
        csp = r.header('Content-Security-Policy')
        for part in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                     "frame-ancestors 'none'", "base-uri 'none'"):
            self.assertIn(part, csp)
        self.assertNotIn("'unsafe-eval'", csp)

    def test_spa_fallback_for_app_routes_but_not_for_assets_or_api(self):
        for path in ('/me/applications/12', '/office/queue', '/calculator'):
            with self.subTest(path=path):
                r = self.get(path, 'text/html')
                self.assertEqual(r.status, 200)
                self.assertEqual(r.body, INDEX)
        self.assertEqual(self.get('/assets/missing-123.js').status, 404)
        r = self.get('/api/v1/no-such-thing')
        self.assertEqual(r.status, 404)
        self.assertTrue(r.header('Content-Type').startswith('application/problem+json'))

    def test_a_browser_opening_a_verify_link_gets_the_page_a_client_gets_json(self):
        # a phone camera opening the certificate's QR link asks for text/html
        r = self.get('/verify/TP1.bm90LWEtdG9rZW4.c2ln', 'text/html,application/xhtml+xml,*/*;q=0.8')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, INDEX)
        # the page (and any client) asks the same URL for JSON: a malformed code is reported
        r = self.get('/verify/TP1.bm90LWEtdG9rZW4.c2ln', 'application/json')
        self.assertEqual(r.status, 200)
        self.assertIn(r.json['status'], ('malformed', 'forged'))
        r = self.get('/verify/TP1.bm90LWEtdG9rZW4.c2ln')
        self.assertIn(r.json['status'], ('malformed', 'forged'))


if __name__ == '__main__':
    unittest.main()
