"""The server's generic behaviour, whatever the route: routing errors, body checks,
problem+json, languages, common headers, oversized input, concurrency, static files."""
import http.client
import json
import re
import socket
import threading
import unittest

import harness

CJK = re.compile(r'[\u4e00-\u9fff]')


def json_body(obj):
    return json.dumps(obj).encode('utf-8')


class HttpBasics(harness.ServerTest):
    def raw_post(self, path, data, content_type='application/json', **kw):
        return self.server.request('POST', path, raw=data,
                                   headers={'Content-Type': content_type, **kw})

    # --- health and routing -------------------------------------------------------

    def test_health(self):
        r = self.get('/api/v1/health')
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header('Content-Type').startswith('application/json'))
        body = r.json
        self.assertEqual(body['status'], 'ok')
        self.assertEqual(body['database'], 'sqlite')
        self.assertIsInstance(body['version'], str)
        self.assertRegex(body['version'], r'^\d+\.\d+\.\d+')

    def test_unknown_route(self):
        for path in ('/api/v1/nope', '/api/v1/talents/1/nope', '/api/v2/health', '/api/'):
            with self.subTest(path=path):
                self.assertProblem(self.get(path), 404, 'route_not_found')
        self.assertProblem(self.post('/api/v1/nope', {}), 404, 'route_not_found')

    def test_wrong_method_405_with_allow(self):
        cases = [
            ('DELETE', '/api/v1/talents', {'GET', 'POST'}),
            ('PUT', '/api/v1/talents/1', {'GET', 'PATCH'}),
            ('POST', '/api/v1/health', {'GET'}),
            ('PATCH', '/api/v1/talents/1/employments', {'GET', 'POST'}),
            ('DELETE', '/api/v1/enterprises/7', {'GET', 'PATCH'}),
            ('POST', '/api/v1/reference/towns', {'GET'}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                r = self.server.request(method, path)
                p = self.assertProblem(r, 405, 'method_not_allowed')
                allow = r.header('Allow')
                self.assertIsNotNone(allow, 'no Allow header')
                self.assertEqual({m.strip() for m in allow.split(',')}, allowed)
                self.assertIn(method, p['detail'])

    # --- request bodies -------------------------------------------------------------

    def test_text_plain_415(self):
        r = self.raw_post('/api/v1/talents', b'{"name":"x"}', 'text/plain')
        self.assertProblem(r, 415, 'unsupported_media_type')
        r = self.raw_post('/api/v1/enterprises', b'{}', 'application/x-www-form-urlencoded')
        self.assertProblem(r, 415, 'unsupported_media_type')
        r = self.raw_post('/api/v1/talents', b'{}', 'application/json; charset=latin1')
        self.assertProblem(r, 415, 'unsupported_media_type')
        r = self.server.request('POST', '/api/v1/talents', raw=b'{}')  # no content type
        self.assertProblem(r, 415, 'unsupported_media_type')

    def test_json_with_charset_is_accepted(self):
        r = self.raw_post('/api/v1/talents', b'{"nope": 1}', 'application/json; charset=utf-8')
        # got past the media-type check to validation
        self.assertProblem(r, 422, 'validation_failed')

    def test_malformed_json_400(self):
        for data in (b'{"name": ', b'{name: 1}', b'{"a":1,}', b'', b'\xff\xfe{}',
                     b'{"a":1}{"b":2}', b'{"a":1, "a":2}'):
            with self.subTest(data=data):
                self.assertProblem(self.raw_post('/api/v1/talents', data), 400,
                                   'malformed_json')

    def test_json_too_deep_400(self):
        deep = b'[' * 40 + b']' * 40
        self.assertProblem(self.raw_post('/api/v1/talents', deep), 400, 'json_too_deep')
        deep_obj = b'{"a":' * 40 + b'1' + b'}' * 40
        self.assertProblem(self.raw_post('/api/v1/enterprises', deep_obj), 400, 'json_too_deep')
        # 33 levels is one too many; 32 is allowed (and then fails validation instead)
        self.assertProblem(self.raw_post('/api/v1/talents', b'{"a":' * 33 + b'1' + b'}' * 33),
                           400, 'json_too_deep')
        r = self.raw_post('/api/v1/talents', b'{"a":' * 32 + b'1' + b'}' * 32)
        self.assertProblem(r, 422, 'validation_failed')

    def test_brackets_inside_strings_do_not_count_as_depth(self):
        data = json_body({'nope': '[' * 100 + '{' * 100})
        self.assertProblem(self.raw_post('/api/v1/talents', data), 422, 'validation_failed')

    def test_non_object_body_422(self):
        for data in (b'[]', b'[1,2]', b'"text"', b'42', b'null', b'true'):
            with self.subTest(data=data):
                self.assertProblem(self.raw_post('/api/v1/talents', data), 422,
                                   'body_not_object')

    def test_body_over_cap_413(self):
        big = b'{"name":"' + b'a' * (300 * 1024) + b'"}'
        p = self.assertProblem(self.raw_post('/api/v1/talents', big), 413, 'body_too_large')
        self.assertIn(str(256 * 1024), p['detail'])
        # the employments route has a smaller cap (16 KiB)
        mid = b'{"position":"' + b'a' * (20 * 1024) + b'"}'
        self.assertProblem(self.raw_post('/api/v1/talents/1/employments', mid), 413,
                           'body_too_large')
        # and the server is fine afterwards
        self.assertEqual(self.get('/api/v1/health').status, 200)

    def test_chunked_body_over_cap_413(self):
        def chunks():
            yield b'{"name":"'
            for _ in range(300):
                yield b'a' * 1024
            yield b'"}'

        conn = http.client.HTTPConnection('127.0.0.1', self.server.port, timeout=60)
        try:
            conn.request('POST', '/api/v1/talents', body=chunks(), encode_chunked=True,
                         headers={'Content-Type': 'application/json',
                                  'Transfer-Encoding': 'chunked',
                                  'Authorization': 'Bearer ' + self.server.token})
            r = conn.getresponse()
            r = harness.Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        self.assertProblem(r, 413, 'body_too_large')

    def test_anonymous_upload_refused_before_the_body(self):
        """Who is calling is settled from the headers: an anonymous 60 MB upload to the
        import route is answered 401 and the server never buffers it (the answer comes
        back while most of the body is still unsent)."""
        conn = http.client.HTTPConnection('127.0.0.1', self.server.port, timeout=60)
        try:
            conn.putrequest('POST', '/api/v1/imports/talents')
            conn.putheader('Content-Type', 'text/csv')
            conn.putheader('Content-Length', str(60 * 1024 * 1024))
            conn.endheaders()
            conn.send(b'a' * 65536)   # a little of the body, then wait for the answer
            r = conn.getresponse()
            r = harness.Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        self.assertProblem(r, 401, 'unauthenticated')
        self.assertEqual(self.get('/api/v1/health').status, 200)

    def test_bad_utf8_in_query_422(self):
        self.assertProblem(self.get('/api/v1/talents?q=%ff%fe'), 422, 'validation_failed', 'q')

    def test_body_just_under_cap_is_read(self):
        data = b'{"nope":"' + b'a' * (200 * 1024) + b'"}'
        self.assertProblem(self.raw_post('/api/v1/talents', data), 422, 'validation_failed')

    def test_body_on_get_400(self):
        r = self.server.request('GET', '/api/v1/health', raw=b'{"a":1}',
                                headers={'Content-Type': 'application/json'})
        self.assertProblem(r, 400, 'body_not_allowed')

    # --- problems, languages, headers ------------------------------------------------

    def test_problem_shape(self):
        r = self.get('/api/v1/nope')
        p = self.assertProblem(r, 404, 'route_not_found')
        self.assertEqual(p['type'], '/problems/route_not_found')
        self.assertEqual(p['title'], 'Not Found')
        self.assertEqual(p['request_id'], r.header('X-Request-Id'))
        r = self.post('/api/v1/talents', {'nope': 1})
        p = self.assertProblem(r, 422, 'validation_failed')
        self.assertIsInstance(p['errors'], list)
        for e in p['errors']:
            self.assertEqual(set(e) - {'field', 'code', 'detail'}, set())
            self.assertIn('code', e)
            self.assertIn('detail', e)

    def test_language_selection(self):
        def detail(headers):
            r = self.server.request('GET', '/api/v1/nope', headers=headers)
            return self.assertProblem(r, 404, 'route_not_found')['detail']

        for h in ({}, {'Accept-Language': 'zh-CN'}, {'Accept-Language': 'zh'},
                  {'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8'},
                  {'Accept-Language': 'fr-FR'}):
            with self.subTest(headers=h):
                self.assertRegex(detail(h), CJK)
        for h in ({'Accept-Language': 'en'}, {'Accept-Language': 'en-US,en;q=0.9'},
                  {'Accept-Language': 'fr;q=1.0, en;q=0.5'},
                  {'Accept-Language': 'zh;q=0.3, en;q=0.9'}):
            with self.subTest(headers=h):
                d = detail(h)
                self.assertNotRegex(d, CJK)
                self.assertIn('endpoint', d)

    def test_field_errors_follow_the_language(self):
        r = self.post('/api/v1/talents', {'name': 123, 'id_number': '11010519491231002X'},
                      headers={'Accept-Language': 'en'})
        p = self.assertProblem(r, 422, field='name')
        for e in p['errors']:
            self.assertNotRegex(e['detail'], CJK)
        r = self.post('/api/v1/talents', {'name': 123, 'id_number': '11010519491231002X'})
        p = self.assertProblem(r, 422, field='name')
        self.assertTrue(all(CJK.search(e['detail']) for e in p['errors']))

    def test_common_headers_on_every_response(self):
        responses = [
            self.get('/api/v1/health'),
            self.get('/api/v1/reference/towns'),
            self.get('/api/v1/nope'),
            self.server.request('DELETE', '/api/v1/talents'),
            self.post('/api/v1/talents', {'nope': 1}),
            self.raw_post('/api/v1/talents', b'{', 'application/json'),
            self.get('/'),
            self.get('/no-such-page.txt'),
        ]
        ids = set()
        for r in responses:
            with self.subTest(status=r.status):
                rid = r.header('X-Request-Id')
                self.assertTrue(rid, 'no X-Request-Id')
                ids.add(rid)
                self.assertEqual(r.header('X-Content-Type-Options'), 'nosniff')
        self.assertEqual(len(ids), len(responses), 'request ids repeat')

    def test_problems_are_problem_json(self):
        for r in (self.get('/api/v1/nope'), self.server.request('PUT', '/api/v1/health'),
                  self.raw_post('/api/v1/talents', b'{', 'application/json'),
                  self.raw_post('/api/v1/talents', b'{}', 'text/plain'),
                  self.get('/api/v1/talents/999999'),
                  self.get('/api/v1/talents?page=0')):
            with self.subTest(status=r.status):
                self.assertGreaterEqual(r.status, 400)
                self.assertTrue(r.header('Content-Type').startswith('application/problem+json'),
                                r.header('Content-Type'))
                self.assertEqual(r.json['status'], r.status)

    # --- hostile input ----------------------------------------------------------------

    def test_huge_header_is_refused_not_fatal(self):
        try:
            r = self.server.request('GET', '/api/v1/health', headers={'X-Big': 'a' * 100 * 1024})
            self.assertIn(r.status, (400, 413, 431), r.body[:200])
        except (ConnectionError, http.client.HTTPException, socket.timeout):
            pass  # dropping the connection is also a refusal
        self.assertEqual(self.get('/api/v1/health').status, 200)

    def test_huge_url_is_refused_not_fatal(self):
        try:
            r = self.get('/api/v1/talents?q=' + 'a' * 100 * 1024)
            self.assertGreaterEqual(r.status, 400)
            self.assertLess(r.status, 500)
        except (ConnectionError, http.client.HTTPException, socket.timeout):
            pass
        self.assertEqual(self.get('/api/v1/health').status, 200)

    def test_path_traversal_not_served(self):
        for path in ('/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e/',
                     '/assets/../../../etc/passwd', '/..%2f..%2fetc/passwd',
                     '/....//....//etc/passwd'):
            with self.subTest(path=path):
                r = self.get(path)
                self.assertNotIn(b'root:', r.body)
                self.assertNotEqual(r.status, 500)
                if r.status == 200:  # only the app's own page may answer
                    self.assertIn(b'TalentPort', r.body)
        self.assertEqual(self.get('/api/v1/health').status, 200)

    def test_root_is_html(self):
        r = self.get('/')
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header('Content-Type').startswith('text/html'))
        self.assertIn(b'<html', r.body.lower())

    # --- concurrency --------------------------------------------------------------------

    def test_50_concurrent_requests(self):
        results = [None] * 50
        paths = ['/api/v1/health', '/api/v1/reference/towns', '/api/v1/talents',
                 '/api/v1/enterprises?per_page=5', '/api/v1/reference/industries']

        def work(i):
            try:
                r = self.get(paths[i % len(paths)])
                results[i] = (r.status, r.json)
            except Exception as e:  # noqa: BLE001 — recorded and asserted below
                results[i] = ('error', repr(e))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for i, res in enumerate(results):
            with self.subTest(i=i):
                self.assertIsNotNone(res, 'request did not finish')
                self.assertEqual(res[0], 200, res)
        self.assertTrue(all(r[1]['status'] == 'ok' for i, r in enumerate(results) if i % 5 == 0))


if __name__ == '__main__':
    unittest.main()
